#include "qgen/train/history.hpp"

#include <span>

namespace qgen::train {

void History::append(const StepRecord& r) {
  step.push_back(r.step);
  evaluations.push_back(r.evaluations);
  loss.push_back(r.loss);
  grad_norm.push_back(r.grad_norm);
  seconds.push_back(r.seconds);
}

void write_history(const core::hdf5::Location& parent, const std::string& name, const History& h) {
  const auto group = parent.create_group(name);
  const hsize_t n = h.size();
  group.write("step", std::span<const std::int64_t>(h.step), {n});
  group.write("evaluations", std::span<const std::int64_t>(h.evaluations), {n});
  group.write("loss", std::span<const double>(h.loss), {n});
  group.write("grad_norm", std::span<const double>(h.grad_norm), {n});
  group.write("seconds", std::span<const double>(h.seconds), {n});
}

History read_history(const core::hdf5::Location& parent, const std::string& name) {
  const auto group = parent.group(name);
  History h;
  h.step = group.read_int64("step");
  h.evaluations = group.read_int64("evaluations");
  h.loss = group.read_doubles("loss");
  h.grad_norm = group.read_doubles("grad_norm");
  h.seconds = group.read_doubles("seconds");
  return h;
}

}  // namespace qgen::train
