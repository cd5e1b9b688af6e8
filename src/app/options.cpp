#include "qgen/app/options.hpp"

#include <boost/any.hpp>

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "qgen/core/errors.hpp"

namespace qgen::app {

namespace {

// A bare `key=value` word becomes `--key=value`, except where it is the value of the option
// before it (`--qasm run=3.qasm`).
std::vector<std::string> normalise(const std::vector<std::string>& words,
                                   const po::options_description& options) {
  std::vector<std::string> out;
  bool value_expected = false;
  for (const std::string& w : words) {
    const auto eq = w.find('=');
    if (!value_expected && w.rfind("-", 0) != 0 && eq != std::string::npos && eq > 0)
      out.push_back("--" + w);
    else
      out.push_back(w);
    value_expected = false;
    if (w.rfind("--", 0) == 0 && w.find('=') == std::string::npos) {
      const auto* option = options.find_nothrow(w.substr(2), false);
      value_expected = option != nullptr && option->semantic()->min_tokens() > 0;
    }
  }
  return out;
}

std::string describe(const po::error& e) {
  std::string what = e.what();
  // Boost says "the argument ('x') for option '--y' is invalid"; keep it, it names both.
  return what;
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
    po::store(po::command_line_parser(normalise(words, all)).options(all).run(), parsed.values);
  } catch (const po::error& e) {
    throw core::InputError(describe(e) + " (see qgen " + command + " --help)");
  }
  if (parsed.values.count("help")) {
    parsed.help = true;
    return parsed;
  }
  if (parsed.values.count("config")) {
    const std::string file = parsed.values["config"].as<std::string>();
    if (!std::filesystem::is_regular_file(file))
      throw core::InputError("config file '" + file + "' does not exist");
    std::ifstream in(file);
    if (!in) throw core::InputError("cannot read config file '" + file + "'");
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
