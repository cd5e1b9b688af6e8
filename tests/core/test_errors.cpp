// The error kinds map to the exit codes the README documents, errors survive crossing ranks
// with their kind, and the enum name tables print and parse every value.
#include <gtest/gtest.h>

#include <array>

#include "qgen/core/enum_names.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/core/text.hpp"

namespace qgen::core {
namespace {

TEST(Errors, EachKindHasItsExitCode) {
  EXPECT_EQ(exit_code_of(error_kind(InputError("x"))), 2);
  EXPECT_EQ(exit_code_of(error_kind(DataError("x"))), 2);
  EXPECT_EQ(exit_code_of(error_kind(PetscError("x"))), 1);
  EXPECT_EQ(exit_code_of(error_kind(InternalError("x"))), 1);
  // A plain std::invalid_argument from a lower layer is a programming error, not bad input.
  EXPECT_EQ(exit_code_of(error_kind(std::invalid_argument("x"))), 1);
  EXPECT_EQ(exit_code_of(error_kind(std::bad_alloc())), 1);
  EXPECT_EQ(exit_code_of(error_kind(RemoteError(ErrorKind::data, "x"))), 2);
  EXPECT_EQ(exit_code_of(error_kind(RemoteError(ErrorKind::petsc, "x"))), 1);
}

TEST(Errors, RebuiltErrorsKeepKindAndMessage) {
  for (ErrorKind kind : {ErrorKind::input, ErrorKind::data, ErrorKind::petsc, ErrorKind::internal}) {
    try {
      throw_error(kind, "file 'a.h5': no /params");
    } catch (const std::exception& e) {
      EXPECT_EQ(error_kind(e), kind);
      EXPECT_STREQ(e.what(), "file 'a.h5': no /params");
      const ErrorText text = error_text(std::current_exception());
      EXPECT_EQ(text.kind, kind);
      EXPECT_EQ(text.message, "file 'a.h5': no /params");
    }
  }
}

enum class Colour { red, green, blue };
constexpr auto enum_names(Colour) {
  using enum Colour;
  return std::array{EnumName{red, "red"}, EnumName{green, "green"}, EnumName{blue, "blue"},
                    EnumName{green, "g"}};
}

TEST(EnumNames, PrintParseAndAliases) {
  for (Colour c : {Colour::red, Colour::green, Colour::blue})
    EXPECT_EQ(parse_enum<Colour>(name_of(c), "colour"), c);
  EXPECT_EQ(name_of(Colour::green), "green");  // the first name, not the alias
  EXPECT_EQ(parse_enum<Colour>("g", "colour"), Colour::green);
  EXPECT_EQ(enum_choices<Colour>(), "red, green, blue");
  EXPECT_EQ(enum_choices<Colour>("|"), "red|green|blue");
  try {
    parse_enum<Colour>("purple", "paint.colour");
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "paint.colour = 'purple' is not one of red, green, blue");
  }
  EXPECT_THROW(name_of(static_cast<Colour>(7)), InternalError);
}

TEST(Text, ListsNumbersAndDurations) {
  EXPECT_EQ(split_list(" a, b ,,c "), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(split_list(""), std::vector<std::string>{});
  EXPECT_EQ(split_list("x:1:2", ':'), (std::vector<std::string>{"x", "1", "2"}));
  EXPECT_EQ(join({"pT", "mass", "eta"}), "pT,mass,eta");
  EXPECT_EQ(join({}, " "), "");
  EXPECT_EQ(number_text(4.5), "4.5");
  EXPECT_EQ(std::stod(exact_text(0.1 + 0.2)), 0.1 + 0.2);  // reads back exactly
  EXPECT_EQ(duration_text(59.4), "0:59");
  EXPECT_EQ(duration_text(3725), "1:02:05");
  EXPECT_EQ(parse_number("2.5e3", "x"), 2500.0);
  EXPECT_EQ(parse_number("-inf", "x"), -std::numeric_limits<double>::infinity());
  for (const char* bad : {"", "abc", "1.5x", "nan", " "})
    EXPECT_THROW(parse_number(bad, "train.rate"), InputError) << bad;
}

}  // namespace
}  // namespace qgen::core
