#include "qgen/train/checkpoint.hpp"

#include <cmath>
#include <cstdio>
#include <map>

#include "qgen/core/errors.hpp"
#include "qgen/core/hdf5.hpp"

namespace qgen::train {

void write_checkpoint(const std::string& path, const Checkpoint& c) {
  core::hdf5::write_file(path, [&](const core::hdf5::Location& file) {
    file.set_attribute("qgen_checkpoint", std::int64_t{1});
    file.set_attribute("format_version", kCheckpointFormat);
    file.set_attribute("iteration", c.iteration);
    file.set_attribute("iterate_evaluation", static_cast<std::int64_t>(c.iterate_evaluation));
    file.set_attribute("optimizer", c.optimizer);
    file.set_attribute("ranks", c.ranks);
    file.write("config", c.config);
    const auto fingerprint = file.create_group("fingerprint");
    for (const auto& [key, value] : c.fingerprint) fingerprint.set_attribute(key, value);
    file.write("parameters", std::span<const double>(c.parameters), {c.parameters.size()});
    if (c.has_adam) {
      const auto adam = file.create_group("adam");
      adam.write("first_moment", std::span<const double>(c.adam.first_moment), {c.adam.first_moment.size()});
      adam.write("second_moment", std::span<const double>(c.adam.second_moment), {c.adam.second_moment.size()});
      adam.set_attribute("step", static_cast<std::int64_t>(c.adam.step));
    }
    write_history(file, "history", c.history);
  });
}

namespace {

// A restart must not carry a damaged state into hours of training: every number finite, the
// moments of the right length, the second moment non-negative, the counters in range.
void check_restorable(const std::string& path, const Checkpoint& c) {
  const auto fail = [&](const std::string& why) {
    throw core::DataError("checkpoint '" + path + "': " + why);
  };
  const auto check_finite = [&](const std::vector<double>& values, const std::string& name) {
    for (std::size_t k = 0; k < values.size(); ++k)
      if (!std::isfinite(values[k])) fail(name + "[" + std::to_string(k) + "] is not finite");
  };
  if (c.parameters.empty()) fail("no parameters");
  check_finite(c.parameters, "parameters");
  if (c.has_adam) {
    if (c.adam.first_moment.size() != c.parameters.size() ||
        c.adam.second_moment.size() != c.parameters.size())
      fail("the Adam moments and the parameters differ in length");
    check_finite(c.adam.first_moment, "adam/first_moment");
    check_finite(c.adam.second_moment, "adam/second_moment");
    for (std::size_t k = 0; k < c.adam.second_moment.size(); ++k)
      if (c.adam.second_moment[k] < 0) fail("adam/second_moment[" + std::to_string(k) + "] is negative");
    if (c.adam.step < 0) fail("the Adam step count is negative");
  }
  if (c.iteration < 0) fail("the iteration is negative");
  const std::size_t n = c.history.size();
  if (c.history.loss.size() != n || c.history.grad_norm.size() != n || c.history.seconds.size() != n ||
      c.history.evaluations.size() != n)
    fail("the history's columns differ in length");
}

}  // namespace

Checkpoint read_checkpoint(const std::string& path) {
  const auto file = core::hdf5::open_file(path);
  if (!file.has_attribute("qgen_checkpoint"))
    throw core::DataError("'" + path + "' is not a qgen checkpoint");
  const std::int64_t format = file.int64_attribute("format_version");
  if (format != kCheckpointFormat)
    throw core::DataError("checkpoint '" + path + "' has format " + std::to_string(format) +
                          "; this qgen reads format " + std::to_string(kCheckpointFormat));
  Checkpoint c;
  c.iteration = file.int64_attribute("iteration");
  c.iterate_evaluation = static_cast<std::uint64_t>(file.int64_attribute("iterate_evaluation"));
  c.optimizer = file.string_attribute("optimizer");
  c.ranks = file.int64_attribute("ranks");
  c.config = file.read_string("config");
  const auto fingerprint = file.group("fingerprint");
  const std::vector<std::string> keys = fingerprint.attribute_names();
  for (const auto& key : keys) c.fingerprint.emplace_back(key, fingerprint.string_attribute(key));
  c.parameters = file.read_doubles("parameters");
  c.has_adam = file.has("adam");
  if (c.has_adam) {
    const auto adam = file.group("adam");
    c.adam.first_moment = adam.read_doubles("first_moment");
    c.adam.second_moment = adam.read_doubles("second_moment");
    c.adam.step = static_cast<PetscInt>(adam.int64_attribute("step"));
  }
  c.history = read_history(file, "history");
  check_restorable(path, c);
  return c;
}

std::string fingerprint_differences(const Fingerprint& saved, const Fingerprint& current) {
  std::map<std::string, std::string> a(saved.begin(), saved.end()), b(current.begin(), current.end());
  std::string out;
  auto add = [&](const std::string& key, const std::string& x, const std::string& y) {
    out += (out.empty() ? "" : "; ") + key + ": checkpoint " + x + ", this run " + y;
  };
  for (const auto& [key, value] : b) {
    const auto it = a.find(key);
    if (it == a.end()) add(key, "(none)", value);
    else if (it->second != value) add(key, it->second, value);
  }
  for (const auto& [key, value] : a)
    if (!b.count(key)) add(key, value, "(none)");
  return out;
}

std::string content_hash(const std::vector<double>& values) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a offset basis
  const auto* bytes = reinterpret_cast<const unsigned char*>(values.data());
  for (std::size_t k = 0; k < values.size() * sizeof(double); ++k) {
    h ^= bytes[k];
    h *= 1099511628211ull;  // FNV prime
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h));
  return text;
}

}  // namespace qgen::train
