#include "qgen/hw/exchange_backend.hpp"

#include <unistd.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>

#include "qgen/core/errors.hpp"
#include "qgen/hw/exchange_protocol.hpp"

namespace qgen::hw {
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

std::string host_name() {
  char buffer[256] = {};
  if (gethostname(buffer, sizeof buffer - 1) != 0) return "host";
  return buffer;
}

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.flush();
  if (!out) throw fs::filesystem_error("exchange: writing failed", path, std::make_error_code(std::errc::io_error));
}

struct BatchFiles {
  std::string manifest;
  std::vector<std::pair<std::string, std::string>> circuits;  // name, text
};

/// What differs between the batch folder `folder` and `files`; "" when nothing.
std::string difference(const fs::path& folder, const BatchFiles& files) {
  const fs::path manifest = folder / "manifest.json";
  if (!fs::exists(manifest)) return "it has no manifest.json";
  try {
    if (json::parse(exchange::read_file(manifest)) != json::parse(files.manifest))
      return "its manifest.json differs (another device, shots, number or circuit count)";
  } catch (const json::parse_error&) {
    return "its manifest.json is not valid JSON";
  }
  for (const auto& [name, text] : files.circuits) {
    if (!fs::exists(folder / name)) return "it has no " + name;
    if (exchange::read_file(folder / name) != text) return "its " + name + " differs (other parameters)";
  }
  return "";
}

}  // namespace

ExchangeBackend::ExchangeBackend(ExchangeOptions options, QasmOfParameters qasm_of)
    : options_(std::move(options)), qasm_of_(std::move(qasm_of)) {
  if (options_.num_qubits < 1 || options_.num_qubits > 30)
    throw core::InputError("exchange: " + std::to_string(options_.num_qubits) + " qubits (1 to 30)");
  if (options_.max_experiments < 1 || options_.max_shots < 1)
    throw core::InputError("exchange: max_experiments and max_shots must be at least 1");
  if (!qasm_of_) throw core::InternalError("exchange: no OpenQASM writer");
  const fs::path& d = options_.directory;
  if (d.empty()) throw core::InputError("exchange: no directory given");
  if (fs::exists(d) && !fs::is_directory(d))
    throw core::DataError("exchange directory '" + d.string() + "' is not a folder");
  std::error_code error;
  fs::create_directories(exchange::batches_folder(d), error);
  if (!error) fs::create_directories(d / "results", error);
  if (error) throw core::DataError("exchange directory '" + d.string() + "': " + error.message());
}

std::string ExchangeBackend::describe() const { return "exchange(" + options_.directory.string() + ")"; }

void ExchangeBackend::submit(const BatchRequest& batch) {
  exchange::check_batch_id(batch.id);
  const std::size_t n = batch.parameter_sets.size();
  if (n == 0) throw core::InputError("exchange: batch '" + batch.id + "' has no circuits");
  if (n > static_cast<std::size_t>(options_.max_experiments))
    throw core::InputError("exchange: batch '" + batch.id + "' has " + std::to_string(n) + " circuits; " +
                           options_.device + " takes at most " + std::to_string(options_.max_experiments));
  if (batch.shots < 1 || batch.shots > options_.max_shots)
    throw core::InputError("exchange: batch '" + batch.id + "' asks for " + std::to_string(batch.shots) +
                           " shots; " + options_.device + " takes 1 to " + std::to_string(options_.max_shots));

  BatchFiles files;
  exchange::Manifest m;
  m.batch = batch.id;
  m.number = batch.number;
  m.device = options_.device;
  m.shots = batch.shots;
  m.num_qubits = options_.num_qubits;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string name = exchange::circuit_file_name(i, n);
    m.circuits.push_back(name);
    files.circuits.emplace_back(name, qasm_of_(batch.parameter_sets[i]));
  }
  files.manifest = exchange::manifest_text(m);

  const fs::path target = exchange::batch_folder(options_.directory, batch.id);
  auto check_existing = [&] {
    const std::string d = difference(target, files);
    if (!d.empty())
      throw core::DataError("exchange: batch '" + batch.id + "' is already in '" + target.string() +
                            "' with other contents (" + d + "): another run's batch of the same id? "
                            "Use a fresh exchange directory for a new run");
  };
  if (fs::exists(target)) return check_existing();

  const fs::path temporary =
      exchange::batches_folder(options_.directory) /
      ("." + batch.id + ".tmp." + host_name() + "." + std::to_string(static_cast<long>(getpid())));
  fs::remove_all(temporary);
  fs::create_directory(temporary);
  try {
    for (const auto& [name, text] : files.circuits) write_file(temporary / name, text);
    write_file(temporary / "manifest.json", files.manifest);
    fs::rename(temporary, target);
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(temporary, ignored);
    if (fs::exists(target)) return check_existing();  // written meanwhile by another process
    throw;
  }
}

std::optional<std::vector<Counts>> ExchangeBackend::poll(const BatchRequest& batch) {
  exchange::check_batch_id(batch.id);
  const fs::path path = exchange::results_path(options_.directory, batch.id);
  if (!fs::exists(path)) return std::nullopt;
  const std::string text = exchange::read_file(path);
  std::vector<Counts> counts =
      exchange::parse_results(text, "exchange results '" + path.string() + "'", batch.id,
                              batch.parameter_sets.size(), batch.shots, options_.num_qubits);
  journal(batch, exchange::checksum(text), path);
  return counts;
}

void ExchangeBackend::journal(const BatchRequest& batch, const std::string& checksum, const fs::path& results) {
  const fs::path path = exchange::journal_path(options_.directory);
  if (fs::exists(path)) {
    std::istringstream lines(exchange::read_file(path));
    std::string line;
    for (int number = 1; std::getline(lines, line); ++number) {
      if (line.empty()) continue;
      const std::string where = "exchange journal '" + path.string() + "' line " + std::to_string(number);
      json entry;
      try {
        entry = json::parse(line);
      } catch (const json::parse_error& e) {
        throw core::DataError(where + ": not valid JSON (" + e.what() + ")");
      }
      if (!entry.is_object() || !entry.contains("batch") || !entry.contains("checksum") ||
          !entry["batch"].is_string() || !entry["checksum"].is_string())
        throw core::DataError(where + ": not an entry {\"batch\": ..., \"checksum\": ...}");
      if (entry["batch"] != batch.id) continue;
      if (entry["checksum"] == checksum) return;  // read before: nothing to add
      throw core::DataError("exchange results '" + results.string() + "' changed after qgen read them at " +
                            entry.value("time", std::string("?")) + " (journal checksum " +
                            entry["checksum"].get<std::string>() + ", now " + checksum +
                            "): a restarted run would continue from other counts");
    }
  }
  const json entry{{"batch", batch.id}, {"time", utc_now()}, {"checksum", checksum},
                   {"circuits", batch.parameter_sets.size()}, {"shots", batch.shots}};
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << entry.dump() + "\n";  // one write of one short line: whole lines even if two append
  out.flush();
  if (!out) throw core::DataError("exchange journal '" + path.string() + "' cannot be appended to");
}

}  // namespace qgen::hw
