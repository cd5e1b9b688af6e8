// Checkpoints (train/checkpoint.hpp): a checkpoint's layout with each part present or absent,
// of the right type or another, of the right length or not, holding NaN or not
// (hdf5_builder.hpp). read_checkpoint must return a restorable state or refuse the file.
#include "fuzz_support.hpp"
#include "hdf5_builder.hpp"
#include "qgen/train/checkpoint.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qgen;
  FuzzedDataProvider in(data, size);
  fuzz::Hdf5Builder build(in);
  const std::string path = "/dev/shm/qgen-fuzz-" + std::to_string(getpid()) + "-ckpt.h5";
  try {
    const auto file = core::hdf5::create_file(path);
    for (const char* a : {"qgen_checkpoint", "format_version", "iteration", "iterate_evaluation",
                          "optimizer", "ranks"}) {
      if (!in.ConsumeBool()) continue;
      if (in.ConsumeBool()) build.attribute(file, a);
      else if (std::string(a) == "optimizer") file.set_attribute(a, std::string("adam"));
      else file.set_attribute(a, std::int64_t{in.ConsumeIntegralInRange(-1, 2)});
    }
    if (in.ConsumeBool()) build.dataset(file, "config");
    if (in.ConsumeBool()) file.write("config", std::string("[train]\nsteps = 10\n"));
    if (in.ConsumeBool()) {
      const auto fingerprint = file.create_group("fingerprint");
      for (int k = in.ConsumeIntegralInRange(0, 3); k > 0; --k) build.attribute(fingerprint, build.name({"train.seed"}));
    }
    const std::size_t p = in.ConsumeIntegralInRange<std::size_t>(0, 12);
    if (in.ConsumeBool()) {
      const auto v = build.numbers(p);
      file.write("parameters", std::span<const double>(v), {p});
    } else if (in.ConsumeBool()) {
      build.dataset(file, "parameters");
    }
    if (in.ConsumeBool()) {
      const auto adam = file.create_group("adam");
      for (const char* m : {"first_moment", "second_moment"}) {
        const std::size_t n = in.ConsumeBool() ? p : in.ConsumeIntegralInRange<std::size_t>(0, 12);
        const auto v = build.numbers(n);
        if (in.ConsumeBool()) adam.write(m, std::span<const double>(v), {n});
      }
      if (in.ConsumeBool()) build.attribute(adam, "step");
    }
    if (in.ConsumeBool()) {
      const auto history = file.create_group("history");
      for (const char* h : {"step", "evaluations", "loss", "grad_norm", "seconds"})
        if (in.ConsumeBool()) build.dataset(history, h);
    }
  } catch (const core::DataError&) {
    return 0;  // HDF5 refused to build this file: nothing to read
  }
  fuzz::refuses_cleanly([&] { train::read_checkpoint(path); });
  return 0;
}
