// qgen serve-exchange: serves an exchange directory (hw/exchange_backend.hpp, docs/exchange.md)
// with the noisy emulator, as a site's script would serve it with a real device.
//
//   qgen serve-exchange --device inputs/devices/ibmq_guadalupe --dir D [--method trajectories]
//                       [--seed N] [--poll SECONDS] [--idle-exit SECONDS] [--once]
//
// Every poll interval it looks for batches in D/batches without results, in name order; for
// each it reads the manifest and every circuit's OpenQASM (hw/qasm_import.hpp), runs the
// circuits with the device's noise at calibration batch `number` of the manifest (the drift,
// when noise.drift > 0), draws the manifest's shots per circuit from a counter-based stream keyed
// by (seed, FNV-1a 64 of "<batch id>#<circuit index>"), so the counts are the same whenever
// and wherever the batch is served, and writes D/results/<id>.json atomically. One progress line
// per batch. --once serves what is there and exits; --idle-exit exits after that many seconds
// with nothing to do. A bad batch (manifest, OpenQASM, another device) stops the server with
// one message naming the file (exit 2): a result is never guessed. Runs on the lead rank.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "qgen/app/command.hpp"
#include "qgen/app/emulator_options.hpp"
#include "qgen/app/options.hpp"
#include "qgen/core/atomic_file.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/core/random_stream.hpp"
#include "qgen/hw/exchange_protocol.hpp"
#include "qgen/hw/noisy_emulator.hpp"
#include "qgen/hw/qasm_import.hpp"
#include "qgen/sim/sampling.hpp"

namespace qgen::app {
namespace {

namespace fs = std::filesystem;

po::options_description serve_exchange_options() {
  po::options_description options("qgen serve-exchange options");
  options.add_options()
      ("dir", po::value<std::string>(), "the exchange directory to serve (holds batches/ and results/)")
      ("seed", count_option(1), "seed of the shots (>= 0)")
      ("poll", po::value<double>()->default_value(2.0), "seconds between looks at the directory (> 0)")
      ("idle-exit", po::value<double>()->default_value(0.0), "exit after this many seconds with nothing to do (0: never)")
      ("once", flag(), "serve the batches waiting now and exit");
  add_emulator_options(options);
  return options;
}

/// The stream of the shots of circuit `index` of batch `id`.
std::uint64_t shot_stream(const std::string& id, std::size_t index) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : id + "#" + std::to_string(index)) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

bool same_layout(const hw::Layout& a, const hw::Layout& b) {
  return a.physical == b.physical && a.final == b.final;
}

class Server {
public:
  explicit Server(const po::variables_map& values)
      : device_(hw::DeviceModel::read_folder(values["device"].as<std::string>())),
        options_(emulator_options_from(values).emulator),
        noise_(device_, options_.noise),
        dir_(values["dir"].as<std::string>()),
        seed_(count_from(values, "seed", 0, kMaxSeed)) {
    fs::create_directories(dir_ / "results");
  }

  const hw::DeviceModel& device() const { return device_; }
  const hw::EmulatorOptions& options() const { return options_; }

