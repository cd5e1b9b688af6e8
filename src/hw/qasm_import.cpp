#include "qgen/hw/qasm_import.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <numbers>
#include <optional>

#include "qgen/core/errors.hpp"

namespace qgen::hw {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

/// A cursor over one statement; every failure names the file and line.
class Statement {
public:
  Statement(std::string_view text, const std::string& where, int line)
      : text_(text), where_(where), line_(line) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw core::DataError(where_ + " line " + std::to_string(line_) + ": " + what);
  }
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool done() {
    skip_space();
    return pos_ == text_.size();
  }
  bool accept(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) return ++pos_, true;
    return false;
  }
  void expect(char c, const std::string& context) {
    if (!accept(c)) fail(std::string("expected '") + c + "' " + context + " in '" + std::string(text_) + "'");
  }
  void expect_end() {
    if (!done()) fail("unexpected '" + std::string(text_.substr(pos_)) + "' in '" + std::string(text_) + "'");
  }
  std::string identifier() {
    skip_space();
    const std::size_t start = pos_;
    while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_'))
      ++pos_;
    if (start == pos_ || std::isdigit(static_cast<unsigned char>(text_[start])))
      fail("expected a name in '" + std::string(text_) + "'");
    return std::string(text_.substr(start, pos_ - start));
  }
  long index() {
    skip_space();
    long value = -1;
    const auto [end, error] = std::from_chars(text_.data() + pos_, text_.data() + text_.size(), value);
    if (error != std::errc() || value < 0) fail("expected an index in '" + std::string(text_) + "'");
    pos_ = static_cast<std::size_t>(end - text_.data());
    return value;
  }
  /// reg[index] or (with allow_whole) a bare register name: index -1.
  std::pair<std::string, long> operand(bool allow_whole = false) {
    std::string name = identifier();
    if (!accept('[')) {
      if (!allow_whole) fail("expected '" + name + "[index]' in '" + std::string(text_) + "'");
      return {name, -1};
    }
    const long i = index();
    expect(']', "after an index");
    return {name, i};
  }
  /// A real expression: numbers, pi, unary +-, + - * /, parentheses.
  double expression() {
    double value = term();
    for (;;) {
      if (accept('+')) value += term();
      else if (accept('-')) value -= term();
      else return value;
    }
  }
  std::string_view text() const { return text_; }

private:
  double term() {
    double value = factor();
    for (;;) {
      if (accept('*')) value *= factor();
      else if (accept('/')) value /= factor();
      else return value;
    }
  }
  double factor() {
    if (accept('-')) return -factor();
    if (accept('+')) return factor();
    if (accept('(')) {
      const double v = expression();
      expect(')', "closing a parenthesis");
      return v;
    }
    skip_space();
    if (text_.substr(pos_, 2) == "pi" &&
        (pos_ + 2 == text_.size() || !std::isalnum(static_cast<unsigned char>(text_[pos_ + 2])))) {
      pos_ += 2;
      return std::numbers::pi;
    }
    double value = 0.0;
    const auto [end, error] = std::from_chars(text_.data() + pos_, text_.data() + text_.size(), value);
    if (error != std::errc() || !std::isfinite(value))
      fail("expected a number or pi in '" + std::string(text_) + "'");
    pos_ = static_cast<std::size_t>(end - text_.data());
    return value;
  }

  std::string_view text_;
  const std::string& where_;
  int line_;
  std::size_t pos_ = 0;
};

}  // namespace

