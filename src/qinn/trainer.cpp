#include "qgen/qinn/trainer.hpp"

#include <chrono>
#include <cmath>

#include "qgen/core/errors.hpp"
#include "qgen/data/split.hpp"

namespace qgen::qinn {
namespace {

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void add(LossParts& sum, const LossParts& x, double scale = 1.0) {
  sum.input += scale * x.input;
  sum.latent += scale * x.latent;
  sum.mass += scale * x.mass;
  sum.invertibility += scale * x.invertibility;
  sum.total += scale * x.total;
}

// The batch's rows (scaled features and M_ll) from the event indices `rows` of `events`.
struct BatchData {
  std::vector<double> scaled, mass, z_generated, z_reference;

  void fill(const EventSet& events, std::span<const std::size_t> rows, int n, std::uint64_t seed,
            std::uint64_t generated, std::uint64_t reference) {
    scaled.resize(rows.size() * n);
    mass.assign(rows.size(), 0.0);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      std::copy_n(&events.scaled[rows[i] * n], n, &scaled[i * n]);
      if (!events.mass.empty()) mass[i] = events.mass[rows[i]];
    }
    z_generated.resize(rows.size() * n);
    z_reference.resize(rows.size() * n);
    normal_values(seed, generated, 0, z_generated);
    normal_values(seed, reference, 0, z_reference);
  }
  Batch batch() const { return {scaled, mass, z_generated, z_reference}; }
};

}  // namespace

LossParts split_loss(Objective& objective, std::span<const double> p, const EventSet& events,
                     int n, int batch_size, std::uint64_t seed, Purpose generated, Purpose reference) {
  const std::size_t total = events.scaled.size() / n;
  LossParts mean;
  if (total == 0) return mean;
  std::vector<std::size_t> rows;
  BatchData data;
  std::uint64_t k = 0;
  std::size_t batches = 0;
  for (std::size_t first = 0; first < total; first += batch_size, ++k, ++batches) {
    rows.clear();
    for (std::size_t i = first; i < std::min(total, first + batch_size); ++i) rows.push_back(i);
    data.fill(events, rows, n, seed, stream_of(generated, k), stream_of(reference, k));
    add(mean, objective.evaluate(p, data.batch(), {}));
  }
  LossParts out;
  add(out, mean, 1.0 / static_cast<double>(batches));
  return out;
}

Trainer::Trainer(const core::Ranks& ranks, Objective& objective, const EventSet& train,
                 const EventSet& validation, int features, TrainerOptions options)
    : ranks_(ranks), objective_(objective), train_(train), validation_(validation), n_(features),
      options_(std::move(options)) {
  const std::size_t events = train.scaled.size() / features;
  if (events == 0) throw core::DataError("the training split has no events");
  batches_ = static_cast<int>((events + options_.batch_size - 1) / options_.batch_size);
  options_.schedule.total_steps = static_cast<std::int64_t>(options_.epochs) * batches_;
}

TrainingState Trainer::fresh(std::vector<double> parameters) {
  TrainingState s;
  s.first_moment.assign(parameters.size(), 0.0);
  s.second_moment.assign(parameters.size(), 0.0);
  s.best_parameters = parameters;
  s.parameters = std::move(parameters);
  return s;
}

void Trainer::write_checkpoint(const TrainingState& state) const {
  if (options_.checkpoint.empty()) return;
  core::on_lead(ranks_, [&] {
    write_qinn_checkpoint(options_.checkpoint,
                          {options_.config, options_.fingerprint, state, ranks_.size});
  });
}

TrainerResult Trainer::run(TrainingState& s) {
  const std::size_t events = train_.scaled.size() / n_;
  const std::size_t size = s.parameters.size();
  std::vector<double> gradient(size);
  std::vector<std::size_t> rows;
  BatchData data;
  double epoch_start = now();
  while (s.epoch < options_.epochs) {
    const auto order = data::shuffled_order(events, options_.seed, stream_of(Purpose::shuffle, s.epoch));
    for (; s.batch < batches_; ) {
      const std::size_t first = static_cast<std::size_t>(s.batch) * options_.batch_size;
      const std::size_t last = std::min(events, first + options_.batch_size);
      data.fill(train_, std::span(order).subspan(first, last - first), n_, options_.seed,
                stream_of(Purpose::generated, s.step), stream_of(Purpose::reference, s.step));
      const LossParts loss = objective_.evaluate(s.parameters, data.batch(), gradient);
      double norm = 0.0;
      for (double g : gradient) norm += g * g;
      const double rate = options_.schedule.rate(s.step);
      train::adam_update(s.parameters, s.first_moment, s.second_moment, gradient, rate,
                         options_.adam, ++s.step);
      add(s.partial, loss);
      s.partial_grad_norm += std::sqrt(norm);
      ++s.batch;
      const int signal = options_.signals ? options_.signals->agreed(ranks_) : 0;
      if (signal != 0) {
        write_checkpoint(s);
        return {signal};
      }
    }
    // The epoch's end: validation, history, best parameters.
    EpochRecord record;
    record.epoch = s.epoch + 1;
    add(record.train, s.partial, 1.0 / batches_);
    record.grad_norm = s.partial_grad_norm / batches_;
    record.learning_rate = options_.schedule.rate(s.step - 1);
    record.validation = split_loss(objective_, s.parameters, validation_, n_, options_.batch_size,
                                   options_.seed, Purpose::validation_generated,
                                   Purpose::validation_reference);
    const double end = now();
    record.seconds = end - epoch_start;
    epoch_start = end;
    s.history.records.push_back(record);
    // The validation split may be empty (then the last epoch is kept).
    const bool has_validation = !validation_.scaled.empty();
    if (!has_validation || record.validation.total < s.best_validation) {
      s.best_validation = has_validation ? record.validation.total : s.best_validation;
      s.best_epoch = record.epoch;
      s.best_parameters = s.parameters;
    }
    ++s.epoch;
    s.batch = 0;
    s.partial = {};
    s.partial_grad_norm = 0;
    if (ranks_.lead() && options_.progress) options_.progress(record);
    const bool last = s.epoch == options_.epochs;
    if (!last && options_.checkpoint_every > 0 && s.epoch % options_.checkpoint_every == 0)
      write_checkpoint(s);
  }
  write_checkpoint(s);
  return {};
}

}  // namespace qgen::qinn
