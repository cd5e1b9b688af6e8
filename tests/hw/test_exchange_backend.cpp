// The exchange directory backend: the files submit writes (checked field by field, not with the
// code that writes them), a round trip through a fake server, the bit order of counts keys
// against hand-worked keys and an asymmetric circuit run through the whole chain (export,
// import, emulation, results file, poll), every malformed results file, resubmission as a no-op,
// a different batch of the same id refused, temporaries ignored, the journal; a manifest asking
// for more shots than 32-bit counts hold.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>

#include "../support/expect_error.hpp"
#include "../support/temp_dir.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/core/random_stream.hpp"
#include "qgen/hw/exchange_backend.hpp"
#include "qgen/hw/exchange_protocol.hpp"
#include "qgen/hw/noisy_emulator.hpp"
#include "qgen/hw/qasm_import.hpp"
#include "qgen/sim/sampling.hpp"

namespace qgen::hw {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using testing::expect_error;

std::string fake_qasm(std::span<const double> p) {
  std::string s = "OPENQASM 2.0;\n// parameters";
  for (double x : p) s += " " + std::to_string(x);
  return s + "\n";
}

struct Exchange {
  testing::TempDir tmp;
  fs::path dir = fs::path(tmp.file("x"));
  ExchangeBackend backend{{dir, "fake_device", 3, 10, 1000}, fake_qasm};

  BatchRequest batch(const std::string& id, std::uint64_t shots = 10,
                     std::vector<std::vector<double>> sets = {{0.5}, {1.5}}) {
    return {id, 4, shots, std::move(sets)};
  }
  fs::path results(const std::string& id) const { return dir / "results" / (id + ".json"); }
  void write(const fs::path& path, const std::string& text) const { std::ofstream(path, std::ios::binary) << text; }
  std::size_t journal_lines() const {
    std::ifstream in(dir / "journal.jsonl");
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) n += !line.empty();
    return n;
  }
};

TEST(ExchangeBackend, SubmitWritesTheBatchFolder) {
  Exchange x;
  x.backend.submit(x.batch("it3_layer0"));
  const fs::path folder = x.dir / "batches" / "it3_layer0";
  std::ifstream in(folder / "manifest.json");
  const json m = json::parse(in);
  EXPECT_EQ(m["format"], "qgen-exchange-1");
  EXPECT_EQ(m["batch"], "it3_layer0");
  EXPECT_EQ(m["number"], 4);
  EXPECT_EQ(m["device"], "fake_device");
  EXPECT_EQ(m["shots"], 10);
  EXPECT_EQ(m["num_qubits"], 3);
  EXPECT_EQ(m["circuits"], json({"circuit_000.qasm", "circuit_001.qasm"}));
  EXPECT_NE(m["bit_order"].get<std::string>().find("c[0] rightmost"), std::string::npos);
  const std::vector<double> p1{1.5};
  EXPECT_EQ(exchange::read_file(folder / "circuit_001.qasm"), fake_qasm(p1));
  // Nothing else in batches/: the temporary folder was renamed.
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(x.dir / "batches")) ++entries;
  EXPECT_EQ(entries, 1u);
  EXPECT_EQ(exchange::circuit_file_name(7, 1000), "circuit_007.qasm");
  EXPECT_EQ(exchange::circuit_file_name(7, 1001), "circuit_0007.qasm");
}