DeviceProgram read_device_qasm(std::string_view text, const DeviceModel& device, const std::string& where) {
  DeviceProgram program;
  program.circuit.num_qubits = device.num_qubits();
  bool header = false;
  std::optional<std::pair<std::string, long>> qreg, creg;
  std::vector<char> qubit_measured;  // per device qubit
  std::vector<int> bit_source;       // per classical bit: the qubit, -1 not yet

  int line_number = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (const auto comment = line.find("//"); comment != std::string_view::npos) line = line.substr(0, comment);
    line = trim(line);
    while (!line.empty()) {
      const std::size_t semicolon = line.find(';');
      if (semicolon == std::string_view::npos)
        Statement(line, where, line_number).fail("'" + std::string(line) + "' does not end with ';'");
      Statement s(trim(line.substr(0, semicolon)), where, line_number);
      line = trim(line.substr(semicolon + 1));
      if (s.done()) continue;
      const std::string keyword = s.identifier();

      if (!header) {
        if (keyword != "OPENQASM") s.fail("the file does not begin with 'OPENQASM 2.0;'");
        s.skip_space();
        if (trim(s.text().substr(8)) != "2.0") s.fail("OpenQASM version '" + std::string(trim(s.text().substr(8))) + "' (2.0 expected)");
        header = true;
        continue;
      }
      if (keyword == "include" || keyword == "barrier") continue;
      if (keyword == "qreg" || keyword == "creg") {
        auto& reg = keyword == "qreg" ? qreg : creg;
        if (reg) s.fail("a second " + keyword + " (one of each is supported)");
        reg = s.operand();
        s.expect_end();
        if (keyword == "qreg" && reg->second > device.num_qubits())
          s.fail("qreg of " + std::to_string(reg->second) + " qubits; " + device.name() + " has " +
                 std::to_string(device.num_qubits()));
        if (keyword == "creg") bit_source.assign(static_cast<std::size_t>(reg->second), -1);
        if (keyword == "qreg") qubit_measured.assign(static_cast<std::size_t>(reg->second), 0);
        continue;
      }
      auto qubit = [&](const std::pair<std::string, long>& o) {
        if (!qreg) s.fail("a qubit before 'qreg'");
        if (o.first != qreg->first) s.fail("'" + o.first + "' is not the quantum register '" + qreg->first + "'");
        if (o.second >= qreg->second)
          s.fail(o.first + "[" + std::to_string(o.second) + "] is outside qreg " + qreg->first + "[" +
                 std::to_string(qreg->second) + "]");
        return static_cast<int>(o.second);
      };
      auto unmeasured = [&](int q) {
        if (qubit_measured[q]) s.fail("a gate on q[" + std::to_string(q) + "] after its measurement");
        return q;
      };
      if (keyword == "measure") {
        const auto from = s.operand(true);
        s.expect('-', "in 'measure q -> c'");
        s.expect('>', "in 'measure q -> c'");
        const auto to = s.operand(true);
        s.expect_end();
        if (!qreg || !creg) s.fail("a measurement before 'qreg' and 'creg'");
        if (to.first != creg->first) s.fail("'" + to.first + "' is not the classical register '" + creg->first + "'");
        std::vector<std::pair<int, long>> pairs;
        if (from.second < 0 && to.second < 0) {
          if (from.first != qreg->first) s.fail("'" + from.first + "' is not the quantum register");
          if (qreg->second != creg->second) s.fail("'measure q -> c' with registers of different sizes");
          for (long k = 0; k < creg->second; ++k) pairs.emplace_back(static_cast<int>(k), k);
        } else if (from.second < 0 || to.second < 0) {
          s.fail("measure a whole register into a whole register, or one qubit into one bit");
        } else {
          if (to.second >= creg->second)
            s.fail("c[" + std::to_string(to.second) + "] is outside creg " + creg->first + "[" +
                   std::to_string(creg->second) + "]");
          pairs.emplace_back(qubit(from), to.second);
        }
        for (const auto& [q, k] : pairs) {
          if (bit_source[k] >= 0) s.fail("c[" + std::to_string(k) + "] is measured twice");
          if (qubit_measured[q]) s.fail("q[" + std::to_string(q) + "] is measured twice");
          qubit_measured[q] = 1;
          bit_source[k] = q;
        }
        continue;
      }
      DeviceGate g;
      if (keyword == "rz") {
        g.gate = BasisGate::rz;
        s.expect('(', "after rz");
        g.angle = s.expression();
        s.expect(')', "after rz's angle");
        g.qubits[0] = unmeasured(qubit(s.operand()));
      } else if (keyword == "sx" || keyword == "x") {
        g.gate = keyword == "sx" ? BasisGate::sx : BasisGate::x;
        g.qubits[0] = unmeasured(qubit(s.operand()));
      } else if (keyword == "cx") {
        g.gate = BasisGate::cx;
        g.qubits[0] = unmeasured(qubit(s.operand()));
        s.expect(',', "between cx's qubits");
        g.qubits[1] = unmeasured(qubit(s.operand()));
        if (!device.has_cx(g.qubits[0], g.qubits[1]))
          s.fail("cx q[" + std::to_string(g.qubits[0]) + "],q[" + std::to_string(g.qubits[1]) + "]: " +
                 device.name() + " has no cx from " + std::to_string(g.qubits[0]) + " to " +
                 std::to_string(g.qubits[1]));
      } else {
        s.fail("'" + keyword + "' is not supported (rz, sx, x, cx, barrier, measure: the device basis)");
      }
      s.expect_end();
      program.circuit.gates.push_back(g);
    }
    if (end == text.size()) break;
  }
  if (!header) throw core::DataError(where + ": empty, not an OpenQASM 2.0 file");
  if (!creg || creg->second < 1) throw core::DataError(where + ": no classical register (creg) to measure into");
  for (std::size_t k = 0; k < bit_source.size(); ++k)
    if (bit_source[k] < 0) throw core::DataError(where + ": c[" + std::to_string(k) + "] is never measured");
  program.measured = std::move(bit_source);
  return program;
}

CompactProgram compact_program(const DeviceProgram& program) {
  std::vector<char> used(static_cast<std::size_t>(program.circuit.num_qubits), 0);
  for (const DeviceGate& g : program.circuit.gates) {
    used.at(g.qubits[0]) = 1;
    if (g.gate == BasisGate::cx) used.at(g.qubits[1]) = 1;
  }
  for (int q : program.measured) used.at(q) = 1;
  CompactProgram out;
  std::vector<int> compact_of(used.size(), -1);
  for (std::size_t q = 0; q < used.size(); ++q)
    if (used[q]) {
      compact_of[q] = static_cast<int>(out.layout.physical.size());
      out.layout.physical.push_back(static_cast<int>(q));
    }
  for (int q : program.measured) out.layout.final.push_back(compact_of[q]);
  out.circuit.num_qubits = static_cast<int>(out.layout.physical.size());
  for (DeviceGate g : program.circuit.gates) {
    g.qubits[0] = compact_of[g.qubits[0]];
    if (g.gate == BasisGate::cx) g.qubits[1] = compact_of[g.qubits[1]];
    out.circuit.gates.push_back(g);
  }
  out.layout.embedded = true;
  return out;
}

}  // namespace qgen::hw
