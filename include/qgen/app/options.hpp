// Command-line and INI-file options for the sub-commands (Boost.Program_options).
//
// Every option can come from the command line, as `--key value`, `--key=value` or a bare
// `key=value` word (all the same; giving one key twice is an error), or from the INI file named
// by `--config` (`[section]` headers make `section.key` names). The command line overrides the
// file. An unknown key, a value of the wrong type or a missing file is an InputError naming the
// key and where it came from.
#pragma once

#include <boost/program_options.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace qgen::app {

namespace po = boost::program_options;

/// Bad input from the user: reported as one line, exit code 2.
class InputError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct ParsedOptions {
  po::variables_map values;
  bool help = false;
};

/// A yes/no option: `--name`, `--name=true|false`, `name=true` on the command line, `name = true`
/// in an input file. Default false.
po::typed_value<bool>* flag();

/// Parses the words after the sub-command. Adds --help and --config to `options`.
ParsedOptions parse_options(const std::string& command, po::options_description options,
                            const std::vector<std::string>& words);

/// Prints "usage: <usage>" and the options with their defaults (on the lead rank only).
void print_help(const std::string& usage, const po::options_description& options, bool lead);

/// The options as INI text with their final values (for results files and checkpoints).
std::string to_ini_text(const po::variables_map& values);

}  // namespace qgen::app