TEST(ExchangeBackend, RoundTripThroughAFakeServer) {
  Exchange x;
  const BatchRequest b = x.batch("b1");
  x.backend.submit(b);
  EXPECT_FALSE(x.backend.poll(b).has_value());
  // Circuit 1 first: results may come in any order; hex keys as some providers write them.
  x.write(x.results("b1"), R"({"batch": "b1", "results": [
            {"circuit": 1, "counts": {"0x0": 4, "0x7": 6}},
            {"circuit": 0, "counts": {"000": 1, "011": 2, "111": 7}}]})");
  const auto counts = x.backend.poll(b);
  ASSERT_TRUE(counts.has_value());
  ASSERT_EQ(counts->size(), 2u);
  EXPECT_EQ((*counts)[0], (Counts{1, 0, 0, 0, 0, 0, 2, 7}));  // "011" (c0 = c1 = 1) is qgen's 110 = 6
  EXPECT_EQ((*counts)[1], (Counts{4, 0, 0, 0, 0, 0, 0, 6}));
  EXPECT_EQ(x.journal_lines(), 1u);

  // A restarted run: a new backend re-reads the finished batch from results/, journals nothing new.
  ExchangeBackend again({x.dir, "fake_device", 3, 10, 1000}, fake_qasm);
  again.submit(b);
  EXPECT_EQ(again.poll(b), counts);
  EXPECT_EQ(x.journal_lines(), 1u);
  std::ifstream in(x.dir / "journal.jsonl");
  std::string line;
  std::getline(in, line);
  const json entry = json::parse(line);
  EXPECT_EQ(entry["batch"], "b1");
  EXPECT_EQ(entry["checksum"], exchange::checksum(exchange::read_file(x.results("b1"))));
  EXPECT_EQ(entry["shots"], 10);
}

TEST(ExchangeBackend, KeysAreQiskitKeysReadBackwards) {
  // c[0] is the rightmost character of a binary key and bit 0 of a hex key; it is circuit qubit
  // 0, qgen's most significant bit.
  EXPECT_EQ(exchange::outcome_of_key("001", 3, "t"), 4u);
  EXPECT_EQ(exchange::outcome_of_key("100", 3, "t"), 1u);
  EXPECT_EQ(exchange::outcome_of_key("110", 3, "t"), 3u);
  EXPECT_EQ(exchange::outcome_of_key("0x1", 3, "t"), 4u);
  EXPECT_EQ(exchange::outcome_of_key("0x6", 3, "t"), 3u);
  EXPECT_EQ(exchange::outcome_of_key("0x0001", 4, "t"), 8u);
  EXPECT_EQ(exchange::counts_key(4, 3), "001");
  EXPECT_EQ(exchange::counts_key(1, 3), "100");
  EXPECT_EQ(exchange::counts_key(3, 4), "1100");
}

TEST(ExchangeBackend, AsymmetricCircuitThroughTheWholeChain) {
  // X on circuit qubit 0 of 3: qgen's outcome 0b100 = 4; the device measures c[0] = 1, which
  // Qiskit prints as "001". Export, import, emulate, write results, poll.
  const DeviceModel device = DeviceModel::read_folder(testing::source_path("inputs/devices/ibmq_guadalupe"));
  sim::Circuit c(3);
  c.x(0);
  c.cnot(1, 2);
  EmulatorOptions o;
  o.noise.gate_errors = o.noise.relaxation = o.noise.readout = false;
  const NoisyEmulator emulator(device, c, o);
  testing::TempDir tmp;
  ExchangeBackend backend({tmp.file("x"), device.name(), 3, 10, 1000},
                          [&](std::span<const double> p) { return emulator.qasm(p); });
  const BatchRequest b{"asym", 0, 50, {{}}};
  backend.submit(b);
  const fs::path circuit = fs::path(tmp.file("x")) / "batches" / "asym" / "circuit_000.qasm";
  const CompactProgram program =
      compact_program(read_device_qasm(exchange::read_file(circuit), device, circuit.string()));
  const std::vector<DeviceCircuit> one{program.circuit};
  const auto p = device_circuit_probabilities(NoiseModel(device, o.noise), one, program.layout, o, 0);
  EXPECT_NEAR(p[0][4], 1.0, 1e-12);
  core::RandomStream stream(1, 0);
  const std::string text = exchange::results_text("asym", {sim::sample_counts(p[0], 50, stream)}, 3);
  EXPECT_NE(text.find("\"001\":50"), std::string::npos) << text;
  std::ofstream(fs::path(tmp.file("x")) / "results" / "asym.json") << text;
  const auto counts = backend.poll(b);
  ASSERT_TRUE(counts.has_value());
  EXPECT_EQ((*counts)[0][4], 50u);
}

