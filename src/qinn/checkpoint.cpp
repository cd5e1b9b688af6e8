#include "qgen/qinn/checkpoint.hpp"

#include <cmath>
#include <span>

#include "qgen/core/errors.hpp"
#include "qgen/core/hdf5.hpp"

namespace qgen::qinn {
namespace {

void write_vector(const core::hdf5::Location& at, const std::string& name, const std::vector<double>& v) {
  at.write(name, std::span<const double>(v), {v.size()});
}

}  // namespace

void write_qinn_checkpoint(const std::string& path, const QinnCheckpoint& c) {
  core::hdf5::write_file(path, [&](const core::hdf5::Location& file) {
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
  });
}

namespace {

// A restart must not carry a damaged state into hours of training: every number finite, the
// vectors of one length, the second moment non-negative, the position in range.
void check_restorable(const std::string& path, const TrainingState& s) {
  const auto fail = [&](const std::string& why) {
    throw core::DataError("QINN checkpoint '" + path + "': " + why);
  };
  const auto check = [&](const std::vector<double>& v, const std::string& name) {
    if (v.size() != s.parameters.size())
      fail(name + " has " + std::to_string(v.size()) + " entries, the parameters " +
           std::to_string(s.parameters.size()));
    for (std::size_t k = 0; k < v.size(); ++k)
      if (!std::isfinite(v[k])) fail(name + "[" + std::to_string(k) + "] is not finite");
  };
  check(s.parameters, "parameters");
  check(s.first_moment, "adam/first_moment");
  check(s.second_moment, "adam/second_moment");
  check(s.best_parameters, "best/parameters");
  for (std::size_t k = 0; k < s.second_moment.size(); ++k)
    if (s.second_moment[k] < 0) fail("adam/second_moment[" + std::to_string(k) + "] is negative");
  if (s.step < 0 || s.epoch < 0 || s.batch < 0 || s.best_epoch < 0 || s.best_epoch > s.epoch)
    fail("its position (step " + std::to_string(s.step) + ", epoch " + std::to_string(s.epoch) +
         ", batch " + std::to_string(s.batch) + ") is not a training's");
}

}  // namespace

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
  check_restorable(path, s);
  return c;
}

}  // namespace qgen::qinn
