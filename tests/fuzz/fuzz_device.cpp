// Device calibrations (hw/device_model.hpp): a Qiskit BackendConfiguration and
// BackendProperties pair. The input is the configuration's text, a backslash and a newline,
// then the properties' text (FuzzedDataProvider's string framing; JSON holds no bare
// backslash outside string escapes, so seeds are the two files joined). read() must return a
// validated device or refuse the pair with a DataError; an accepted device must answer every
// query its users make without throwing anything else.
#include <fuzzer/FuzzedDataProvider.h>

#include <stdexcept>

#include "fuzz_support.hpp"
#include "qgen/hw/device_model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qgen;
  FuzzedDataProvider in(data, size);
  const std::string configuration = in.ConsumeRandomLengthString(size);
  const std::string properties = in.ConsumeRemainingBytesAsString();
  const auto conf_path = fuzz::scratch_file(reinterpret_cast<const std::uint8_t*>(configuration.data()),
                                            configuration.size(), "-conf.json");
  const auto props_path = fuzz::scratch_file(reinterpret_cast<const std::uint8_t*>(properties.data()),
                                             properties.size(), "-props.json");
  fuzz::refuses_cleanly([&] {
    const auto device = hw::DeviceModel::read(props_path, conf_path);
    for (int q = 0; q < device.num_qubits(); ++q) {
      const auto& c = device.qubit(q);
      if (!(c.t1 > 0 && c.t2 > 0 && c.t2 <= 2 * c.t1 && c.readout_error() >= 0 && c.readout_error() <= 1))
        throw std::logic_error("an accepted device holds an impossible qubit calibration");
      for (auto gate : {hw::BasisGate::rz, hw::BasisGate::sx, hw::BasisGate::x}) (void)device.gate(gate, q);
      for (int n : device.neighbours(q)) (void)(device.has_cx(q, n) ? device.cx(q, n) : device.cx(n, q));
    }
    for (const auto& [control, target] : device.coupling_map()) (void)device.cx(control, target);
  });
  return 0;
}
