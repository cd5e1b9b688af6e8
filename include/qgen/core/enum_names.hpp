// One way to print and parse an enum: a name table declared beside the enum.
//
//   enum class FusionLevel { none, one_qubit, two_qubit };
//   constexpr auto enum_names(FusionLevel) {          // found by argument-dependent lookup
//     using enum FusionLevel;
//     return std::array{core::EnumName{none, "none"}, core::EnumName{one_qubit, "one_qubit"},
//                       core::EnumName{two_qubit, "two_qubit"}, core::EnumName{two_qubit, "2"}};
//   }
//
//   core::name_of(FusionLevel::two_qubit)                 "two_qubit" (the first name of a value)
//   core::parse_enum<FusionLevel>("2", "circuit.fusion")  FusionLevel::two_qubit (later names
//                                                         of a value are accepted aliases)
//   core::enum_choices<FusionLevel>()                     "none, one_qubit, two_qubit"
//
// A name that is not in the table is an InputError naming the option and the choices.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <type_traits>

#include "qgen/core/errors.hpp"

namespace qgen::core {

template <typename E>
struct EnumName {
  E value;
  std::string_view name;
};
// Aggregate deduction is C++20 but not in clang 14 (the sanitizer build): say it.
template <typename E>
EnumName(E, std::string_view) -> EnumName<E>;

template <typename E>
concept NamedEnum = std::is_enum_v<E> && requires(E e) { enum_names(e); };

template <NamedEnum E>
std::string name_of(E value) {
  for (const auto& entry : enum_names(E{}))
    if (entry.value == value) return std::string(entry.name);
  throw InternalError("an enum value without a name (" +
                      std::to_string(static_cast<long long>(value)) + ")");
}

/// The canonical names (aliases left out), separated by `separator`.
template <NamedEnum E>
std::string enum_choices(std::string_view separator = ", ") {
  std::string out;
  for (const auto& entry : enum_names(E{})) {
    if (name_of(entry.value) != entry.name) continue;  // an alias
    if (!out.empty()) out += separator;
    out += entry.name;
  }
  return out;
}

/// The value named `text`; InputError("<what> = '<text>' is not one of <choices>") otherwise.
template <NamedEnum E>
E parse_enum(std::string_view text, std::string_view what) {
  for (const auto& entry : enum_names(E{}))
    if (entry.name == text) return entry.value;
  throw InputError(std::string(what) + " = '" + std::string(text) + "' is not one of " +
                   enum_choices<E>());
}

}  // namespace qgen::core
