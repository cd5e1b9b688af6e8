#include "qgen/qinn/checkpoint.hpp"

#include <span>

#include "qgen/core/atomic_file.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/core/hdf5.hpp"

namespace qgen::qinn {
namespace {

void write_vector(const core::hdf5::Location& at, const std::string& name, const std::vector<double>& v) {
  at.write(name, std::span<const double>(v), {v.size()});
}

}  // namespace

void write_qinn_checkpoint(const std::string& path, const QinnCheckpoint& c) {
  core::AtomicFile output(path);
  {
    core::hdf5::Location file = core::hdf5::create_file(output.temporary_path());
    file.set_attribute("qgen_qinn_checkpoint", std::int64_t{1});
    file.set_attribute("format_version", kQinnCheckpointFormat);
    file.set_attribute("ranks", c.ranks);
    file.write("config", c.config);
    const auto fingerprint = file.create_group("fingerprint");
    for (const auto& [key, value] : c.fingerprint) fingerprint.set_attribute(key, value);
    const TrainingState& s = c.state;
    write_vector(file, "parameters", s.parameters);
    const auto adam = file.create_group("adam");
    write_vector(adam, "first_moment", s.first_moment);
    write_vector(adam, "second_moment", s.second_moment);
    const auto position = file.create_group("position");
    position.set_attribute("step", s.step);
    position.set_attribute("epoch", s.epoch);
    position.set_attribute("batch", s.batch);
    position.set_attribute("grad_norm_sum", s.partial_grad_norm);
    write_loss_parts(position.create_group("partial"), {s.partial});
    const auto best = file.create_group("best");
    write_vector(best, "parameters", s.best_parameters);
    best.set_attribute("epoch", s.best_epoch);
    best.set_attribute("validation_loss", s.best_validation);
    write_epoch_history(file, "history", s.history);
    file.close();
  }
  output.commit();
}

QinnCheckpoint read_qinn_checkpoint(const std::string& path) {
  const auto file = core::hdf5::open_file(path);
  if (!file.has_attribute("qgen_qinn_checkpoint"))
    throw core::DataError("'" + path + "' is not a QINN checkpoint (qgen qinn train writes them)");
  const std::int64_t format = file.int64_attribute("format_version");
  if (format != kQinnCheckpointFormat)
    throw core::DataError("QINN checkpoint '" + path + "' has format " + std::to_string(format) +
                          "; this qgen reads format " + std::to_string(kQinnCheckpointFormat));
  QinnCheckpoint c;
  c.ranks = file.int64_attribute("ranks");
  c.config = file.read_string("config");
  const auto fingerprint = file.group("fingerprint");
  for (const auto& key : fingerprint.attribute_names())
    c.fingerprint.emplace_back(key, fingerprint.string_attribute(key));
  TrainingState& s = c.state;
  s.parameters = file.read_doubles("parameters");
  const auto adam = file.group("adam");
  s.first_moment = adam.read_doubles("first_moment");
  s.second_moment = adam.read_doubles("second_moment");
  const auto position = file.group("position");
  s.step = position.int64_attribute("step");
  s.epoch = position.int64_attribute("epoch");
  s.batch = position.int64_attribute("batch");
  s.partial_grad_norm = position.double_attribute("grad_norm_sum");
  s.partial = read_loss_parts(position.group("partial")).at(0);
  const auto best = file.group("best");
  s.best_parameters = best.read_doubles("parameters");
  s.best_epoch = best.int64_attribute("epoch");
  s.best_validation = best.double_attribute("validation_loss");
  s.history = read_epoch_history(file, "history");
  if (s.first_moment.size() != s.parameters.size() || s.second_moment.size() != s.parameters.size())
    throw core::DataError("QINN checkpoint '" + path + "': Adam's moments and the parameters differ in size");
  return c;
}

}  // namespace qgen::qinn