TEST(ExchangeBackend, MalformedResultsAreErrorsNamingTheFile) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {R"({"batch": "b1", "results": [)", "not valid JSON"},
      {R"([1, 2])", "not a JSON object"},
      {R"({"batch": "b0", "results": []})", "the results of batch \"b0\", not \"b1\""},
      {R"({"batch": "b1"})", "no \"results\""},
      {R"({"batch": "b1", "results": [{"circuit": 0, "counts": {"000": 10}}]})", "no counts for circuit 1"},
      {R"({"batch": "b1", "results": [{"circuit": 0, "counts": {"000": 10}}, {"circuit": 0, "counts": {"000": 10}}]})",
       "circuit 0 appears twice"},
      {R"({"batch": "b1", "results": [{"circuit": 2, "counts": {"000": 10}}]})", "circuit 2 (the batch has 2"},
      {R"({"batch": "b1", "results": [{"circuit": 0, "counts": {"00": 10}}, {"circuit": 1, "counts": {"000": 10}}]})",
       "key \"00\" has 2 characters, not 3"},
      {R"({"batch": "b1", "results": [{"circuit": 0, "counts": {"0000": 10}}, {"circuit": 1, "counts": {"000": 10}}]})",
       "key \"0000\" has 4 characters, not 3"},
      {R"({"batch": "b1", "results": [{"circuit": 0, "counts": {"0a1": 10}}, {"circuit": 1, "counts": {"000": 10}}]})",
       "other than 0 and 1"},
      {R"({"batch": "b1", "results": [{"circuit": 0, "counts": {"0x8": 10}}, {"circuit": 1, "counts": {"000": 10}}]})",
       "key \"0x8\" is larger than 3 bits"},
      {R"({"batch": "b1", "results": [{"circuit": 0, "counts": {"0xg": 10}}, {"circuit": 1, "counts": {"000": 10}}]})",
       "not hexadecimal"},
      {R"({"batch": "b1", "results": [{"circuit": 0, "counts": {"000": 9}}, {"circuit": 1, "counts": {"000": 10}}]})",
       "circuit 0: counts sum to 9, not the batch's 10 shots"},
      {R"({"batch": "b1", "results": [{"circuit": 0, "counts": {"000": 5, "001": 6}}, {"circuit": 1, "counts": {"000": 10}}]})",
       "counts sum to 11"},
      {R"({"batch": "b1", "results": [{"circuit": 0, "counts": {"000": -1, "001": 11}}, {"circuit": 1, "counts": {"000": 10}}]})",
       "the count of key \"000\" is -1"},
      {R"({"batch": "b1", "results": [{"circuit": 0, "counts": {"001": 5, "0x1": 5}}, {"circuit": 1, "counts": {"000": 10}}]})",
       "names an outcome another key already gave"},
      {R"({"batch": "b1", "results": [{"circuit": 0, "counts": [10]}, {"circuit": 1, "counts": {"000": 10}}]})",
       "\"counts\" is not an object"},
  };
  for (const auto& [text, fragment] : cases) {
    Exchange x;
    const BatchRequest b = x.batch("b1");
    x.backend.submit(b);
    x.write(x.results("b1"), text);
    expect_error<core::DataError>([&] { x.backend.poll(b); }, fragment);
    expect_error<core::DataError>([&] { x.backend.poll(b); }, "results/b1.json");
    EXPECT_EQ(x.journal_lines(), 0u) << fragment;
  }
}

TEST(ExchangeBackend, ResubmissionIsANoOp) {
  Exchange x;
  const BatchRequest b = x.batch("b1");
  x.backend.submit(b);
  const fs::path manifest = x.dir / "batches" / "b1" / "manifest.json";
  const fs::path circuit = x.dir / "batches" / "b1" / "circuit_001.qasm";
  const auto old = fs::file_time_type::clock::now() - std::chrono::hours(24);
  fs::last_write_time(manifest, old);
  fs::last_write_time(circuit, old);
  x.backend.submit(b);
  ExchangeBackend again({x.dir, "fake_device", 3, 10, 1000}, fake_qasm);
  again.submit(b);
  EXPECT_EQ(fs::last_write_time(manifest), old);
  EXPECT_EQ(fs::last_write_time(circuit), old);
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(x.dir / "batches")) ++entries;
  EXPECT_EQ(entries, 1u);
}

