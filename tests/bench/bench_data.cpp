// qgen-bench-data: event input throughput (issue 3). Each reader reads a file of events and the
// result is encoded into the 2^Q-state target (4 qubits per feature), as training does:
//   HDF5  10^6 dijet events (pT, mass, eta) written by qgen's own writer
//   CSV   the same 10^6 events as text
//   LHE   50,000 events each: the shipped POWHEG Z file repeated (zll observables; about
//         1.1 kB per event) and the shipped MadGraph dijet file repeated (jet observables with
//         FastJet; 6.2 kB per event, mostly 145 reweighting entries), each as plain text and
//         gzip-compressed. The inflate rate alone on the gzip files is measured alongside,
//         since it bounds what any reader of them can reach: qgen's ByteStream (ISA-L igzip)
//         and zlib's gzread, the common choice, for comparison.
// The files are made in a temporary folder first. Medians of 5; events per second.
#include <benchmark/benchmark.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "median_reporter.hpp"
#include "qgen/data/binning.hpp"
#include "qgen/data/byte_stream.hpp"
#include "qgen/data/csv_reader.hpp"
#include "qgen/data/event_input.hpp"
#include "qgen/data/generators.hpp"
#include "qgen/data/hdf5_table.hpp"

namespace {

using namespace qgen;
namespace fs = std::filesystem;

const fs::path kFolder = fs::temp_directory_path() / "qgen-bench-data";
constexpr std::size_t kTableEvents = 1000000;
constexpr int kLheRepeats = 500;  // x 100 POWHEG events; / 10 x 1000 MadGraph events

std::string file(const char* name) { return (kFolder / name).string(); }

// An LHE file whose events are those of `source` repeated `repeats` times.
void repeat_lhe(const std::string& source, const std::string& target, int repeats, bool gzip) {
  gzFile in = gzopen(source.c_str(), "rb");
  std::string text;
  char buffer[1 << 16];
  for (int n; (n = gzread(in, buffer, sizeof buffer)) > 0;) text.append(buffer, n);
  gzclose(in);
  const auto first = text.find("<event");
  const auto last = text.rfind("</event>") + 8;
  std::string body = text.substr(first, last - first) + "\n";
  gzFile out = gzopen(target.c_str(), gzip ? "wb6" : "wbT");
  gzwrite(out, text.data(), static_cast<unsigned>(first));
  for (int k = 0; k < repeats; ++k) gzwrite(out, body.data(), static_cast<unsigned>(body.size()));
  const std::string end = "</LesHouchesEvents>\n";
  gzwrite(out, end.data(), static_cast<unsigned>(end.size()));
  gzclose(out);
}

void make_files() {
  fs::create_directories(kFolder);
  const data::Table t = data::generate_dijet(kTableEvents, 1);
  data::write_hdf5_table(file("dijet.h5"), t);
  std::ofstream csv(file("dijet.csv"));
  csv << "pT,mass,eta\n";
  char line[128];
  for (std::size_t r = 0; r < t.rows(); ++r) {
    std::snprintf(line, sizeof line, "%.9g,%.9g,%.9g\n", t.at(r, 0), t.at(r, 1), t.at(r, 2));
    csv << line;
  }
  const std::string inputs = std::string(QGEN_SOURCE_DIR) + "/inputs/data/";
  const std::string z = inputs + "pylhe-testfile-powheg-box-v2-Z.lhe";
  const std::string jj = inputs + "pylhe-testfile-madgraph5-3.5.8-pp_to_jj.lhe.gz";
  repeat_lhe(z, file("z.lhe"), kLheRepeats, false);
  repeat_lhe(z, file("z.lhe.gz"), kLheRepeats, true);
  repeat_lhe(jj, file("jj.lhe"), kLheRepeats / 10, false);
  repeat_lhe(jj, file("jj.lhe.gz"), kLheRepeats / 10, true);
}

void BM_Read(benchmark::State& state, std::string path, data::ObservableSet observables,
             std::vector<std::string> features) {
  data::InputOptions options;
  options.observables = observables;
  std::size_t events = 0;
  for (auto _ : state) {
    data::InputReport report;
    const data::Table t = data::load_events(path, options, report);
    const data::Table selected = t.select(features);
    const data::Binning binning = data::make_binning(selected, {4, data::BinningMode::equal_width, {}});
    const data::Encoding e = data::encode(selected, binning);
    benchmark::DoNotOptimize(e.probabilities.data());
    events = report.selection.read;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * events));
  state.counters["events"] = static_cast<double>(events);
}

