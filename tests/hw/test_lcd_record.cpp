// The LCD record (hw/lcd_record.hpp) written to a fresh HDF5 file and read back equals the
// state bit for bit, NaN of a skipped iteration included, and the datasets have the documented
// layout; a group that is not a record is a DataError naming the file.
#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>
#include <cstring>
#include <functional>

#include "../support/expect_error.hpp"
#include "lcd_fixture.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/hw/lcd_record.hpp"

namespace qgen::hw {
namespace {

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}
bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void expect_same(const LcdIteration& a, const LcdIteration& b, std::size_t i) {
  EXPECT_EQ(a.sweep, b.sweep) << i;
  EXPECT_EQ(a.layer, b.layer) << i;
  EXPECT_EQ(a.batch, b.batch) << i;
  EXPECT_EQ(a.skipped, b.skipped) << i;
  EXPECT_EQ(a.parameter_ids, b.parameter_ids) << i;
  EXPECT_EQ(a.flat, b.flat) << i;
  EXPECT_TRUE(same_bits(a.sweep_shifts, b.sweep_shifts)) << i;
  EXPECT_TRUE(same_bits(a.shifts, b.shifts)) << i;
  EXPECT_TRUE(same_bits(a.js_noiseless, b.js_noiseless)) << i;
  EXPECT_TRUE(same_bits(a.js_noisy, b.js_noisy)) << i;
  EXPECT_TRUE(same_bits(a.loss_noisy, b.loss_noisy)) << i;
  EXPECT_TRUE(same_bits(a.loss_noiseless, b.loss_noiseless)) << i;
}

TEST(LcdRecord, RoundTripBitForBit) {
  const testing::LcdProblem p;
  LcdOptions o;
  o.shots = 2000;
  const LcdRun run(p.circuit, sim::FusionLevel::two_qubit, p.target, *p.backend, o);
  LcdOptions all_flat = o;
  all_flat.flat_variance = 1.0;
  const LcdRun skipping(p.circuit, sim::FusionLevel::two_qubit, p.target, *p.backend, all_flat);
  const core::Ranks self = core::Ranks::of(MPI_COMM_SELF);
  LcdState state{p.start, {}};
  ASSERT_TRUE(run.iterate(self, state));       // layer 0, sent
  ASSERT_TRUE(skipping.iterate(self, state));  // layer 1, skipped
  ASSERT_TRUE(run.iterate(self, state));       // layer 2, sent
  ASSERT_TRUE(state.iterations[1].skipped);
  ASSERT_FALSE(state.iterations[2].skipped);

  const testing::TempDir dir;
  const std::string path = dir.file("lcd.h5");
  {
    const auto file = core::hdf5::create_file(path);
    write_lcd_record(file.create_group("lcd"), p.start, state);
  }
  const auto file = core::hdf5::open_file(path);
  const LcdRecord record = read_lcd_record(file.group("lcd"));
  EXPECT_TRUE(same_bits(record.initial_parameters, p.start));
  EXPECT_TRUE(same_bits(record.state.parameters, state.parameters));
  ASSERT_EQ(record.state.iterations.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) expect_same(record.state.iterations[i], state.iterations[i], i);
  EXPECT_TRUE(std::isnan(record.state.iterations[1].loss_noisy));

  // The documented layout: the circuit budget per iteration, no js_noisy for the skipped one.
  const auto g = file.group("lcd");
  const auto circuits = g.group("iterations").read_int64("circuits");
  ASSERT_EQ(circuits.size(), 3u);
  EXPECT_EQ(circuits[0], static_cast<std::int64_t>(state.iterations[0].js_noisy.size()));
  EXPECT_EQ(circuits[1], 0);
  EXPECT_GT(circuits[2], 0);
  EXPECT_EQ(g.group("iterations").read_int64("skipped"), (std::vector<std::int64_t>{0, 1, 0}));
  EXPECT_FALSE(g.group("iteration_0001").has("js_noisy"));
  EXPECT_TRUE(g.group("iteration_0002").has("js_noisy"));
}

TEST(LcdRecord, EmptyStateRoundTrips) {
  const testing::TempDir dir;
  const std::string path = dir.file("empty.h5");
  const std::vector<double> initial{0.5, -1.25, 3.0};
  {
    const auto file = core::hdf5::create_file(path);
    write_lcd_record(file.create_group("lcd"), initial, LcdState{initial, {}});
  }
  const LcdRecord record = read_lcd_record(core::hdf5::open_file(path).group("lcd"));
  EXPECT_EQ(record.initial_parameters, initial);
  EXPECT_EQ(record.state.parameters, initial);
  EXPECT_TRUE(record.state.iterations.empty());
}

// A record written from `state` and then edited by `edit`, read back.
void read_edited(const LcdState& state, const std::function<void(const core::hdf5::Location&)>& edit,
                 const std::string& fragment) {
  const testing::TempDir dir;
  const std::string path = dir.file("edited.h5");
  {
    const auto file = core::hdf5::create_file(path);
    const auto g = file.create_group("lcd");
    write_lcd_record(g, state.parameters, state);
    edit(g);
  }
  testing::expect_error<core::DataError>([&] { read_lcd_record(core::hdf5::open_file(path).group("lcd")); },
                                         fragment);
}

TEST(LcdRecord, InconsistentRecordIsADataError) {
  // A hand-made state of two iterations over 4 parameters.
  LcdState state{{0.1, 0.2, 0.3, 0.4}, {}};
  for (int i = 0; i < 2; ++i) {
    LcdIteration it;
    it.layer = i, it.batch = i + 1;
    it.parameter_ids = {2 * i, 2 * i + 1};
    it.sweep_shifts = {-0.1, 0.0, 0.1};
    it.shifts = {0.1, 0.0};
    it.flat = {0, 1};
    it.js_noiseless = {1, 2, 3, 4, 5, 6};
    it.js_noisy = {7, 8, 9};
    it.loss_noisy = 7, it.loss_noiseless = 0.5;
    state.iterations.push_back(it);
  }
  const auto replace_doubles = [](const core::hdf5::Location& at, const std::string& name, std::vector<double> v) {
    H5Ldelete(at.id(), name.c_str(), H5P_DEFAULT);
    at.write(name, std::span<const double>(v), {v.size()});
  };
  const auto replace_ints = [](const core::hdf5::Location& at, const std::string& name, std::vector<std::int64_t> v) {
    H5Ldelete(at.id(), name.c_str(), H5P_DEFAULT);
    at.write(name, std::span<const std::int64_t>(v), {v.size()});
  };
  read_edited(state, [&](const auto& g) { replace_doubles(g, "params", {0.1, 0.2}); }, "edited.h5");
  read_edited(state, [&](const auto& g) { replace_ints(g.group("iterations"), "layer", {0}); }, "differ in length");
  read_edited(state, [&](const auto& g) { replace_doubles(g.group("iteration_0001"), "shifts", {0.1}); },
              "iteration_0001");
  read_edited(state, [&](const auto& g) { replace_doubles(g.group("iteration_0000"), "js_noiseless", {1, 2}); },
              "iteration_0000");
  read_edited(state, [&](const auto& g) { replace_ints(g.group("iteration_0001"), "parameter_ids", {2, 4}); },
              "parameter id 4 out of range");
  // Unedited, the same state reads back.
  const testing::TempDir dir;
  {
    const auto file = core::hdf5::create_file(dir.file("fine.h5"));
    write_lcd_record(file.create_group("lcd"), state.parameters, state);
  }
  const LcdRecord record = read_lcd_record(core::hdf5::open_file(dir.file("fine.h5")).group("lcd"));
  ASSERT_EQ(record.state.iterations.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) expect_same(record.state.iterations[i], state.iterations[i], i);
}

TEST(LcdRecord, OtherGroupIsADataErrorNamingTheFile) {
  const testing::TempDir dir;
  const std::string path = dir.file("other.h5");
  {
    const auto file = core::hdf5::create_file(path);
    file.create_group("lcd").write("params", 1.0);
  }
  testing::expect_error<core::DataError>(
      [&] { read_lcd_record(core::hdf5::open_file(path).group("lcd")); }, "other.h5");
}

}  // namespace
}  // namespace qgen::hw
