// Gate kernels: each applies one gate to a state vector in place, in a single pass over memory.
//
// A k-qubit gate (k = 1, 2) on targets (a[, b]) mixes the 2^k amplitudes whose indices differ
// only in the targets' bits. Matrix rows and columns are numbered with the first target as the
// most significant bit (gate_matrix.hpp). Kernels that take `probabilities` also write |amp|^2
// of the result there (2^Q doubles) in the same pass, so the last gate of a circuit costs no
// separate pass to read out the distribution.
#pragma once

#include <array>
#include <cstddef>
#include <span>

#include "qgen/sim/gate_matrix.hpp"
#include "qgen/sim/state_vector.hpp"

namespace qgen::sim {

/// Amplitudes [first, first + 2^bits) of a state, `first` a multiple of 2^bits. A gate whose
/// target bits all lie below `bits` maps such a block onto itself, so a run of those gates can
/// be applied block by block while the block stays in cache (apply_range, sim/simulator.hpp).
/// A kernel given a block reads, writes (and writes probabilities for) that block alone,
/// with the arithmetic it does on the whole state: results do not depend on the blocking.
/// The default, bits = -1, is the whole state.
struct AmplitudeBlock {
  std::size_t first = 0;
  int bits = -1;
};

void apply_matrix(StateVector& state, int qubit, const Matrix2& matrix,
                  double* probabilities = nullptr, AmplitudeBlock block = {});
void apply_matrix(StateVector& state, int qubit_a, int qubit_b, const Matrix4& matrix,
                  double* probabilities = nullptr, AmplitudeBlock block = {});

/// Diagonal gates cost one complex multiply per amplitude.
void apply_diagonal(StateVector& state, int qubit, const std::array<Complex, 2>& diagonal,
                    double* probabilities = nullptr, AmplitudeBlock block = {});
void apply_diagonal(StateVector& state, int qubit_a, int qubit_b,
                    const std::array<Complex, 4>& diagonal, double* probabilities = nullptr,
                    AmplitudeBlock block = {});

/// CNOT as a permutation of amplitudes: no arithmetic.
void apply_cnot(StateVector& state, int control, int target, double* probabilities = nullptr,
                AmplitudeBlock block = {});

/// The same gates out of place: `state` = gate applied to `source` (the same size; `source`
/// may be `state`). One pass either way: keeping every intermediate state costs no copies.
void apply_matrix(const StateVector& source, StateVector& state, int qubit, const Matrix2& matrix,
                  double* probabilities = nullptr, AmplitudeBlock block = {});
void apply_matrix(const StateVector& source, StateVector& state, int qubit_a, int qubit_b,
                  const Matrix4& matrix, double* probabilities = nullptr, AmplitudeBlock block = {});
void apply_diagonal(const StateVector& source, StateVector& state, int qubit,
                    const std::array<Complex, 2>& diagonal, double* probabilities = nullptr,
                    AmplitudeBlock block = {});
void apply_diagonal(const StateVector& source, StateVector& state, int qubit_a, int qubit_b,
                    const std::array<Complex, 4>& diagonal, double* probabilities = nullptr,
                    AmplitudeBlock block = {});
void apply_cnot(const StateVector& source, StateVector& state, int control, int target,
                double* probabilities = nullptr, AmplitudeBlock block = {});

/// The overlap of two states reduced to one or two qubits: R(a, b) = sum over the other qubits'
/// bits r of conj(bra[r, a]) ket[r, b], with a, b the targets' bits in matrix numbering. Then
/// <bra| G |ket> = sum_ab G(a, b) R(a, b) for any gate G on those qubits: one pass over the two
/// states serves every gate on them (the adjoint method's angles).
Matrix2 reduced_overlap(const StateVector& bra, const StateVector& ket, int qubit);
Matrix4 reduced_overlap(const StateVector& bra, const StateVector& ket, int qubit_a, int qubit_b);

/// |amp|^2 of every basis state, into `probabilities` (2^Q doubles).
void compute_probabilities(const StateVector& state, std::span<double> probabilities);

}  // namespace qgen::sim