// Inflate alone over a whole file, with zlib's gzread or qgen's ByteStream: the decompression
// bound of a gzip reader.
void BM_Inflate(benchmark::State& state, std::string path, bool zlib) {
  std::vector<char> buffer(1 << 20);
  std::size_t bytes = 0;
  for (auto _ : state) {
    bytes = 0;
    if (zlib) {
      gzFile f = gzopen(path.c_str(), "rb");
      gzbuffer(f, 1 << 18);
      for (int n; (n = gzread(f, buffer.data(), static_cast<unsigned>(buffer.size()))) > 0;) bytes += n;
      gzclose(f);
    } else {
      data::ByteStream stream(path);
      for (std::size_t n; (n = stream.read(buffer.data(), buffer.size())) > 0;) bytes += n;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}

}  // namespace

int main(int argc, char** argv) {
  make_files();
  using data::ObservableSet;
  const std::vector<std::string> jet = {"pT", "mass", "eta"};
  struct Case {
    const char* name;
    std::string path;
    ObservableSet observables;
    std::vector<std::string> features;
    double target;  // events/s
  };
  const std::vector<Case> cases = {
      {"HDF5", file("dijet.h5"), ObservableSet::columns, jet, 5e6},
      {"CSV", file("dijet.csv"), ObservableSet::columns, jet, 1e6},
      {"LHE_zll", file("z.lhe"), ObservableSet::zll, {"pT_plus", "pT_minus", "M_ll"}, 5e4},
      {"LHE_zll_gz", file("z.lhe.gz"), ObservableSet::zll, {"pT_plus", "pT_minus", "M_ll"}, 5e4},
      {"LHE_jet", file("jj.lhe"), ObservableSet::jet, jet, 5e4},
      {"LHE_jet_gz", file("jj.lhe.gz"), ObservableSet::jet, jet, 5e4},
  };
  for (const char* gz : {"z.lhe.gz", "jj.lhe.gz"})
    for (const char* library : {"igzip", "zlib"})
      benchmark::RegisterBenchmark((std::string("Inflate/") + library + "/" + gz).c_str(), BM_Inflate,
                                   file(gz), std::string(library) == "zlib")
          ->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);
  for (const Case& c : cases)
    benchmark::RegisterBenchmark((std::string("Read/") + c.name).c_str(), BM_Read, c.path,
                                 c.observables, c.features)
        ->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);
  benchmark::Initialize(&argc, argv);
  qgen::bench::MedianReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  std::printf("\n== qgen-bench-data summary (medians of 5; read + observables + encode) ==\n");
  std::printf("%-11s %10s %9s %16s %14s\n", "reader", "events", "time [s]", "events/s", "target");
  for (const Case& c : cases) {
    const auto* r = reporter.find(std::string("Read/") + c.name);
    if (!r) continue;
    const double rate = r->counter("items_per_second");
    std::printf("%-11s %10.0f %9.3f %16.0f %14s %s\n", c.name, r->counter("events"), r->seconds,
                rate, (">= " + std::to_string(static_cast<long>(c.target))).c_str(),
                rate >= c.target ? "met" : "MISSED");
  }
  for (const char* gz : {"z.lhe.gz", "jj.lhe.gz"})
    for (const char* library : {"igzip", "zlib"}) {
      const auto* r = reporter.find(std::string("Inflate/") + library + "/" + gz);
      if (!r) continue;
      const double events = 50000;
      std::printf("%-5s inflate alone on %-9s %7.1f MB/s of text: at most %.0f events/s\n", library,
                  gz, r->counter("bytes_per_second") / 1e6, events / r->seconds);
    }
  std::error_code ec;
  fs::remove_all(kFolder, ec);
  benchmark::Shutdown();
  return 0;
}
