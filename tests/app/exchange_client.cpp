// exchange_client: the client side of an exchange directory, for tests/app/serve_exchange.sh.
//
//   exchange_client submit DIR DEVICE_FOLDER   writes batch "lcd_it0_l0" (three parameter vectors
//                                              of a 4-qubit ansatz-1 circuit, 8000 shots) with
//                                              hw::ExchangeBackend, as the lead rank would
//   exchange_client check DIR DEVICE_FOLDER    polls it and compares every circuit's counts with
//                                              NoisyEmulator's probabilities (5 standard
//                                              deviations per outcome); exit 1 if not there or off
// The circuit's distribution is far from symmetric under reversing the bit order, so counts keys
// read the wrong way round fail the check.
#include <cmath>
#include <cstdio>
#include <exception>
#include <string>

#include "qgen/circuits/ansatz.hpp"
#include "qgen/hw/exchange_backend.hpp"
#include "qgen/hw/noisy_emulator.hpp"

int main(int argc, char** argv) {
  using namespace qgen;
  if (argc != 4) {
    std::fprintf(stderr, "usage: exchange_client submit|check DIR DEVICE_FOLDER\n");
    return 2;
  }
  const std::string mode = argv[1];
  try {
    const hw::DeviceModel device = hw::DeviceModel::read_folder(argv[3]);
    const sim::Circuit circuit = circuits::build_qcbm_circuit({1, 4, 1, 0, circuits::InitialState::zero});
    const hw::NoisyEmulator emulator(device, circuit);
    hw::ExchangeBackend backend({argv[2], device.name(), circuit.num_qubits(), device.max_experiments(),
                                 static_cast<std::uint64_t>(device.max_shots())},
                                [&](std::span<const double> p) { return emulator.qasm(p); });
    hw::BatchRequest batch{"lcd_it0_l0", 0, 8000, {}};
    for (int k = 0; k < 3; ++k) {
      std::vector<double> p(circuit.num_parameters());
      for (std::size_t i = 0; i < p.size(); ++i) p[i] = 0.3 + 0.41 * static_cast<double>(i) + 0.5 * k;
      batch.parameter_sets.push_back(p);
    }
    if (mode == "submit") {
      backend.submit(batch);
      std::printf("submitted %s: %zu circuits\n", batch.id.c_str(), batch.parameter_sets.size());
      return 0;
    }
    if (mode != "check") throw std::runtime_error("unknown mode " + mode);
    const auto counts = backend.poll(batch);
    if (!counts) {
      std::printf("no results for %s\n", batch.id.c_str());
      return 1;
    }
    const auto probabilities = emulator.probabilities(batch.parameter_sets);
    int off = 0;
    double largest_asymmetry = 0;
    for (std::size_t c = 0; c < counts->size(); ++c)
      for (std::size_t x = 0; x < probabilities[c].size(); ++x) {
        const double p = probabilities[c][x], n = static_cast<double>(batch.shots);
        const double f = static_cast<double>((*counts)[c][x]) / n;
        if (std::abs(f - p) > 5 * std::sqrt(p * (1 - p) / n) + 1e-4) ++off;
        std::size_t reversed = 0;
        for (int b = 0; b < 4; ++b) reversed |= ((x >> b) & 1) << (3 - b);
        largest_asymmetry = std::max(largest_asymmetry, std::abs(p - probabilities[c][reversed]));
      }
    std::printf("checked %zu circuits: %d outcomes off by more than 5 sigma; largest |p(x) - p(reversed x)| %.3f\n",
                counts->size(), off, largest_asymmetry);
    return off == 0 && largest_asymmetry > 0.05 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "exchange_client: %s\n", e.what());
    return 2;
  }
}
