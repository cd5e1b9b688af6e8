#include "qgen/hw/device_model.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>

#include <nlohmann/json.hpp>

#include "qgen/core/errors.hpp"
#include "qgen/core/text.hpp"

namespace qgen::hw {
namespace {

using json = nlohmann::json;

/// Messages name the file and the item: "<file>: <item>: <problem>".
struct Where {
  const std::string& file;

  [[noreturn]] void fail(const std::string& item, const std::string& problem) const {
    throw core::DataError(file + ": " + item + ": " + problem);
  }

  const json& member(const json& object, const std::string& key, const std::string& item) const {
    if (!object.is_object()) fail(item, "is not a JSON object");
    const auto it = object.find(key);
    if (it == object.end()) fail(item, "missing \"" + key + "\"");
    return *it;
  }

  double number(const json& value, const std::string& item) const {
    if (!value.is_number()) fail(item, "is not a number (" + value.dump() + ")");
    const double x = value.get<double>();
    if (!std::isfinite(x)) fail(item, "is not finite");
    return x;
  }

  int integer(const json& value, const std::string& item) const {
    if (!value.is_number_integer()) fail(item, "is not an integer (" + value.dump() + ")");
    return value.get<int>();
  }

  const json& array(const json& value, const std::string& item) const {
    if (!value.is_array()) fail(item, "is not a JSON array");
    return value;
  }

  int qubit_index(const json& value, int num_qubits, const std::string& item) const {
    const int q = integer(value, item);
    if (q < 0 || q >= num_qubits)
      fail(item, "refers to qubit " + std::to_string(q) + ", which does not exist (the device has " +
                     std::to_string(num_qubits) + " qubits)");
    return q;
  }
};

json parse_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw core::DataError(path + ": cannot open for reading");
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    throw core::DataError(path + ": malformed JSON (" + e.what() + ")");
  }
}

/// A Qiskit "Nduv" list [{"name": ..., "unit": ..., "value": ...}, ...] as name -> entry.
std::map<std::string, const json*> named_entries(const Where& where, const json& list,
                                                 const std::string& item) {
  std::map<std::string, const json*> out;
  for (const json& entry : where.array(list, item)) {
    const json& name = where.member(entry, "name", item);
    if (!name.is_string()) where.fail(item, "has an entry whose \"name\" is not a string");
    out[name.get<std::string>()] = &entry;
  }
  return out;
}

/// One named quantity of an Nduv list; `time` converts its unit to seconds.
struct Quantity {
  double value;        // in seconds if a time
  double raw;          // as written
  std::string unit;    // as written
};

Quantity quantity(const Where& where, const std::map<std::string, const json*>& entries,
                  const std::string& name, const std::string& item, bool time) {
  const auto it = entries.find(name);
  if (it == entries.end()) where.fail(item, "missing " + name);
  const std::string label = item + " " + name;
  const double raw = where.number(where.member(*it->second, "value", label), label);
  std::string unit;
  if (const auto u = it->second->find("unit"); u != it->second->end() && u->is_string())
    unit = u->get<std::string>();
  double scale = 1.0;
  if (time) {
    if (unit == "s") scale = 1.0;
    else if (unit == "ms") scale = 1e-3;
    else if (unit == "us" || unit == "\u00b5s") scale = 1e-6;
    else if (unit == "ns") scale = 1e-9;
    else where.fail(label, "unknown time unit \"" + unit + "\"");
  } else if (!unit.empty()) {
    where.fail(label, "unexpected unit \"" + unit + "\" for a probability");
  }
  return {raw * scale, raw, unit};
}

std::string with_unit(const Quantity& q) { return core::number_text(q.raw) + " " + q.unit; }

double probability(const Where& where, const std::map<std::string, const json*>& entries,
                   const std::string& name, const std::string& item) {
  const double p = quantity(where, entries, name, item, false).value;
  if (p < 0.0 || p > 1.0)
    where.fail(item, name + " = " + core::number_text(p) + " is not a probability");
  return p;
}

}  // namespace

DeviceModel DeviceModel::read_folder(const std::string& folder, const DeviceReadOptions& options) {
  const std::filesystem::path dir(folder);
  if (!std::filesystem::is_directory(dir))
    throw core::InputError("device '" + folder + "' is not a folder; a device is a folder holding props.json and "
                           "conf.json (e.g. inputs/devices/ibmq_guadalupe)");
  return read((dir / "props.json").string(), (dir / "conf.json").string(), options);
}

