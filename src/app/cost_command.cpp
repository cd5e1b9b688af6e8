// qgen cost: the predicted time per training step, speed-up and parallel efficiency of a QCBM
// on 1 to thousands of ranks, with and without rank groups (train/step_cost_model.hpp,
// docs/cost-model.md). For planning an allocation before asking for it; nothing is simulated.
//
//   qgen cost --qubits 24 --depth 6 --ansatz 1 --ranks 1,2,4,...,4096 [--shots 20000]
//             [--calibration file.json] [--node-memory-gib 256] [--cores-per-node 128]
//
// Runs on the lead rank alone (any number of ranks may start it).
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "qgen/app/command.hpp"
#include "qgen/app/options.hpp"
#include "qgen/circuits/ansatz.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/core/text.hpp"
#include "qgen/train/step_cost_model.hpp"

namespace qgen::app {
namespace {

po::options_description cost_options() {
  po::options_description options("qgen cost options");
  options.add_options()
      ("qubits", po::value<std::string>()->default_value("8,12,16,20,24"), "qubit counts Q (list)")
      ("ansatz", count_option(1), "1 (brick layer) or 2 (disconnected tree)")
      ("depth", count_option(6), "layers d")
      ("features", count_option(2), "features (ansatz 2: blocks of Q / features qubits)")
      ("shots", count_option(0), "shots per circuit (0: exact probabilities)")
      ("shift", enum_option(sim::ShiftEvaluation::paired), "parameter-shift evaluation: paired or direct")
      ("ranks", po::value<std::string>()->default_value("1,2,4,8,16,32,64,128,256,512,1024,2048,4096"),
       "rank counts R (list)")
      ("calibration", po::value<std::string>(),
       "calibration file of qgen-bench-cost (default: the figures built in, measured on qgen's "
       "development machine)")
      ("node-memory-gib", po::value<double>()->default_value(256.0), "memory per node usable by qgen (GiB)")
      ("cores-per-node", count_option(128), "cores per node")
      ("ranks-per-node", count_option(0), "ranks per node (0: as many as fit in memory, at most one per core)")
      ("group-size", count_option(0),
       "also print the predicted MPI traffic per rank and step with groups of this size (0: no)");
  return options;
}

std::vector<int> int_list(const po::variables_map& values, const std::string& key, int min, int max) {
  std::vector<int> out;
  for (const std::string& item : core::split_list(values[key].as<std::string>())) {
    long n = 0;
    std::size_t used = 0;
    try {
      n = std::stol(item, &used);
    } catch (...) {
      used = 0;
    }
    if (used != item.size() || item.empty())
      throw core::InputError("--" + key + ": '" + item + "' is not a whole number");
    if (n < min || n > max)
      throw core::InputError("--" + key + ": " + item + " is outside [" + std::to_string(min) + ", " +
                             std::to_string(max) + "]");
    out.push_back(static_cast<int>(n));
  }
  if (out.empty()) throw core::InputError("--" + key + ": give at least one value");
  refuse_repeats(core::split_list(values[key].as<std::string>()), key);
  return out;
}

train::CostCalibration load_calibration(const po::variables_map& values) {
  if (!values.count("calibration")) return train::builtin_calibration();
  const std::string path = values["calibration"].as<std::string>();
  std::ifstream in(path);
  if (!in) throw core::InputError("--calibration: cannot read '" + path + "'");
  std::stringstream text;
  text << in.rdbuf();
  return train::calibration_from_json(text.str(), path);
}

std::string seconds_text(double s) {
  char b[32];
  if (s >= 100) std::snprintf(b, sizeof b, "%.0f s", s);
  else if (s >= 1) std::snprintf(b, sizeof b, "%.2f s", s);
  else if (s >= 1e-3) std::snprintf(b, sizeof b, "%.2f ms", s * 1e3);
  else std::snprintf(b, sizeof b, "%.1f us", s * 1e6);
  return b;
}

void print_table(const po::variables_map& values) {
  const std::vector<int> qubits = int_list(values, "qubits", 2, 40);
  const std::vector<int> ranks = int_list(values, "ranks", 1, 1 << 24);
  const train::CostCalibration c = load_calibration(values);
  train::MachineShape machine;
  machine.node_memory = values["node-memory-gib"].as<double>() * 1024.0 * 1024.0 * 1024.0;
  if (!(machine.node_memory > 0)) throw core::InputError("--node-memory-gib must be positive");
  machine.cores_per_node = static_cast<int>(count_from(values, "cores-per-node", 1, 1 << 20));
  machine.ranks_per_node = static_cast<int>(count_from(values, "ranks-per-node", 0, 1 << 20));
  train::EngineOptions options;
  options.shots = count_from(values, "shots", 0, kMaxEvents);
  options.shift_evaluation = enum_from<sim::ShiftEvaluation>(values, "shift");
  const int features = static_cast<int>(count_from(values, "features", 1, 40));

  std::printf("qgen cost: predicted seconds per parameter-shift step (docs/cost-model.md)\n"
              "  calibration    %s (%s)\n"
              "  machine        %s per node, %d cores per node, %s\n"
              "  step           %s shift, %s\n",
              c.machine.c_str(), c.measured.c_str(), core::bytes_text(machine.node_memory).c_str(),
              machine.cores_per_node,
              machine.ranks_per_node > 0 ? (std::to_string(machine.ranks_per_node) + " ranks per node").c_str()
                                         : "as many ranks per node as fit in memory",
              core::name_of(options.shift_evaluation).c_str(),
              options.shots > 0 ? (std::to_string(options.shots) + " shots per circuit").c_str()
                                : "exact probabilities");
  for (int q : qubits) {
    circuits::AnsatzSpec spec;
    spec.ansatz = static_cast<int>(count_from(values, "ansatz", 1, 2));
    spec.depth = static_cast<int>(count_from(values, "depth", 1, 1000));
    spec.num_qubits = q;
    if (spec.ansatz == 2) {
      if (q % features != 0)
        throw core::InputError("--features " + std::to_string(features) + " does not divide " + std::to_string(q) + " qubits");
      spec.block_size = q / features;
    }
    circuits::check_ansatz(spec);
    const train::StepShape step = train::describe_step(circuits::build_qcbm_circuit(spec), options);
    const int P = step.num_parameters;

    // The reference: 1 rank when it fits, else the smallest rank count of the list that does.
    double reference = 0;
    int reference_ranks = 0;
    std::vector<train::StepPrediction> plain, best;
    for (int r : ranks) {
      plain.push_back(train::predict_step(step, c, machine, r, 1));
      best.push_back(train::best_layout(step, c, machine, r));
    }
    const train::StepPrediction one = train::predict_step(step, c, machine, 1, 1);
    if (one.fits) reference = one.seconds, reference_ranks = 1;
    else
      for (const auto& b : best)
        if (b.fits) {
          reference = b.seconds, reference_ranks = b.ranks;
          break;
        }

    std::printf("\nQ = %d, ansatz %d, depth %d: %d parameters, %d circuits per step (1 + 2P), %d suffix "
                "simulations; 1 rank: %s per step, %s per rank\n",
                q, spec.ansatz, spec.depth, P, step.circuits(), step.suffix_simulations(),
                seconds_text(one.seconds).c_str(), core::bytes_text(one.memory_per_rank).c_str());
    if (one.fits) {
      // Amdahl: the replicated part of one rank's step bounds the S = 1 speed-up.
      const train::StepPrediction at_p = train::predict_step(step, c, machine, P, 1);
      std::printf("  S = 1 (circuits split over ranks): at most %d busy ranks (one parameter each); "
                  "every rank repeats %s (the unshifted circuit, the paired final state, the prefix "
                  "walk, the loss), so the speed-up stays below %.0f (%.0f at R = %d)\n",
                  P, seconds_text(at_p.replicated).c_str(), one.seconds / at_p.replicated,
                  one.seconds / at_p.seconds, P);
    }
    std::printf("  %6s | %-10s %8s %6s %5s | %-11s %-10s %8s %6s %10s %9s %6s\n", "ranks", "S=1 step",
                "speed-up", "eff.", "busy", "best G x S", "step", "speed-up", "eff.", "mem/rank", "exch/step", "nodes");
    for (std::size_t k = 0; k < ranks.size(); ++k) {
      const auto& p = plain[k];
      const auto& b = best[k];
      char left[96], right[128];
      if (p.fits && reference > 0) {
        const auto [s, e] = train::speedup_and_efficiency(p, reference, reference_ranks);
        std::snprintf(left, sizeof left, "%-10s %8.1f %5.0f%% %5d", seconds_text(p.seconds).c_str(), s, 100 * e,
                      p.busy_groups);
      } else {
        std::snprintf(left, sizeof left, "%-10s %8s %6s %5s", "no fit", "", "", "");
      }
      if (b.fits && reference > 0) {
        const auto [s, e] = train::speedup_and_efficiency(b, reference, reference_ranks);
        const std::string layout = std::to_string(b.groups) + " x " + std::to_string(b.group_size);
        std::snprintf(right, sizeof right, "%-11s %-10s %8.1f %5.0f%% %10s %9.0f %6d", layout.c_str(),
                      seconds_text(b.seconds).c_str(), s, 100 * e, core::bytes_text(b.memory_per_rank).c_str(),
                      b.traffic.exchanges, b.nodes);
      } else {
        std::snprintf(right, sizeof right, "no layout fits (least: %s per rank with S = %d)",
                      core::bytes_text(b.memory_per_rank).c_str(), b.group_size);
      }
      std::printf("  %6d | %s | %s\n", ranks[k], left, right);
    }
    if (reference_ranks > 1)
      std::printf("  (speed-up and efficiency against %d ranks, the fewest that fit)\n", reference_ranks);
    const int forced = static_cast<int>(count_from(values, "group-size", 0, 1 << 20));
    if (forced > 0) {
      std::printf("  traffic per rank and step, groups of %d (group 0's slowest rank; docs/cost-model.md):\n"
                  "  %6s %-9s %-10s %18s %18s %6s %14s %20s %20s\n",
                  forced, "ranks", "G x S", "step", "MPI_Allreduce", "MPI_Reduce_scatter", "Bcast", "PETSc scatters",
                  "exchanges", "2^Q gathers");
      for (int r : ranks) {
        if (r % forced != 0) continue;
        const train::StepPrediction f = train::predict_step(step, c, machine, r, forced);
        const train::StepTraffic& t = f.traffic;
        const std::string layout = std::to_string(f.groups) + " x " + std::to_string(f.group_size);
        std::printf("  %6d %-9s %-10s %7.0f (%7.0f B) %7.0f (%7.0f B) %6.0f %14.0f %8.0f (%9.0f B) %8.0f (%9.0f B)\n", r,
                    layout.c_str(), seconds_text(f.seconds).c_str(), t.allreduce_calls, t.allreduce_bytes, t.reduce_scatter_calls,
                    t.reduce_scatter_bytes, t.broadcast_calls, t.parameter_gathers, t.exchanges, t.exchange_bytes,
                    t.distribution_gathers, t.distribution_bytes);
      }
    }
  }
}

}  // namespace

int run_cost_command(const core::Ranks& ranks, const Words& words) {
  const po::options_description options = cost_options();
  ParsedOptions parsed;
  core::collectively(ranks, [&] { parsed = parse_options("cost", options, words); });
  if (parsed.help) {
    print_help("qgen cost [--qubits 8,12,...] [--depth D] [--ansatz 1|2] [--shots N] [--ranks 1,2,...] "
               "[--calibration FILE]",
               options, ranks.lead());
    return 0;
  }
  core::on_lead(ranks, [&] { print_table(parsed.values); });
  return 0;
}

}  // namespace qgen::app
