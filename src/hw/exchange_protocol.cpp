#include "qgen/hw/exchange_protocol.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "qgen/core/errors.hpp"

namespace qgen::hw::exchange {

using json = nlohmann::json;

const std::string kBitOrder =
    "circuit qubit k is measured into c[k]; a counts key is written as Qiskit prints it, "
    "c[num_qubits-1]...c[0] (c[0] rightmost), or as hexadecimal 0x... with bit k = c[k]; qgen's "
    "outcome (qubit 0 the most significant bit) is the binary key read backwards";

void check_batch_id(const std::string& id) {
  bool ok = !id.empty() && id.front() != '.';
  for (char c : id)
    ok = ok && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                c == '.' || c == '-');
  if (!ok)
    throw core::InputError("exchange: batch id '" + id + "' is not [A-Za-z0-9_.-]+ (not starting with '.')");
}

std::filesystem::path batches_folder(const std::filesystem::path& dir) { return dir / "batches"; }
std::filesystem::path batch_folder(const std::filesystem::path& dir, const std::string& id) {
  return batches_folder(dir) / id;
}
std::filesystem::path results_path(const std::filesystem::path& dir, const std::string& id) {
  return dir / "results" / (id + ".json");
}
std::filesystem::path journal_path(const std::filesystem::path& dir) { return dir / "journal.jsonl"; }

bool is_temporary(const std::filesystem::path& name) {
  const std::string s = name.filename().string();
  return s.empty() || s.front() == '.' || (s.size() >= 4 && s.compare(s.size() - 4, 4, ".tmp") == 0);
}

std::string circuit_file_name(std::size_t index, std::size_t count) {
  int digits = 3;
  for (std::size_t n = count > 0 ? count - 1 : 0; n >= 1000; n /= 10) ++digits;
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "circuit_%0*zu.qasm", digits, index);
  return buffer;
}

std::string manifest_text(const Manifest& m) {
  json j = json::object();
  j["format"] = kFormat;
  j["batch"] = m.batch;
  j["number"] = m.number;
  j["device"] = m.device;
  j["shots"] = m.shots;
  j["circuits"] = m.circuits;
  j["num_qubits"] = m.num_qubits;
  j["bit_order"] = kBitOrder;
  return j.dump(2) + "\n";
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw core::DataError("'" + path.string() + "' cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw core::DataError("'" + path.string() + "': reading failed");
  return text.str();
}

namespace {

json parse_json(std::string_view text, const std::string& where) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    throw core::DataError(where + ": not valid JSON (" + e.what() + ")");
  }
}

const json& member(const json& object, const std::string& key, const std::string& where) {
  if (!object.is_object()) throw core::DataError(where + ": not a JSON object");
  const auto it = object.find(key);
  if (it == object.end()) throw core::DataError(where + ": no \"" + key + "\"");
  return *it;
}

std::uint64_t unsigned_member(const json& object, const std::string& key, const std::string& where) {
  const json& v = member(object, key, where);
  if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() >= 0))
    throw core::DataError(where + ": \"" + key + "\" is " + v.dump() + ", not a whole number >= 0");
  return v.get<std::uint64_t>();
}

std::string string_member(const json& object, const std::string& key, const std::string& where) {
  const json& v = member(object, key, where);
  if (!v.is_string()) throw core::DataError(where + ": \"" + key + "\" is " + v.dump() + ", not a string");
  return v.get<std::string>();
}

}  // namespace

Manifest read_manifest(const std::filesystem::path& path) {
  const std::string where = "exchange manifest '" + path.string() + "'";
  const json j = parse_json(read_file(path), where);
  if (string_member(j, "format", where) != kFormat)
    throw core::DataError(where + ": format \"" + j["format"].get<std::string>() + "\", not \"" +
                          std::string(kFormat) + "\"");
  Manifest m;
  m.batch = string_member(j, "batch", where);
  m.device = string_member(j, "device", where);
  m.shots = unsigned_member(j, "shots", where);
  if (m.shots > 0xFFFFFFFFull)  // counts are 32-bit (sim/sampling.hpp)
    throw core::DataError(where + ": shots " + std::to_string(m.shots) + " (at most 4294967295)");
  const std::uint64_t q = unsigned_member(j, "num_qubits", where);
  if (q < 1 || q > 30) throw core::DataError(where + ": num_qubits " + std::to_string(q) + " (1 to 30)");
  m.num_qubits = static_cast<int>(q);
  if (j.contains("number")) m.number = static_cast<std::uint32_t>(unsigned_member(j, "number", where));
  const json& circuits = member(j, "circuits", where);
  if (!circuits.is_array() || circuits.empty())
    throw core::DataError(where + ": \"circuits\" is not a non-empty list of file names");
  for (const json& c : circuits) {
    if (!c.is_string() || c.get<std::string>().empty() ||
        c.get<std::string>().find('/') != std::string::npos)
      throw core::DataError(where + ": \"circuits\" holds " + c.dump() + ", not a file name in the batch folder");
    m.circuits.push_back(c.get<std::string>());
  }
  if (m.shots < 1) throw core::DataError(where + ": shots 0");
  return m;
}

