#include "qgen/app/study_file.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "qgen/app/train_config.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/core/text.hpp"

namespace qgen::app {
namespace {

// The train keys whose values the study sets for each run itself.
constexpr const char* kStudyOwned[] = {"results", "checkpoint", "log", "restart", "dry-run"};

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

std::vector<std::string> sweep_values(const std::string& text, const std::string& where) {
  if (text.empty()) throw core::InputError(where + ": no values");
  const char separator = text.find(';') != std::string::npos ? ';' : ',';
  std::vector<std::string> values;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, separator)) {
    item = trim(item);
    if (item.empty()) throw core::InputError(where + ": an empty value in '" + text + "'");
    values.push_back(item);
  }
  if (text.back() == separator) throw core::InputError(where + ": an empty value in '" + text + "'");
  if (values.empty()) throw core::InputError(where + ": no values");
  for (std::size_t a = 0; a < values.size(); ++a)
    for (std::size_t b = a + 1; b < values.size(); ++b)
      if (values[a] == values[b]) throw core::InputError(where + " names '" + values[a] + "' twice");
  return values;
}

// One key of [evaluate]: counts are whole numbers >= 1 (repetitions >= 0), data a file name.
void read_evaluate_key(StudyEvaluation& evaluate, const std::string& key, const std::string& value,
                       const std::string& named) {
  if (key == "data") {
    if (value.empty()) throw core::InputError(named + " has no value");
    evaluate.data = value;
    return;
  }
  if (key != "repetitions" && key != "shots" && key != "seed")
    throw core::InputError(named + ": unknown key (an [evaluate] has repetitions, shots, seed and data)");
  std::size_t used = 0;
  long long number = -1;
  try {
    number = std::stoll(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != value.size() || number < (key == "repetitions" ? 0 : key == "seed" ? 0 : 1))
    throw core::InputError(named + " = '" + core::printable(value) + "' is not a whole number" +
                           (key == "shots" ? " >= 1" : " >= 0"));
  if (key == "repetitions") evaluate.repetitions = static_cast<std::size_t>(number);
  else if (key == "shots") evaluate.shots = static_cast<std::uint64_t>(number);
  else evaluate.seed = static_cast<std::uint64_t>(number);
}

}  // namespace

StudyFile read_study_file(const std::string& path) {
  if (!std::filesystem::is_regular_file(path))
    throw core::InputError("study file '" + path + "' does not exist or is not a file");
  std::ifstream in(path);
  if (!in) throw core::InputError("cannot read study file '" + path + "'");
  StudyFile s;
  s.path = path;
  const po::options_description train = train_options();
  std::vector<std::string> keys;  // of [sweep] and [set]
  std::string section, line;
  for (int number = 1; std::getline(in, line); ++number) {
    s.text += line + "\n";
    const std::string where = "study file '" + path + "', line " + std::to_string(number);
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    line = trim(line);
    if (line.empty() || line[0] == ';') continue;
    if (line[0] == '[') {
      if (line.back() != ']') throw core::InputError(where + ": '" + core::printable(line) + "' is not a [section]");
      section = trim(line.substr(1, line.size() - 2));
      if (section != "study" && section != "sweep" && section != "set" && section != "evaluate")
        throw core::InputError(where + ": unknown section [" + core::printable(section) +
                               "] (a study has [study], [sweep], [set] and [evaluate])");
      continue;
    }
    const auto eq = line.find('=');
    if (eq == std::string::npos)
      throw core::InputError(where + ": '" + core::printable(line) + "' is not key = value");
    const std::string key = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));
    const std::string named = where + ": " + (section.empty() ? "" : "[" + section + "] ") + key;
    if (section.empty()) throw core::InputError(named + " comes before any [section]");
    if (section == "study") {
      std::string* field = key == "name" ? &s.name : key == "base" ? &s.base : key == "output" ? &s.output : nullptr;
      if (field == nullptr)
        throw core::InputError(named + ": unknown key (a [study] has name, base and output)");
      if (!field->empty()) throw core::InputError(named + " is given twice");
      if (value.empty()) throw core::InputError(named + " has no value");
      *field = value;
      continue;
    }
    if (section == "evaluate") {
      read_evaluate_key(s.evaluate, key, value, named);
      continue;
    }
    if (train.find_nothrow(key, false) == nullptr)
      throw core::InputError(named + ": not a qgen train key (see qgen train --help)");
    for (const char* owned : kStudyOwned)
      if (key == owned)
        throw core::InputError(named + ": the study names each run's " + key +
                               " itself (in <output>.runs/); remove it");
    for (const auto& k : keys)
      if (k == key) throw core::InputError(named + " is given twice (in [sweep] or [set])");
    keys.push_back(key);
    if (section == "sweep") s.sweep.emplace_back(key, sweep_values(value, named));
    else s.set.emplace_back(key, value);
  }
  if (s.name.empty()) throw core::InputError("study file '" + path + "': [study] name is missing");
  if (s.name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
      std::string::npos)
    throw core::InputError("study file '" + path + "': [study] name '" + core::printable(s.name) +
                           "' may hold only letters, digits, '.', '_' and '-'");
  if (s.output.empty()) s.output = s.name + ".h5";
  if (!s.evaluate.data.empty() && !std::filesystem::is_regular_file(s.evaluate.data))
    throw core::InputError("study file '" + path + "': [evaluate] data '" + s.evaluate.data +
                           "' does not exist (paths are relative to the folder qgen runs in)");
  if (!s.base.empty() && !std::filesystem::is_regular_file(s.base))
    throw core::InputError("study file '" + path + "': [study] base '" + s.base +
                           "' does not exist (paths are relative to the folder qgen runs in)");
  return s;
}

std::string runs_folder(const StudyFile& study) { return study.output + ".runs"; }

}  // namespace qgen::app
