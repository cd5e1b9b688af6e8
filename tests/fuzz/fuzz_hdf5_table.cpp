// HDF5 event tables (data/hdf5_table.hpp): files in both of qgen's layouts and in neither,
// with the expected names most of the time and anything else otherwise (hdf5_builder.hpp).
#include "fuzz_support.hpp"
#include "hdf5_builder.hpp"
#include "qgen/data/hdf5_table.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qgen;
  FuzzedDataProvider in(data, size);
  fuzz::Hdf5Builder build(in);
  const std::string path = "/dev/shm/qgen-fuzz-" + std::to_string(getpid()) + ".h5";
  const std::vector<std::string> names = {"events", "weights", "pT", "mass", "eta", "params",
                                          "target", "config"};
  std::vector<std::string> wanted;
  try {
    const auto file = core::hdf5::create_file(path);
    const int datasets = in.ConsumeIntegralInRange(0, 5);
    for (int k = 0; k < datasets; ++k) build.dataset(file, build.name(names));
    if (file.has("events") && in.ConsumeBool()) build.attribute(file.object("events"), "columns");
    if (in.ConsumeBool()) build.attribute(file, build.name({"qgen_checkpoint", "source"}));
    const int columns = in.ConsumeIntegralInRange(0, 3);
    for (int k = 0; k < columns; ++k) wanted.push_back(build.name({"pT", "mass", "eta"}));
  } catch (const core::DataError&) {
    return 0;  // HDF5 refused to build this file (a name with '/', ...): nothing to read
  }
  fuzz::refuses_cleanly([&] { data::read_hdf5_table(path, wanted); });
  return 0;
}
