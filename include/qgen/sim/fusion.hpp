// Gate fusion: fewer, denser passes over the state vector.
//
// Fusion is split in two, as in qsim. `plan_fusion` decides once, from the circuit's structure
// alone, which operations form each fused gate; the plan never depends on parameter values.
// `bind` then turns one fused gate into a matrix for given parameters, optionally with one angle
// edited (moved, or with its generator inserted), which costs a few 2x2 or 4x4 products. A parameter-shift evaluation re-binds only the
// one fused gate that holds the shifted angle and reuses everything else.
//
// Levels:
//   none        every operation is its own gate (a Rot is still one 2x2 matrix);
//   one_qubit   runs of one-qubit operations on the same qubit become one 2x2 matrix;
//   two_qubit   one-qubit operations are also absorbed into the neighbouring two-qubit gate on
//               their qubit, and gates on the same pair merge, into one 4x4 matrix.
// Which level pays depends on the state size: tests/bench/bench_simulator measures it.
#pragma once

#include <array>
#include <span>
#include <string>
#include <vector>

#include "qgen/core/enum_names.hpp"
#include "qgen/sim/circuit.hpp"
#include "qgen/sim/gate_matrix.hpp"

namespace qgen::sim {

enum class FusionLevel { none = 0, one_qubit = 1, two_qubit = 2 };

// "0", "1" and "2" are accepted as aliases.
constexpr auto enum_names(FusionLevel) {
  using enum FusionLevel;
  return std::array{core::EnumName{none, "none"}, core::EnumName{one_qubit, "one_qubit"}, core::EnumName{two_qubit, "two_qubit"}, core::EnumName{none, "0"}, core::EnumName{one_qubit, "1"}, core::EnumName{two_qubit, "2"}};
}

enum class FusedKind { Matrix1, Diagonal1, Matrix2, Diagonal2, CNOT };

/// Operations fused into one gate, in circuit order. Two-qubit groups act on (qubits[0],
/// qubits[1]) with qubits[0] as the more significant bit of the matrix index.
struct FusedGroup {
  FusedKind kind;
  std::array<int, 2> qubits{-1, -1};
  std::vector<int> operations;
};

struct FusionPlan {
  int num_qubits = 0;
  std::vector<FusedGroup> groups;       // in an order that respects every qubit's gate order
  std::vector<int> group_of_operation;  // for each operation, the group holding it
};

FusionPlan plan_fusion(const Circuit& circuit, FusionLevel level);

/// A fused gate with its matrix: 2x2 kinds use the first 4 entries of `matrix` (row-major
/// Matrix2 layout), diagonal kinds keep their diagonal in the first 2 or 4 entries.
struct BoundGate {
  FusedKind kind;
  std::array<int, 2> qubits{-1, -1};
  std::array<Complex, 16> matrix{};
};

/// A one-qubit matrix acting on `qubit` (one of the group's) in the group's own basis: 2x2 (in
/// the first four entries) for a one-qubit group, the Kronecker product with the identity on
/// the other qubit for a two-qubit group.
std::array<Complex, 16> embed_in_group(const FusedGroup& group, int qubit, const Matrix2& u);

/// The matrix of operation `op` of `group` in the group's own basis: 2x2 (in the first four
/// entries, row-major) for a one-qubit group, 4x4 for a two-qubit group; `edit` applied if it
/// names the operation. bind_gate is the product of these over the group's operations.
std::array<Complex, 16> operation_in_group(const FusedGroup& group, const Circuit& circuit, int op,
                                           std::span<const double> parameters,
                                           const AngleEdit& edit = {});

/// The matrix of one fused gate, with `edit` applied to the operation it names (if any).
BoundGate bind_gate(const FusedGroup& group, const Circuit& circuit,
                    std::span<const double> parameters, const AngleEdit& edit = {});

/// The same from the group's operation matrices (operation_in_group, in group order), for
/// callers that need those matrices themselves too (sim/adjoint.hpp).
BoundGate fuse(const FusedGroup& group, std::span<const std::array<Complex, 16>> operation_matrices);

std::vector<BoundGate> bind_gates(const FusionPlan& plan, const Circuit& circuit,
                                std::span<const double> parameters);

}  // namespace qgen::sim
