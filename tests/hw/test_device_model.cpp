// Device models read from the shipped calibrations (values checked against the JSON text and the
// medians in inputs/devices/README.md) and every kind of bad calibration file, each written into
// a temporary folder from the real file with one defect, each refused with a DataError that
// names the file and the item.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../support/expect_error.hpp"
#include "../support/temp_dir.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/hw/device_model.hpp"

namespace qgen::hw {
namespace {

using json = nlohmann::json;
using testing::expect_error;

std::string guadalupe() { return testing::source_path("inputs/devices/ibmq_guadalupe"); }
std::string cairo() { return testing::source_path("inputs/devices/ibm_cairo"); }

json load(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

TEST(DeviceModel, ReadsGuadalupe) {
  const DeviceModel d = DeviceModel::read_folder(guadalupe());
  EXPECT_EQ(d.name(), "ibmq_guadalupe");
  EXPECT_EQ(d.num_qubits(), 16);
  EXPECT_EQ(d.max_experiments(), 900);
  EXPECT_EQ(d.max_shots(), 8192);
  EXPECT_EQ(d.coupling_map().size(), 32u);
  for (const char* g : {"rz", "sx", "x", "cx"})
    EXPECT_NE(std::find(d.basis_gates().begin(), d.basis_gates().end(), g), d.basis_gates().end());
  // Values as written in props.json (us and ns converted to seconds).
  EXPECT_DOUBLE_EQ(d.qubit(0).t1, 44.8664962391536e-6);
  EXPECT_DOUBLE_EQ(d.qubit(0).t2, 77.06572105507512e-6);
  EXPECT_DOUBLE_EQ(d.qubit(0).prob_meas0_prep1, 0.021399999999999975);
  EXPECT_DOUBLE_EQ(d.qubit(0).prob_meas1_prep0, 0.0058);
  EXPECT_DOUBLE_EQ(d.cx(12, 15).error, 0.007803807902862725);
  EXPECT_DOUBLE_EQ(d.cx(12, 15).length, 376.88888888888886e-9);
  EXPECT_DOUBLE_EQ(d.gate(BasisGate::rz, 3).error, 0.0);
  EXPECT_EQ(d.neighbours(1), (std::vector<int>{0, 2, 4}));
  EXPECT_TRUE(d.coupled(4, 1));
  EXPECT_FALSE(d.coupled(0, 2));
  std::vector<int> degree3;
  for (int q = 0; q < d.num_qubits(); ++q)
    if (d.neighbours(q).size() == 3) degree3.push_back(q);
  EXPECT_EQ(degree3, (std::vector<int>{1, 7, 8, 12}));  // heavy hex: four degree-3 qubits
  EXPECT_TRUE(d.clamped_t2().empty());

  // The medians quoted in the README.
  std::vector<double> t1, cx, readout;
  for (int q = 0; q < d.num_qubits(); ++q) {
    t1.push_back(d.qubit(q).t1);
    readout.push_back(d.qubit(q).readout_error());
  }
  for (const auto& [a, b] : d.coupling_map()) cx.push_back(d.cx(a, b).error);
  EXPECT_NEAR(median(t1), 71.9e-6, 0.05e-6);
  EXPECT_NEAR(median(cx), 1.01e-2, 0.005e-2);
  EXPECT_NEAR(median(readout), 0.0163, 0.0005);  // props' own readout_error: 0.01625
}

TEST(DeviceModel, ReadsCairoAndClampsItsTwoQubitsWithT2JustAboveTwoT1) {
  const DeviceModel d = DeviceModel::read_folder(cairo());
  EXPECT_EQ(d.num_qubits(), 27);
  EXPECT_EQ(d.max_experiments(), 300);
  EXPECT_EQ(d.max_shots(), 100000);
  EXPECT_EQ(d.coupling_map().size(), 56u);
  EXPECT_EQ(d.clamped_t2(), (std::vector<int>{23, 25}));
  EXPECT_DOUBLE_EQ(d.qubit(23).t2, 2 * d.qubit(23).t1);
  EXPECT_DOUBLE_EQ(d.qubit(23).t1, 104.32512715207217e-6);
  EXPECT_NEAR(d.cx(8, 11).error, 0.0536, 1e-4);
  for (int q = 0; q < d.num_qubits(); ++q) EXPECT_LE(d.qubit(q).t2, 2 * d.qubit(q).t1);
  // Without the tolerance the same file is refused, naming the first such qubit.
  expect_error<core::DataError>([&] { DeviceModel::read_folder(cairo(), {.t2_tolerance = 0.0}); },
                                "qubit 23: T2 = 210.789 us exceeds 2 T1 = 208.65 us");
}

TEST(DeviceModel, TooFewQubitsForACircuitIsAnInputError) {
  const DeviceModel d = DeviceModel::read_folder(guadalupe());
  EXPECT_NO_THROW(d.require_qubits(16, "the circuit"));
  expect_error<core::InputError>([&] { d.require_qubits(17, "the circuit"); },
                                 "the circuit needs 17 qubits; device ibmq_guadalupe has 16");
  expect_error<core::InputError>([&] { d.cx(0, 2); }, "no cx from qubit 0 to qubit 2");
}

/// Writes guadalupe's files into `dir` after `edit` changed their JSON; reads them back.
void read_edited(const testing::TempDir& dir,
                 const std::function<void(json& props, json& conf)>& edit) {
  json props = load(guadalupe() + "/props.json"), conf = load(guadalupe() + "/conf.json");
  edit(props, conf);
  dir.write("props.json", props.dump());
  dir.write("conf.json", conf.dump());
  DeviceModel::read_folder(dir.file(""));
}

json& qubit_entry(json& props, int q, const std::string& name) {
  for (json& e : props["qubits"][q])
    if (e["name"] == name) return e;
  throw std::logic_error("no " + name);
}

TEST(DeviceModel, BadCalibrationsAreDataErrorsNamingFileAndItem) {
  const testing::TempDir dir;
  const std::string props = dir.file("props.json"), conf = dir.file("conf.json");
  auto bad = [&](const std::function<void(json&, json&)>& edit, const std::string& file,
                 const std::string& fragment) {
    expect_error<core::DataError>([&] { read_edited(dir, edit); }, file + ": " + fragment);
  };
  bad([](json& p, json&) { p["qubits"].erase(15); }, props, "qubit 15: missing (");
  bad([](json&, json& c) { c["coupling_map"].push_back({3, 16}); }, conf,
      "coupling_map entry 32: refers to qubit 16, which does not exist (the device has 16 qubits)");
  bad([](json& p, json&) { qubit_entry(p, 2, "T1")["value"] = -40.0; }, props,
      "qubit 2: T1 = -40 us is not positive");
  bad([](json& p, json&) { qubit_entry(p, 5, "T2")["value"] = 3 * qubit_entry(p, 5, "T1")["value"].get<double>(); },
      props, "qubit 5: T2 = ");
  bad([](json& p, json&) {
        auto& list = p["qubits"][4];
        list.erase(std::remove_if(list.begin(), list.end(), [](const json& e) { return e["name"] == "T2"; }), list.end());
      }, props, "qubit 4: missing T2");
  bad([](json& p, json&) { qubit_entry(p, 7, "prob_meas0_prep1")["value"] = "high"; }, props,
      "qubit 7 prob_meas0_prep1: is not a number (\"high\")");
  bad([](json& p, json&) { qubit_entry(p, 1, "prob_meas1_prep0")["value"] = 1.5; }, props,
      "qubit 1: prob_meas1_prep0 = 1.5 is not a probability");
  bad([](json& p, json&) { qubit_entry(p, 3, "T1")["unit"] = "fortnights"; }, props,
      "qubit 3 T1: unknown time unit \"fortnights\"");
  bad([](json& p, json&) {
        for (json& g : p["gates"])
          if (g["name"] == "cx0_1") g["qubits"] = {0, 2};
      }, props, "gate cx0_1: calibrates cx(0, 2), a pair ");
  bad([](json& p, json&) {
        auto& gates = p["gates"];
        gates.erase(std::remove_if(gates.begin(), gates.end(), [](const json& g) { return g["name"] == "cx4_7"; }), gates.end());
      }, props, "coupled pair (4, 7): no cx calibration");
  bad([](json& p, json&) {
        auto& gates = p["gates"];
        gates.erase(std::remove_if(gates.begin(), gates.end(), [](const json& g) { return g["name"] == "sx9"; }), gates.end());
      }, props, "qubit 9: no sx calibration");
  bad([](json& p, json&) {
        for (json& g : p["gates"])
          if (g["name"] == "sx2") g["qubits"] = {20};
      }, props, "gate sx2: refers to qubit 20, which does not exist");
  bad([](json& p, json&) { p["backend_name"] = "ibm_cairo"; }, props,
      "backend_name: \"ibm_cairo\" differs from \"ibmq_guadalupe\"");
  bad([](json&, json& c) { c.erase("max_shots"); }, conf, "configuration: missing \"max_shots\"");
  bad([](json&, json& c) { c["basis_gates"] = {"id", "u3", "cx"}; }, conf,
      "basis_gates: lacks rz (qgen transpiles to rz, sx, x, cx)");

  // Malformed JSON and a missing file.
  dir.write("conf.json", load(guadalupe() + "/conf.json").dump());
  dir.write("props.json", "{\"backend_name\": \"ibmq_guadalupe\", \"qubits\": [[");
  expect_error<core::DataError>([&] { DeviceModel::read_folder(dir.file("")); },
                                props + ": malformed JSON");
  expect_error<core::DataError>([&] { DeviceModel::read(dir.file("absent.json"), conf); },
                                dir.file("absent.json") + ": cannot open");
}

}  // namespace
}  // namespace qgen::hw