TEST(ExchangeBackend, DifferentContentForTheSameIdIsRefused) {
  Exchange x;
  x.backend.submit(x.batch("b1"));
  expect_error<core::DataError>([&] { x.backend.submit(x.batch("b1", 10, {{0.5}, {2.5}})); },
                                "circuit_001.qasm differs");
  expect_error<core::DataError>([&] { x.backend.submit(x.batch("b1", 20)); }, "manifest.json differs");
  expect_error<core::DataError>([&] { x.backend.submit(x.batch("b1", 10, {{0.5}})); }, "manifest.json differs");
  ExchangeBackend other({x.dir, "other_device", 3, 10, 1000}, fake_qasm);
  expect_error<core::DataError>([&] { other.submit(x.batch("b1")); }, "already in");
}

TEST(ExchangeBackend, TemporariesAreIgnored) {
  Exchange x;
  const BatchRequest b = x.batch("b1");
  x.backend.submit(b);
  const std::string half = R"({"batch": "b1", "results": [{"circuit": 0, "co)";
  x.write(x.dir / "results" / "b1.json.tmp", half);
  x.write(x.dir / "results" / ".b1.json.tmp.node7.1234", half);
  EXPECT_FALSE(x.backend.poll(b).has_value());
  EXPECT_TRUE(exchange::is_temporary("results/b1.json.tmp"));
  EXPECT_TRUE(exchange::is_temporary(".b1.json"));
  EXPECT_FALSE(exchange::is_temporary("b1.json"));
}

TEST(ExchangeBackend, ResultsChangedAfterTheyWereReadAreRefused) {
  Exchange x;
  const BatchRequest b = x.batch("b1");
  x.backend.submit(b);
  x.write(x.results("b1"), R"({"batch": "b1", "results": [{"circuit": 0, "counts": {"000": 10}},
                                                          {"circuit": 1, "counts": {"000": 10}}]})");
  ASSERT_TRUE(x.backend.poll(b).has_value());
  x.write(x.results("b1"), R"({"batch": "b1", "results": [{"circuit": 0, "counts": {"001": 10}},
                                                          {"circuit": 1, "counts": {"000": 10}}]})");
  expect_error<core::DataError>([&] { x.backend.poll(b); }, "changed after qgen read them");
  x.write(x.dir / "journal.jsonl", "{not json\n");
  expect_error<core::DataError>([&] { x.backend.poll(b); }, "journal.jsonl' line 1");
}

TEST(ExchangeBackend, BadRequestsAreInputErrors) {
  Exchange x;
  expect_error<core::InputError>([&] { x.backend.submit(x.batch("../b")); }, "is not [A-Za-z0-9_.-]+");
  expect_error<core::InputError>([&] { x.backend.submit(x.batch(".hidden")); }, "not starting with '.'");
  expect_error<core::InputError>([&] { x.backend.submit(x.batch("b", 1001)); }, "1001 shots");
  expect_error<core::InputError>([&] { x.backend.submit(x.batch("b", 10, std::vector<std::vector<double>>(11, {0.0}))); },
                                 "has 11 circuits");
  expect_error<core::InputError>([&] { x.backend.submit(x.batch("b", 10, {})); }, "no circuits");
  EXPECT_FALSE(x.backend.parallel());
  EXPECT_EQ(x.backend.describe(), "exchange(" + x.dir.string() + ")");
  testing::TempDir tmp;
  const std::string file = tmp.write("plain", "x");
  expect_error<core::DataError>([&] { ExchangeBackend({file, "d", 3, 1, 1}, fake_qasm); }, "is not a folder");
}

TEST(ExchangeProtocol, ManifestShotsBeyondThirtyTwoBitCountsAreRefused) {
  // What a server reads: the manifest submit wrote, then the same with 2^32 shots.
  Exchange x;
  x.backend.submit(x.batch("b1"));
  const fs::path path = x.dir / "batches" / "b1" / "manifest.json";
  EXPECT_EQ(exchange::read_manifest(path).shots, 10u);
  json manifest;
  std::ifstream(path) >> manifest;
  manifest["shots"] = std::uint64_t{1} << 32;
  x.write(path, manifest.dump());
  expect_error<core::DataError>([&] { exchange::read_manifest(path); }, "shots 4294967296 (at most 4294967295)");
}

}  // namespace
}  // namespace qgen::hw
