#include "qgen/app/options.hpp"

#include <boost/any.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include "qgen/core/errors.hpp"
#include "qgen/core/text.hpp"

namespace qgen::app {

namespace {

constexpr const char* kNameCharacters =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";

// A bare `key=value` word becomes `--key=value`, except where it is the value of the option
// before it (`--qasm run=3.qasm`). Every other word must be an option or an option's value: a
// stray word (`train.shots 100`, `foo`) is refused, never ignored.
std::vector<std::string> normalise(const std::string& command, const std::vector<std::string>& words,
                                   const po::options_description& options) {
  std::vector<std::string> out;
  bool value_expected = false;
  for (const std::string& w : words) {
    const auto eq = w.find('=');
    const bool dashed = w.rfind("-", 0) == 0;
    const std::string shown = core::printable(w);
    if (!value_expected && (dashed || eq != std::string::npos)) {
      // Boost would carry any bytes of a name into its messages (and loop forever on one that
      // contains its own placeholder, "%canonical_option%"): names are letters, digits, . _ -
      const auto start = w.find_first_not_of('-');
      const std::string key = start == std::string::npos || (eq != std::string::npos && eq < start)
                                  ? std::string()
                                  : w.substr(start, eq == std::string::npos ? eq : eq - start);
      if (key.empty() || key.find_first_not_of(kNameCharacters) != std::string::npos)
        throw core::InputError("'" + shown + "' is not an option (see qgen " + command + " --help)");
    }
    if (!value_expected && !dashed && eq != std::string::npos && eq > 0) {
      out.push_back("--" + w);
    } else if (!value_expected && !dashed) {
      throw core::InputError("unexpected word '" + shown + "': give options as key=value or --key value "
                             "(see qgen " + command + " --help)");
    } else if (!value_expected && w.size() > 2 && w[1] != '-') {
      throw core::InputError("'" + shown + "' is neither a qgen option (key=value or --key value) nor "
                             "a PETSc option (-name [value]) (see qgen " + command + " --help)");
    } else {
      out.push_back(w);
    }
    value_expected = false;
    if (w.rfind("--", 0) == 0 && w.find('=') == std::string::npos) {
      const auto* option = options.find_nothrow(w.substr(2), false);
      // An unknown --key takes the next word along, so that Boost names the key, not its value.
      value_expected = option == nullptr || option->semantic()->min_tokens() > 0;
    }
  }
  return out;
}

// The INI text, once every section and key name is a name (see normalise: Boost must never see
// arbitrary bytes in a name).
std::string checked_ini_text(std::istream& in, const std::string& file) {
  std::string text, line;
  for (int number = 1; std::getline(in, line); ++number) {
    text += line + "\n";
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#' || line[first] == ';') continue;
    std::string name;
    if (line[first] == '[') {
      const auto close = line.find(']', first);
      name = close == std::string::npos ? std::string() : line.substr(first + 1, close - first - 1);
    } else {
      const auto eq = line.find('=');
      if (eq == std::string::npos) continue;  // Boost reports a line without '='
      name = line.substr(first, eq - first);
      name.erase(name.find_last_not_of(" \t") + 1);
    }
    if (name.empty() || name.find_first_not_of(kNameCharacters) != std::string::npos)
      throw core::InputError("config file '" + file + "', line " + std::to_string(number) + ": '" +
                             core::printable(line.substr(first, 60)) + "' is not a [section] or key = value");
  }
  return text;
}

// NaN is never a meaningful option value (Boost reads "nan" as one).
void refuse_nan(const po::variables_map& values) {
  for (const auto& [name, value] : values)
    if (const auto* d = boost::any_cast<double>(&value.value()); d && std::isnan(*d))
      throw core::InputError(name + " = nan is not a number");
}

// Boost fills its message templates ("the argument ('%value%') for option '%canonical_option%'
// is invalid") by replacing each placeholder until none is left, so a word the user typed that
// itself holds a placeholder ("%value%") makes what() loop for ever (found by fuzz_options).
// The substitutions are protected; this derived type reads them (the pointer-to-member idiom).
struct SubstitutionAccess : po::error_with_option_name {
  static std::map<std::string, std::string>& of(po::error_with_option_name& e) {
    return e.*(&SubstitutionAccess::m_substitutions);
  }
};

std::string describe(const po::error& e) {
  const auto* named = dynamic_cast<const po::error_with_option_name*>(&e);
  if (named == nullptr) return e.what();
  // A copy whose substituted words show '%' as the look-alike U+FF05, which no template holds.
  po::error_with_option_name safe = *named;
  for (auto& [placeholder, word] : SubstitutionAccess::of(safe))
    for (auto at = word.find('%'); at != std::string::npos; at = word.find('%', at + 3))
      word.replace(at, 1, "\xef\xbc\x85");
  // Boost says "the argument ('x') for option '--y' is invalid"; keep it, it names both.
  return safe.what();
}

std::string value_text(const boost::any& value) {
  std::ostringstream out;
  if (const auto* s = boost::any_cast<std::string>(&value)) return *s;
  if (const auto* i = boost::any_cast<int>(&value)) return std::to_string(*i);
  if (const auto* l = boost::any_cast<long>(&value)) return std::to_string(*l);
  if (const auto* u = boost::any_cast<unsigned long>(&value)) return std::to_string(*u);
  if (const auto* b = boost::any_cast<bool>(&value)) return *b ? "true" : "false";
  if (const auto* d = boost::any_cast<double>(&value)) {
    out << std::setprecision(17) << *d;
    return out.str();
  }
  if (const auto* v = boost::any_cast<std::vector<std::string>>(&value)) {
    for (std::size_t k = 0; k < v->size(); ++k) out << (k ? "," : "") << (*v)[k];
    return out.str();
  }
  return "?";
}

}  // namespace

std::string option_text(const po::variables_map& values, const std::string& key) {
  return values.count(key) ? values[key].as<std::string>() : std::string();
}

void refuse_repeats(const std::vector<std::string>& items, const std::string& key) {
  for (std::size_t a = 0; a < items.size(); ++a)
    for (std::size_t b = a + 1; b < items.size(); ++b)
      if (items[a] == items[b]) throw core::InputError(key + " names '" + items[a] + "' twice");
}

po::typed_value<long>* count_option(long fallback) { return po::value<long>()->default_value(fallback); }

std::uint64_t count_from(const po::variables_map& values, const std::string& key, long min, long max) {
  const long n = values[key].as<long>();
  if (n < min || n > max)
    throw core::InputError(key + " = " + std::to_string(n) + " is outside [" + std::to_string(min) +
                           ", " + std::to_string(max) + "]");
  return static_cast<std::uint64_t>(n);
}

po::typed_value<bool>* flag() { return po::value<bool>()->default_value(false)->implicit_value(true); }

ParsedOptions parse_options(const std::string& command, po::options_description options,
                            const std::vector<std::string>& words) {
  po::options_description common("General");
  common.add_options()("help,h", "print this help")
      ("config", po::value<std::string>(), "INI file with options (the command line overrides it)");
  po::options_description all;
  all.add(options).add(common);

  ParsedOptions parsed;
  try {
    po::store(po::command_line_parser(normalise(command, words, all)).options(all).run(),
              parsed.values);
  } catch (const po::error& e) {
    throw core::InputError(describe(e) + " (see qgen " + command + " --help)");
  }
  if (parsed.values.count("help")) {
    parsed.help = true;
    return parsed;
  }
  if (parsed.values.count("config")) {
    const std::string file = parsed.values["config"].as<std::string>();
    if (!std::filesystem::exists(file))
      throw core::InputError("config file '" + file + "' does not exist");
    if (!std::filesystem::is_regular_file(file))
      throw core::InputError("config file '" + file + "' is not a file (a folder?)");
    std::ifstream stream(file);
    if (!stream) throw core::InputError("cannot read config file '" + file + "'");
    std::istringstream in(checked_ini_text(stream, file));
    try {
      po::store(po::parse_config_file(in, options, /*allow_unregistered=*/false), parsed.values);
    } catch (const po::error& e) {
      throw core::InputError("in config file '" + file + "': " + describe(e));
    }
  }
  try {
    po::notify(parsed.values);
  } catch (const po::error& e) {
    throw core::InputError(describe(e));
  }
  refuse_nan(parsed.values);
  return parsed;
}

void print_help(const std::string& usage, const po::options_description& options, bool lead) {
  if (!lead) return;
  std::cout << "usage: " << usage << "\n\n" << options << std::endl;
}

std::string to_ini_text(const po::variables_map& values) {
  // Keys without a section first: INI has no way back to the global section after a header.
  std::ostringstream global, sections;
  std::string section;
  for (const auto& [name, value] : values) {
    if (name == "help" || name == "config" || value.empty()) continue;
    const auto dot = name.find('.');
    if (dot == std::string::npos) {
      global << name << " = " << value_text(value.value()) << "\n";
      continue;
    }
    const std::string s = name.substr(0, dot);
    if (s != section) {
      sections << "[" << s << "]\n";
      section = s;
    }
    sections << name.substr(dot + 1) << " = " << value_text(value.value()) << "\n";
  }
  return global.str() + sections.str();
}

}  // namespace qgen::app
