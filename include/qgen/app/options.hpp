// Command-line and INI-file options for the sub-commands (Boost.Program_options).
//
// Every option can come from the command line, as `--key value`, `--key=value` or a bare
// `key=value` word (all the same; giving one key twice is an error), or from the INI file named
// by `--config` (`[section]` headers make `section.key` names). The command line overrides the
// file. An unknown key, a value of the wrong type or a missing file is a core::InputError naming
// the key and where it came from.
//
// Each layer's keys are declared once, by an add_*_options function beside the struct they
// fill (data_source.hpp, circuit_options.hpp, train_config.hpp), and every command that takes
// them uses that function. Enumerated choices are declared with enum_option and read with
// enum_from, so their help and their error messages list the same names as the enum's table.
#pragma once

#include <boost/program_options.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "qgen/core/enum_names.hpp"

namespace qgen::app {

namespace po = boost::program_options;

struct ParsedOptions {
  po::variables_map values;
  bool help = false;
};

/// A yes/no option: `--name`, `--name=true|false`, `name=true` on the command line, `name = true`
/// in an input file. Default false.
po::typed_value<bool>* flag();

/// Bounds of counts and seeds given by users: far beyond any real run, far below wrapping.
inline constexpr long kMaxEvents = 1L << 40;
inline constexpr long kMaxSeed = (1L << 62) - 1;

/// InputError("<key> names '<x>' twice") when a list repeats an item.
void refuse_repeats(const std::vector<std::string>& items, const std::string& key);

/// A whole number read as a signed value, so that "-1" is refused rather than wrapped around
/// to 2^64 - 1: declare with count_option, read with count_from.
po::typed_value<long>* count_option(long fallback);
/// InputError("<key> = <n> is outside [min, max]") unless min <= n <= max.
std::uint64_t count_from(const po::variables_map& values, const std::string& key, long min, long max);

/// An option holding one of an enum's names, with `fallback` as its default.
template <core::NamedEnum E>
po::typed_value<std::string>* enum_option(E fallback) {
  return po::value<std::string>()->default_value(core::name_of(fallback));
}

/// The enum named by option `key`; InputError listing the choices otherwise.
template <core::NamedEnum E>
E enum_from(const po::variables_map& values, const std::string& key) {
  return core::parse_enum<E>(values[key].as<std::string>(), key);
}

/// Parses the words after the sub-command. Adds --help and --config to `options`.
ParsedOptions parse_options(const std::string& command, po::options_description options,
                            const std::vector<std::string>& words);

/// Prints "usage: <usage>" and the options with their defaults (on the lead rank only).
void print_help(const std::string& usage, const po::options_description& options, bool lead);

/// The text of a string option, or "" when it was not given.
std::string option_text(const po::variables_map& values, const std::string& key);

/// Replaces the value of option `key` (a value the run settled on after parsing).
template <typename T>
void set_option(po::variables_map& values, const std::string& key, const T& value) {
  static_cast<std::map<std::string, po::variable_value>&>(values)[key] =
      po::variable_value(boost::any(value), false);
}

/// The options as INI text with their final values (for results files and checkpoints).
std::string to_ini_text(const po::variables_map& values);

}  // namespace qgen::app