DeviceModel DeviceModel::read(const std::string& properties_path,
                              const std::string& configuration_path,
                              const DeviceReadOptions& options) {
  DeviceModel d;
  const json conf = parse_file(configuration_path);
  const json props = parse_file(properties_path);
  const Where c{configuration_path}, p{properties_path};

  // Configuration: size, name, limits, basis, coupling map.
  const int n = c.integer(c.member(conf, "n_qubits", "configuration"), "n_qubits");
  if (n < 1) c.fail("n_qubits", std::to_string(n) + " is not a positive number of qubits");
  if (const auto name = conf.find("backend_name"); name != conf.end() && name->is_string())
    d.name_ = name->get<std::string>();
  if (const auto name = props.find("backend_name");
      name != props.end() && name->is_string() && !d.name_.empty() && *name != d.name_)
    p.fail("backend_name", "\"" + name->get<std::string>() + "\" differs from \"" + d.name_ +
                               "\" in " + configuration_path);
  d.max_experiments_ = c.integer(c.member(conf, "max_experiments", "configuration"), "max_experiments");
  d.max_shots_ = c.integer(c.member(conf, "max_shots", "configuration"), "max_shots");
  if (d.max_experiments_ < 1) c.fail("max_experiments", "must be positive");
  if (d.max_shots_ < 1) c.fail("max_shots", "must be positive");
  for (const json& g : c.array(c.member(conf, "basis_gates", "configuration"), "basis_gates")) {
    if (!g.is_string()) c.fail("basis_gates", "holds a non-string " + g.dump());
    d.basis_gates_.push_back(g.get<std::string>());
  }
  for (BasisGate g : {BasisGate::rz, BasisGate::sx, BasisGate::x, BasisGate::cx})
    if (std::find(d.basis_gates_.begin(), d.basis_gates_.end(), core::name_of(g)) == d.basis_gates_.end())
      c.fail("basis_gates", "lacks " + core::name_of(g) + " (qgen transpiles to rz, sx, x, cx)");

  const json& coupling = c.array(c.member(conf, "coupling_map", "configuration"), "coupling_map");
  d.neighbours_.assign(n, {});
  for (std::size_t k = 0; k < coupling.size(); ++k) {
    const std::string item = "coupling_map entry " + std::to_string(k);
    const json& pair = c.array(coupling[k], item);
    if (pair.size() != 2) c.fail(item, "is not a pair of qubits (" + pair.dump() + ")");
    const int a = c.qubit_index(pair[0], n, item), b = c.qubit_index(pair[1], n, item);
    if (a == b) c.fail(item, "couples qubit " + std::to_string(a) + " to itself");
    d.coupling_map_.push_back({a, b});
    for (auto [u, v] : {std::pair{a, b}, std::pair{b, a}})
      if (std::find(d.neighbours_[u].begin(), d.neighbours_[u].end(), v) == d.neighbours_[u].end())
        d.neighbours_[u].push_back(v);
  }
  for (auto& list : d.neighbours_) std::sort(list.begin(), list.end());

  // Properties: qubits.
  const json& qubits = p.array(p.member(props, "qubits", "properties"), "qubits");
  if (qubits.size() < static_cast<std::size_t>(n))
    p.fail("qubit " + std::to_string(qubits.size()),
           "missing (" + configuration_path + " has " + std::to_string(n) + " qubits, " +
               std::to_string(qubits.size()) + " are calibrated)");
  if (qubits.size() > static_cast<std::size_t>(n))
    p.fail("qubits", std::to_string(qubits.size()) + " calibrated, but " + configuration_path +
                         " has " + std::to_string(n));
  for (int q = 0; q < n; ++q) {
    const std::string item = "qubit " + std::to_string(q);
    const auto entries = named_entries(p, qubits[q], item);
    const Quantity t1 = quantity(p, entries, "T1", item, true);
    const Quantity t2 = quantity(p, entries, "T2", item, true);
    if (!(t1.value > 0)) p.fail(item, "T1 = " + with_unit(t1) + " is not positive");
    if (!(t2.value > 0)) p.fail(item, "T2 = " + with_unit(t2) + " is not positive");
    QubitCalibration cal{t1.value, t2.value, probability(p, entries, "prob_meas0_prep1", item),
                         probability(p, entries, "prob_meas1_prep0", item)};
    if (cal.t2 > 2 * cal.t1) {
      if (cal.t2 > 2 * cal.t1 * (1 + options.t2_tolerance))
        p.fail(item, "T2 = " + with_unit(t2) + " exceeds 2 T1 = " + core::number_text(2 * t1.raw) +
                         " " + t1.unit + " (physics requires T2 <= 2 T1)");
      cal.t2 = 2 * cal.t1;
      d.clamped_t2_.push_back(q);
    }
    d.qubits_.push_back(cal);
  }

  // Properties: gates.
  std::vector<std::array<bool, 3>> seen(n, {false, false, false});
  d.one_qubit_gates_.assign(n, {});
  for (const json& gate : p.array(p.member(props, "gates", "properties"), "gates")) {
    const json& kind = p.member(gate, "gate", "gate entry");
    if (!kind.is_string()) p.fail("gate entry", "\"gate\" is not a string");
    std::string item = "gate " + kind.get<std::string>();
    if (const auto name = gate.find("name"); name != gate.end() && name->is_string())
      item = "gate " + name->get<std::string>();
    std::vector<int> on;
    for (const json& q : p.array(p.member(gate, "qubits", item), item + " qubits"))
      on.push_back(p.qubit_index(q, n, item));
    const std::string gate_name = kind.get<std::string>();
    const bool one = gate_name == "rz" || gate_name == "sx" || gate_name == "x";
    if (!one && gate_name != "cx") continue;  // id, reset, measure: not used
    const auto entries = named_entries(p, p.member(gate, "parameters", item), item);
    GateCalibration cal{quantity(p, entries, "gate_error", item, false).value,
                        quantity(p, entries, "gate_length", item, true).value};
    if (cal.error < 0.0 || cal.error > 1.0)
      p.fail(item, "gate_error = " + core::number_text(cal.error) + " is not in [0, 1]");
    if (cal.length < 0.0) p.fail(item, "gate_length is negative");
    if (one) {
      if (on.size() != 1) p.fail(item, "acts on " + std::to_string(on.size()) + " qubits, not 1");
      const int index = gate_name == "rz" ? 0 : gate_name == "sx" ? 1 : 2;
      d.one_qubit_gates_[on[0]][index] = cal;
      seen[on[0]][index] = true;
    } else {
      if (on.size() != 2 || on[0] == on[1]) p.fail(item, "is not on two distinct qubits");
      const std::array<int, 2> pair{on[0], on[1]};
      if (std::find(d.coupling_map_.begin(), d.coupling_map_.end(), pair) == d.coupling_map_.end())
        p.fail(item, "calibrates cx(" + std::to_string(on[0]) + ", " + std::to_string(on[1]) +
                         "), a pair " + configuration_path + " does not couple");
      d.cx_[{on[0], on[1]}] = cal;
    }
  }
  for (int q = 0; q < n; ++q)
    for (int g = 0; g < 3; ++g)
      if (!seen[q][g])
        p.fail("qubit " + std::to_string(q), "no " + core::name_of(static_cast<BasisGate>(g)) +
                                                 " calibration");
  for (const auto& [a, b] : d.coupling_map_)
    if (!d.cx_.count({a, b}))
      p.fail("coupled pair (" + std::to_string(a) + ", " + std::to_string(b) + ")",
             "no cx calibration");
  return d;
}

const GateCalibration& DeviceModel::gate(BasisGate gate, int qubit) const {
  if (gate == BasisGate::cx) throw core::InternalError("DeviceModel::gate: cx needs two qubits");
  return one_qubit_gates_.at(qubit)[static_cast<int>(gate)];
}

const GateCalibration& DeviceModel::cx(int control, int target) const {
  const auto it = cx_.find({control, target});
  if (it == cx_.end())
    throw core::InputError(name_ + ": no cx from qubit " + std::to_string(control) + " to qubit " +
                           std::to_string(target));
  return it->second;
}

void DeviceModel::require_qubits(int needed, const std::string& what) const {
  if (needed > num_qubits())
    throw core::InputError(what + " needs " + std::to_string(needed) + " qubits; device " + name_ +
                           " has " + std::to_string(num_qubits()));
}

}  // namespace qgen::hw
