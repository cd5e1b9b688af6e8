#include "qgen/hw/lcd_record.hpp"

#include <cstdio>

#include "qgen/core/errors.hpp"

namespace qgen::hw {
namespace {

void write_doubles(const core::hdf5::Location& at, const std::string& name, const std::vector<double>& values) {
  at.write(name, std::span<const double>(values), {values.size()});
}

template <typename T>
void write_ints(const core::hdf5::Location& at, const std::string& name, const std::vector<T>& values) {
  const std::vector<std::int64_t> wide(values.begin(), values.end());
  at.write(name, std::span<const std::int64_t>(wide), {wide.size()});
}

template <typename T>
std::vector<T> read_ints(const core::hdf5::Location& at, const std::string& name) {
  const auto wide = at.read_int64(name);
  return std::vector<T>(wide.begin(), wide.end());
}

std::string iteration_name(std::size_t i) {
  char name[32];
  std::snprintf(name, sizeof name, "iteration_%04zu", i);
  return name;
}

}  // namespace

void write_lcd_record(const core::hdf5::Location& group, const std::vector<double>& initial_parameters,
                      const LcdState& state) {
  write_doubles(group, "initial_params", initial_parameters);
  write_doubles(group, "params", state.parameters);
  std::vector<std::int64_t> sweep, layer, circuits, skipped, batch;
  std::vector<double> loss_noisy, loss_noiseless;
  for (std::size_t i = 0; i < state.iterations.size(); ++i) {
    const LcdIteration& it = state.iterations[i];
    sweep.push_back(it.sweep), layer.push_back(it.layer), batch.push_back(it.batch);
    circuits.push_back(static_cast<std::int64_t>(it.js_noisy.size())), skipped.push_back(it.skipped);
    loss_noisy.push_back(it.loss_noisy), loss_noiseless.push_back(it.loss_noiseless);
    const auto g = group.create_group(iteration_name(i));
    write_doubles(g, "js_noiseless", it.js_noiseless);
    if (!it.skipped) write_doubles(g, "js_noisy", it.js_noisy);
    write_doubles(g, "shifts", it.shifts);
    write_doubles(g, "sweep_shifts", it.sweep_shifts);
    write_ints(g, "parameter_ids", it.parameter_ids);
    write_ints(g, "flat", it.flat);
  }
  const auto iterations = group.create_group("iterations");
  write_ints(iterations, "sweep", sweep), write_ints(iterations, "layer", layer);
  write_ints(iterations, "circuits", circuits), write_ints(iterations, "skipped", skipped);
  write_ints(iterations, "batch", batch);
  write_doubles(iterations, "loss_noisy", loss_noisy), write_doubles(iterations, "loss_noiseless", loss_noiseless);
}

LcdRecord read_lcd_record(const core::hdf5::Location& group) {
  if (!group.has("params") || !group.has("initial_params") || !group.has("iterations"))
    throw core::DataError("'" + group.file() + "': " + group.path() + " is not an LCD record (no params or iterations)");
  LcdRecord record;
  record.initial_parameters = group.read_doubles("initial_params");
  record.state.parameters = group.read_doubles("params");
  const auto iterations = group.group("iterations");
  const auto sweep = iterations.read_int64("sweep"), layer = iterations.read_int64("layer");
  const auto skipped = iterations.read_int64("skipped"), batch = iterations.read_int64("batch");
  const auto loss_noisy = iterations.read_doubles("loss_noisy");
  const auto loss_noiseless = iterations.read_doubles("loss_noiseless");
  const auto broken = [&](const std::string& what) {
    return core::DataError("'" + group.file() + "': " + group.path() + " is not a consistent LCD record (" + what + ")");
  };
  if (record.state.parameters.size() != record.initial_parameters.size())
    throw broken("params and initial_params differ in length");
  for (const std::size_t n : {layer.size(), skipped.size(), batch.size(), loss_noisy.size(), loss_noiseless.size()})
    if (n != sweep.size()) throw broken("the iterations/ datasets differ in length");
  for (std::size_t i = 0; i < sweep.size(); ++i) {
    const auto g = group.group(iteration_name(i));
    LcdIteration it;
    it.sweep = static_cast<int>(sweep.at(i)), it.layer = static_cast<int>(layer.at(i));
    it.batch = static_cast<std::uint32_t>(batch.at(i)), it.skipped = skipped.at(i) != 0;
    it.loss_noisy = loss_noisy.at(i), it.loss_noiseless = loss_noiseless.at(i);
    it.js_noiseless = g.read_doubles("js_noiseless");
    if (!it.skipped) it.js_noisy = g.read_doubles("js_noisy");
    it.shifts = g.read_doubles("shifts");
    it.sweep_shifts = g.read_doubles("sweep_shifts");
    it.parameter_ids = read_ints<int>(g, "parameter_ids");
    it.flat = read_ints<char>(g, "flat");
    const std::size_t angles = it.parameter_ids.size();
    if (it.shifts.size() != angles || it.flat.size() != angles ||
        it.js_noiseless.size() != angles * it.sweep_shifts.size())
      throw broken(iteration_name(i) + ": shifts, flat or js_noiseless do not match its " + std::to_string(angles) +
                   " angles");
    for (const int id : it.parameter_ids)
      if (id < 0 || static_cast<std::size_t>(id) >= record.state.parameters.size())
        throw broken(iteration_name(i) + ": parameter id " + std::to_string(id) + " out of range");
    record.state.iterations.push_back(std::move(it));
  }
  return record;
}

}  // namespace qgen::hw
