#include "qgen/app/study_runs.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "qgen/app/train_config.hpp"
#include "qgen/core/errors.hpp"

namespace qgen::app {
namespace {

// A value as a piece of a file name: letters, digits, '.', '+', '-'; anything else '_'.
std::string name_piece(const std::string& value) {
  std::string piece;
  for (char c : value.substr(0, 24))
    piece += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '+' || c == '-' ? c : '_';
  return piece;
}

std::string padded(std::size_t k, std::size_t count) {
  const std::size_t width = std::to_string(count > 0 ? count - 1 : 0).size();
  std::string text = std::to_string(k);
  return std::string(width - std::min(width, text.size()), '0') + text;
}

// The options qgen train would record before reading its data (train_command.cpp).
std::string checked_config(const Words& words) {
  ParsedOptions parsed = parse_options("train", train_options(), words);
  train_config_from(parsed.values);
  static_cast<std::map<std::string, po::variable_value>&>(parsed.values).erase("train.group-size");
  return to_ini_text(parsed.values);
}

}  // namespace

std::string swept_text(const StudyRun& run) {
  std::string text;
  for (const auto& [key, value] : run.swept) text += (text.empty() ? "" : " ") + key + "=" + value;
  return text;
}

std::vector<StudyRun> study_runs(const StudyFile& study) {
  Words base;
  if (!study.base.empty()) {
    base = {"--config", study.base};
    try {
      parse_options("train", train_options(), base);
    } catch (const core::InputError& e) {
      throw core::InputError("study file '" + study.path + "': its base config is not a qgen train "
                             "config: " + e.what());
    }
  }
  std::size_t count = 1;
  for (const auto& [key, values] : study.sweep) count *= values.size();
  bool quiet_given = false;
  for (const auto& [key, value] : study.set) quiet_given = quiet_given || key == "quiet";
  for (const auto& [key, values] : study.sweep) quiet_given = quiet_given || key == "quiet";

  const std::string folder = runs_folder(study);
  std::vector<StudyRun> runs(count);
  for (std::size_t k = 0; k < count; ++k) {
    StudyRun& run = runs[k];
    run.index = k;
    run.name = "run-" + padded(k, count);
    std::size_t rest = k;
    std::vector<std::size_t> choice(study.sweep.size());
    for (std::size_t d = study.sweep.size(); d-- > 0;) {  // the last key changes fastest
      choice[d] = rest % study.sweep[d].second.size();
      rest /= study.sweep[d].second.size();
    }
    for (std::size_t d = 0; d < study.sweep.size(); ++d) {
      const auto& [key, values] = study.sweep[d];
      run.swept.emplace_back(key, values[choice[d]]);
      run.name += "_" + key.substr(key.rfind('.') + 1) + "-" + name_piece(values[choice[d]]);
    }
    run.results = folder + "/" + run.name + ".h5";
    run.checkpoint = folder + "/" + run.name + ".checkpoint.h5";
    run.log = folder + "/" + run.name + ".log";
    run.status = folder + "/" + run.name + ".status.json";
    run.evaluation = folder + "/" + run.name + ".eval.h5";
    run.words = base;
    for (const auto& [key, value] : study.set) run.words.push_back(key + "=" + value);
    for (const auto& [key, value] : run.swept) run.words.push_back(key + "=" + value);
    run.words.push_back("results=" + run.results);
    run.words.push_back("checkpoint=" + run.checkpoint);
    run.words.push_back("log=" + run.log);
    if (!quiet_given) run.words.push_back("quiet=true");
    try {
      run.config = checked_config(run.words);
    } catch (const core::InputError& e) {
      run.invalid = e.what();
    }
  }
  return runs;
}

}  // namespace qgen::app