std::string counts_key(std::uint64_t index, int num_qubits) {
  // Character j of the key is c[Q-1-j] = circuit qubit Q-1-j, which is bit j of qgen's index.
  std::string key(static_cast<std::size_t>(num_qubits), '0');
  for (int j = 0; j < num_qubits; ++j)
    if ((index >> j) & 1) key[static_cast<std::size_t>(j)] = '1';
  return key;
}

std::uint64_t outcome_of_key(std::string_view key, int num_qubits, const std::string& where) {
  const std::string shown = "key \"" + std::string(key) + "\"";
  std::uint64_t outcome = 0;
  if (key.size() > 2 && key[0] == '0' && (key[1] == 'x' || key[1] == 'X')) {
    std::uint64_t value = 0;  // bit k = c[k]
    for (std::size_t i = 2; i < key.size(); ++i) {
      const char c = key[i];
      int digit = -1;
      if (c >= '0' && c <= '9') digit = c - '0';
      if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
      if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
      if (digit < 0) throw core::DataError(where + ": " + shown + " has a character that is not hexadecimal");
      if (value >> 59) throw core::DataError(where + ": " + shown + " is larger than " + std::to_string(num_qubits) + " bits");
      value = value << 4 | static_cast<std::uint64_t>(digit);
    }
    if (num_qubits < 64 && (value >> num_qubits) != 0)
      throw core::DataError(where + ": " + shown + " is larger than " + std::to_string(num_qubits) + " bits");
    for (int k = 0; k < num_qubits; ++k)
      if ((value >> k) & 1) outcome |= std::uint64_t{1} << (num_qubits - 1 - k);
    return outcome;
  }
  if (key.size() != static_cast<std::size_t>(num_qubits))
    throw core::DataError(where + ": " + shown + " has " + std::to_string(key.size()) + " characters, not " +
                          std::to_string(num_qubits) + " (one per measured bit)");
  for (std::size_t j = 0; j < key.size(); ++j) {
    if (key[j] != '0' && key[j] != '1')
      throw core::DataError(where + ": " + shown + " has a character other than 0 and 1");
    if (key[j] == '1') outcome |= std::uint64_t{1} << j;  // character j is qubit Q-1-j: bit j
  }
  return outcome;
}

std::string results_text(const std::string& batch, const std::vector<Counts>& counts, int num_qubits) {
  json results = json::array();
  for (std::size_t i = 0; i < counts.size(); ++i) {
    json c = json::object();
    for (std::size_t x = 0; x < counts[i].size(); ++x)
      if (counts[i][x] > 0) c[counts_key(x, num_qubits)] = counts[i][x];
    results.push_back({{"circuit", i}, {"counts", std::move(c)}});
  }
  return json{{"batch", batch}, {"results", std::move(results)}}.dump() + "\n";
}

std::vector<Counts> parse_results(std::string_view text, const std::string& where, const std::string& batch,
                                  std::size_t num_circuits, std::uint64_t shots, int num_qubits) {
  const json j = parse_json(text, where);
  const std::string named = string_member(j, "batch", where);
  if (named != batch) throw core::DataError(where + ": the results of batch \"" + named + "\", not \"" + batch + "\"");
  const json& results = member(j, "results", where);
  if (!results.is_array()) throw core::DataError(where + ": \"results\" is not a list");
  std::vector<Counts> counts(num_circuits);
  std::vector<char> seen(num_circuits, 0);
  for (const json& r : results) {
    const std::uint64_t i = unsigned_member(r, "circuit", where);
    if (i >= num_circuits)
      throw core::DataError(where + ": circuit " + std::to_string(i) + " (the batch has " +
                            std::to_string(num_circuits) + ", numbered from 0)");
    if (seen[i]) throw core::DataError(where + ": circuit " + std::to_string(i) + " appears twice");
    seen[i] = 1;
    const std::string at = where + ", circuit " + std::to_string(i);
    const json& c = member(r, "counts", at);
    if (!c.is_object()) throw core::DataError(at + ": \"counts\" is not an object of key: count");
    Counts dense(std::size_t{1} << num_qubits, 0);
    std::vector<char> given(dense.size(), 0);
    std::uint64_t total = 0;
    for (const auto& [key, value] : c.items()) {
      const std::uint64_t x = outcome_of_key(key, num_qubits, at);
      if (!value.is_number_unsigned() && !(value.is_number_integer() && value.get<std::int64_t>() >= 0))
        throw core::DataError(at + ": the count of key \"" + key + "\" is " + value.dump() +
                              ", not a whole number >= 0");
      if (given[x]) throw core::DataError(at + ": key \"" + key + "\" names an outcome another key already gave");
      given[x] = 1;
      dense[x] = value.get<std::uint64_t>();
      total += dense[x];
    }
    if (total != shots)
      throw core::DataError(at + ": counts sum to " + std::to_string(total) + ", not the batch's " +
                            std::to_string(shots) + " shots");
    counts[i] = std::move(dense);
  }
  for (std::size_t i = 0; i < num_circuits; ++i)
    if (!seen[i])
      throw core::DataError(where + ": no counts for circuit " + std::to_string(i) + " (the batch has " +
                            std::to_string(num_circuits) + ")");
  return counts;
}

std::string checksum(std::string_view bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "fnv1a64:%016llx", static_cast<unsigned long long>(h));
  return buffer;
}

}  // namespace qgen::hw::exchange
