#include "qgen/qinn/history.hpp"

#include <span>

namespace qgen::qinn {
namespace {

constexpr const char* kPartNames[] = {"input_mmd", "latent_mmd", "mass_mmd", "invertibility", "total"};

double* part(LossParts& p, int k) {
  double* fields[] = {&p.input, &p.latent, &p.mass, &p.invertibility, &p.total};
  return fields[k];
}

}  // namespace

void write_loss_parts(const core::hdf5::Location& group, const std::vector<LossParts>& parts) {
  for (int k = 0; k < 5; ++k) {
    std::vector<double> v;
    for (LossParts p : parts) v.push_back(*part(p, k));
    group.write(kPartNames[k], std::span<const double>(v), {v.size()});
  }
}

std::vector<LossParts> read_loss_parts(const core::hdf5::Location& group) {
  std::vector<LossParts> parts;
  for (int k = 0; k < 5; ++k) {
    const auto v = group.read_doubles(kPartNames[k]);
    parts.resize(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) *part(parts[i], k) = v[i];
  }
  return parts;
}

void write_epoch_history(const core::hdf5::Location& parent, const std::string& name,
                         const EpochHistory& h) {
  const auto group = parent.create_group(name);
  std::vector<std::int64_t> epoch;
  std::vector<double> rate, norm, seconds;
  std::vector<LossParts> train, validation;
  for (const EpochRecord& r : h.records) {
    epoch.push_back(r.epoch);
    rate.push_back(r.learning_rate);
    norm.push_back(r.grad_norm);
    seconds.push_back(r.seconds);
    train.push_back(r.train);
    validation.push_back(r.validation);
  }
  const hsize_t n = epoch.size();
  group.write("epoch", std::span<const std::int64_t>(epoch), {n});
  group.write("learning_rate", std::span<const double>(rate), {n});
  group.write("grad_norm", std::span<const double>(norm), {n});
  group.write("seconds", std::span<const double>(seconds), {n});
  write_loss_parts(group.create_group("train"), train);
  write_loss_parts(group.create_group("validation"), validation);
}

EpochHistory read_epoch_history(const core::hdf5::Location& parent, const std::string& name) {
  const auto group = parent.group(name);
  const auto epoch = group.read_int64("epoch");
  const auto rate = group.read_doubles("learning_rate"), norm = group.read_doubles("grad_norm"),
             seconds = group.read_doubles("seconds");
  const auto train = read_loss_parts(group.group("train")),
             validation = read_loss_parts(group.group("validation"));
  EpochHistory h;
  for (std::size_t i = 0; i < epoch.size(); ++i)
    h.records.push_back({epoch[i], train.at(i), validation.at(i), rate.at(i), norm.at(i), seconds.at(i)});
  return h;
}

}  // namespace qgen::qinn
