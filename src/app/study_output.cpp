#include "qgen/app/study_output.hpp"

#include <hdf5.h>

#include <cmath>
#include <cstdio>
#include <limits>

#include "qgen/core/errors.hpp"
#include "qgen/core/hdf5.hpp"
#include "qgen/core/text.hpp"

namespace qgen::app {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Copies the whole results file (its root group: members and attributes) to `at`/`name`.
void copy_results(const std::string& path, const core::hdf5::Location& at, const std::string& name) {
  const core::hdf5::Location source = core::hdf5::open_file(path);
  if (H5Ocopy(source.id(), "/", at.id(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT) < 0)
    throw core::DataError("cannot copy the results file '" + path + "' into the study file '" +
                          at.file() + "'");
}

}  // namespace

std::vector<StudyRow> study_rows(const std::vector<StudyRun>& runs, const StudyEvaluation& evaluate) {
  std::vector<StudyRow> rows;
  for (const StudyRun& run : runs) {
    StudyRow row{&run, current_status(run), kNaN, kNaN, kNaN, kNaN, kNaN};
    if (row.status.state == RunState::completed) {
      try {
        const core::hdf5::Location file = core::hdf5::open_file(run.results);
        const auto loss = file.group("history").read_doubles("loss");
        row.loss = loss.empty() ? kNaN : loss.back();
        row.js = file.group("metrics").read_doubles("js").at(0);
        row.mae = file.group("metrics").read_doubles("mae").at(0);
      } catch (const std::exception& e) {
        row.status = run_status(RunState::missing, std::string("its results cannot be read: ") + e.what());
      }
    }
    if (row.status.state == RunState::completed && evaluate.repetitions > 0) {
      try {
        const core::hdf5::Location metrics = core::hdf5::open_file(run.evaluation).group("metrics");
        row.js_resampled_mean = metrics.read_doubles("js_resampled_mean").at(0);
        row.js_resampled_std = metrics.read_doubles("js_resampled_std").at(0);
      } catch (const std::exception&) {
        row.evaluation_missing = true;
        row.status.message = "trained; its evaluation (" + run.evaluation + ") is missing: rerun the study";
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

void write_study_output(const StudyFile& study, const std::vector<StudyRow>& rows) {
  core::hdf5::write_file(study.output, [&](const core::hdf5::Location& file) {
    std::vector<std::string> keys;
    for (const auto& [key, values] : study.sweep) keys.push_back(key);
    std::int64_t completed = 0;
    for (const auto& row : rows) completed += row.status.state == RunState::completed;
    file.set_attribute("study", study.name);
    file.set_attribute("study_file", study.path);
    file.set_attribute("study_text", study.text);
    file.set_attribute("base", study.base);
    file.set_attribute("sweep_keys", keys);
    file.set_attribute("runs", static_cast<std::int64_t>(rows.size()));
    file.set_attribute("completed", completed);

    const auto runs = file.create_group("runs");
    std::vector<std::string> names, states, messages;
    std::vector<std::int64_t> indices;
    std::vector<double> loss, js, mae, seconds, js_resampled_mean, js_resampled_std;
    std::vector<std::vector<std::string>> swept(keys.size());
    for (const StudyRow& row : rows) {
      const StudyRun& run = *row.run;
      if (row.status.state == RunState::completed) copy_results(run.results, runs, run.name);
      if (row.status.state == RunState::completed && !std::isnan(row.js_resampled_mean))
        copy_results(run.evaluation, runs.group(run.name), "evaluation");
      const auto group = row.status.state == RunState::completed ? runs.group(run.name)
                                                                 : runs.create_group(run.name);
      group.set_attribute("status", core::name_of(row.status.state));
      group.set_attribute("message", row.status.message);
      group.set_attribute("seconds", row.status.seconds);
      group.set_attribute("exit_code", static_cast<std::int64_t>(row.status.exit_code));
      group.set_attribute("run_index", static_cast<std::int64_t>(run.index));
      group.set_attribute("run_config", run.config);
      for (std::size_t d = 0; d < run.swept.size(); ++d) {
        group.set_attribute(run.swept[d].first, run.swept[d].second);
        swept[d].push_back(run.swept[d].second);
      }
      names.push_back(run.name);
      states.push_back(core::name_of(row.status.state));
      messages.push_back(row.status.message);
      indices.push_back(static_cast<std::int64_t>(run.index));
      loss.push_back(row.loss);
      js.push_back(row.js);
      mae.push_back(row.mae);
      seconds.push_back(row.status.seconds);
      js_resampled_mean.push_back(row.js_resampled_mean);
      js_resampled_std.push_back(row.js_resampled_std);
    }
    const auto table = file.create_group("table");
    table.write("name", names);
    table.write("status", states);
    table.write("message", messages);
    table.write("run_index", std::span<const std::int64_t>(indices), {indices.size()});
    table.write("loss", std::span<const double>(loss), {loss.size()});
    table.write("js", std::span<const double>(js), {js.size()});
    table.write("mae", std::span<const double>(mae), {mae.size()});
    table.write("seconds", std::span<const double>(seconds), {seconds.size()});
    if (study.evaluate.repetitions > 0) {
      table.write("js_resampled_mean", std::span<const double>(js_resampled_mean), {js_resampled_mean.size()});
      table.write("js_resampled_std", std::span<const double>(js_resampled_std), {js_resampled_std.size()});
      file.set_attribute("evaluate_repetitions", static_cast<std::int64_t>(study.evaluate.repetitions));
      file.set_attribute("evaluate_shots", static_cast<std::int64_t>(study.evaluate.shots));
      file.set_attribute("evaluate_data", study.evaluate.data);
    }
    const auto sweep = table.create_group("sweep");
    for (std::size_t d = 0; d < keys.size(); ++d) sweep.write(keys[d], swept[d]);
  });
}

std::string study_table(const std::vector<StudyRow>& rows) {
  std::size_t name_width = 3, sweep_width = 5;
  for (const auto& row : rows) {
    name_width = std::max(name_width, row.run->name.size());
    sweep_width = std::max(sweep_width, swept_text(*row.run).size());
  }
  auto number = [](double x) {
    char text[32];
    std::snprintf(text, sizeof text, "%.4e", x);
    return std::isnan(x) ? std::string("-") : std::string(text);
  };
  char line[1024];
  std::string out;
  bool resampled = false;
  for (const auto& row : rows) resampled |= !std::isnan(row.js_resampled_mean);
  std::snprintf(line, sizeof line, "  %-*s  %-*s  %-9s  %12s  %12s  %12s  %9s%s\n", int(name_width), "run",
                int(sweep_width), "sweep", "status", "loss", "JS", "D", "time",
                resampled ? "   JS of finite samples (mean +- sd)" : "");
  out += line;
  for (const auto& row : rows) {
    const double s = row.status.seconds;
    char time[32];
    std::snprintf(time, sizeof time, "%.1f s", s);
    std::snprintf(line, sizeof line, "  %-*s  %-*s  %-9s  %12s  %12s  %12s  %9s\n", int(name_width),
                  row.run->name.c_str(), int(sweep_width), swept_text(*row.run).c_str(),
                  core::name_of(row.status.state).c_str(), number(row.loss).c_str(),
                  number(row.js).c_str(), number(row.mae).c_str(),
                  s <= 0 ? "-" : s < 60 ? time : core::duration_text(s).c_str());
    out += line;
    if (resampled) {
      out.pop_back();
      out += "   " + (std::isnan(row.js_resampled_mean) ? std::string("-")
                                                          : number(row.js_resampled_mean) + " +- " + number(row.js_resampled_std)) + "\n";
    }
  }
  for (const auto& row : rows)
    if (!row.status.message.empty())
      out += "  " + row.run->name + " (" + core::name_of(row.status.state) + "): " + row.status.message + "\n";
  return out;
}

}  // namespace qgen::app