  /// Serves every batch waiting now; returns how many.
  int serve_waiting() {
    std::vector<std::string> ids;
    const fs::path batches = hw::exchange::batches_folder(dir_);
    if (!fs::is_directory(batches)) return 0;
    for (const fs::directory_entry& e : fs::directory_iterator(batches)) {
      if (hw::exchange::is_temporary(e.path()) || !e.is_directory()) continue;
      const std::string id = e.path().filename().string();
      if (fs::exists(e.path() / "manifest.json") && !fs::exists(hw::exchange::results_path(dir_, id)))
        ids.push_back(id);
    }
    std::sort(ids.begin(), ids.end());
    for (const std::string& id : ids) serve(id);
    return static_cast<int>(ids.size());
  }

private:
  void serve(const std::string& id) {
    const auto start = std::chrono::steady_clock::now();
    const fs::path folder = hw::exchange::batch_folder(dir_, id);
    const fs::path manifest_path = folder / "manifest.json";
    const hw::exchange::Manifest m = hw::exchange::read_manifest(manifest_path);
    const std::string where = "exchange manifest '" + manifest_path.string() + "'";
    if (m.batch != id) throw core::DataError(where + ": names batch \"" + m.batch + "\", its folder is \"" + id + "\"");
    if (m.device != device_.name())
      throw core::DataError(where + ": a batch for " + m.device + "; this server emulates " + device_.name());

    std::vector<hw::CompactProgram> programs;
    for (const std::string& name : m.circuits) {
      const fs::path path = folder / name;
      const std::string file = "'" + path.string() + "'";
      const hw::DeviceProgram program = hw::read_device_qasm(hw::exchange::read_file(path), device_, file);
      if (static_cast<int>(program.measured.size()) != m.num_qubits)
        throw core::DataError(file + ": measures " + std::to_string(program.measured.size()) +
                              " bits; the manifest says num_qubits " + std::to_string(m.num_qubits));
      programs.push_back(hw::compact_program(program));
    }

    // Consecutive circuits on the same qubits (a sweep) run together: shared prefixes, one split.
    std::vector<hw::Counts> counts;
    for (std::size_t first = 0; first < programs.size();) {
      std::size_t last = first + 1;
      while (last < programs.size() && same_layout(programs[last].layout, programs[first].layout)) ++last;
      std::vector<hw::DeviceCircuit> group;
      for (std::size_t i = first; i < last; ++i) group.push_back(programs[i].circuit);
      const auto p = hw::device_circuit_probabilities(noise_, group, programs[first].layout, options_, m.number);
      for (std::size_t i = first; i < last; ++i) {
        core::RandomStream stream(seed_, shot_stream(id, i));
        counts.push_back(sim::sample_counts(p[i - first], m.shots, stream));
      }
      first = last;
    }

    const fs::path results = hw::exchange::results_path(dir_, id);
    core::remove_stale_temporaries(results);
    core::write_text_atomically(results, hw::exchange::results_text(id, counts, m.num_qubits));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("  served         %s: %zu circuits x %llu shots, %d qubits, %.2f s\n", id.c_str(), counts.size(),
                static_cast<unsigned long long>(m.shots), m.num_qubits, seconds);
    std::fflush(stdout);
  }

  hw::DeviceModel device_;
  hw::EmulatorOptions options_;
  hw::NoiseModel noise_;
  fs::path dir_;
  std::uint64_t seed_;
};

void serve(const po::variables_map& values) {
  const std::string device = values["device"].as<std::string>();
  const std::string dir = values["dir"].as<std::string>();
  if (!fs::is_directory(device))
    throw core::InputError("--device '" + device + "' is not a folder (a device folder holding props.json and "
                           "conf.json, e.g. inputs/devices/ibmq_guadalupe)");
  if (!fs::is_directory(dir)) throw core::InputError("--dir '" + dir + "' is not an existing folder");
  const double poll = values["poll"].as<double>(), idle_exit = values["idle-exit"].as<double>();
  const bool once = values["once"].as<bool>();

  Server server(values);
  std::printf("qgen serve-exchange\n  device         %s (%d qubits)\n  directory      %s\n"
              "  method         %s\n",
              server.device().name().c_str(), server.device().num_qubits(), dir.c_str(),
              core::name_of(server.options().method).c_str());
  std::fflush(stdout);
  int served = 0;
  auto last_work = std::chrono::steady_clock::now();
  for (;;) {
    const int n = server.serve_waiting();
    served += n;
    const auto now = std::chrono::steady_clock::now();
    if (n > 0) last_work = now;
    if (once) break;
    if (idle_exit > 0 && std::chrono::duration<double>(now - last_work).count() >= idle_exit) {
      std::printf("  idle           %g s with nothing to do: exiting\n", idle_exit);
      break;
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(poll));
  }
  std::printf("  batches        %d served\n", served);
}

}  // namespace

int run_serve_exchange_command(const core::Ranks& ranks, const Words& words) {
  const po::options_description options = serve_exchange_options();
  ParsedOptions parsed;
  core::collectively(ranks, [&] {
    parsed = parse_options("serve-exchange", options, words);
    if (parsed.help) return;
    if (!parsed.values.count("device")) throw core::InputError("--device: a device folder, e.g. inputs/devices/ibmq_guadalupe");
    if (!parsed.values.count("dir")) throw core::InputError("--dir: the exchange directory to serve");
    emulator_options_from(parsed.values);
    count_from(parsed.values, "seed", 0, kMaxSeed);
    if (!(parsed.values["poll"].as<double>() > 0))
      throw core::InputError("--poll = " + std::to_string(parsed.values["poll"].as<double>()) + " (seconds, > 0)");
    if (!(parsed.values["idle-exit"].as<double>() >= 0))
      throw core::InputError("--idle-exit = " + std::to_string(parsed.values["idle-exit"].as<double>()) +
                             " (seconds, >= 0; 0: never)");
  });
  if (parsed.help) {
    print_help("qgen serve-exchange --device DEVICE_FOLDER --dir EXCHANGE_DIR [--once | --idle-exit SECONDS]",
               options, ranks.lead());
    return 0;
  }
  core::on_lead(ranks, [&] { serve(parsed.values); });
  return 0;
}

}  // namespace qgen::app
