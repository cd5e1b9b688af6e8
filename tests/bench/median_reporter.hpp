// A Google Benchmark reporter that prints as usual and keeps each benchmark's median (or its
// only run) with its counters, for the summary a benchmark program prints at the end.
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <vector>

namespace qgen::bench {

class MedianReporter : public benchmark::ConsoleReporter {
public:
  struct Result {
    double seconds = 0;  // per iteration
    std::map<std::string, double> counters;
    double counter(const std::string& name) const {
      const auto it = counters.find(name);
      return it == counters.end() ? 0.0 : it->second;
    }
  };

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      if (r.run_type == Run::RT_Aggregate && r.aggregate_name != "median") continue;
      const auto& run = r.run_name;
      Result& e = results[run.args.empty() ? run.function_name : run.function_name + "/" + run.args];
      e.seconds = r.GetAdjustedRealTime() / benchmark::GetTimeUnitMultiplier(r.time_unit);
      for (const auto& [name, counter] : r.counters) e.counters[name] = counter.value;
    }
    ConsoleReporter::ReportRuns(runs);
  }

  /// The first result whose name starts with `prefix`, or nullptr.
  const Result* find(const std::string& prefix) const {
    for (const auto& [name, e] : results)
      if (name.rfind(prefix, 0) == 0) return &e;
    return nullptr;
  }

  std::map<std::string, Result> results;
};

}  // namespace qgen::bench
