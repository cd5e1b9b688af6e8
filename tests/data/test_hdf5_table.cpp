// HDF5 tables: round trips, both layouts, column selection, attributes, and bad files.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <iterator>

#include <cmath>

#include "../support/expect_error.hpp"
#include "../support/temp_dir.hpp"
#include "qgen/data/data_error.hpp"
#include "qgen/data/hdf5.hpp"
#include "qgen/data/hdf5_table.hpp"

namespace qgen::data {
namespace {

using testing::expect_error;

Table sample(bool weighted) {
  Table t({"pT", "mass", "eta"});
  for (int r = 0; r < 1000; ++r) {
    const double row[3] = {250.0 + r, 50.0 + 0.1 * r, -2.0 + 0.004 * r};
    t.append(row, weighted ? (r % 3 == 0 ? -0.5 : 1.5) : 1.0);
  }
  return t;
}

TEST(Hdf5Table, RoundTripWithWeightsAndAttributes) {
  testing::TempDir dir;
  const Table t = sample(true);
  write_hdf5_table(dir.file("t.h5"), t, {{"generator", std::string("dijet")},
                                         {"seed", std::int64_t{42}},
                                         {"pt_min_GeV", 250.0}});
  EXPECT_EQ(dir.count(), 1u);  // no temporary left beside it
  const Table back = read_hdf5_table(dir.file("t.h5"));
  EXPECT_EQ(back.columns(), t.columns());
  EXPECT_EQ(back.values(), t.values());
  EXPECT_EQ(back.weights(), t.weights());
  const auto file = hdf5::open_file(dir.file("t.h5"));
  EXPECT_EQ(file.string_attribute("generator"), "dijet");
  EXPECT_EQ(file.int64_attribute("seed"), 42);
  EXPECT_EQ(file.double_attribute("pt_min_GeV"), 250.0);
  EXPECT_EQ(file.object("events").strings_attribute("columns"), t.columns());
}

TEST(Hdf5Table, SelectsColumnsByNameInTheGivenOrder) {
  testing::TempDir dir;
  write_hdf5_table(dir.file("t.h5"), sample(false));
  const Table back = read_hdf5_table(dir.file("t.h5"), {"eta", "pT"});
  EXPECT_EQ(back.columns(), (std::vector<std::string>{"eta", "pT"}));
  EXPECT_EQ(back.at(10, 0), -2.0 + 0.04);
  EXPECT_EQ(back.at(10, 1), 260.0);
  EXPECT_FALSE(back.weighted());
  expect_error<DataError>([&] { read_hdf5_table(dir.file("t.h5"), {"phi"}); },
               "no column 'phi' (columns: pT, mass, eta)");
}

TEST(Hdf5Table, ReadsOneDatasetPerColumn) {
  testing::TempDir dir;
  {
    const auto f = hdf5::create_file(dir.file("c.h5"));
    const std::vector<double> pt{1, 2, 3}, eta{0.5, -0.5, 0.0};
    f.write("pt", std::span<const double>(pt), {3});
    f.write("eta", std::span<const double>(eta), {3});
  }
  const Table t = read_hdf5_table(dir.file("c.h5"), {"eta", "pt"});
  EXPECT_EQ(t.rows(), 3u);
  EXPECT_EQ(t.at(1, 0), -0.5);
  EXPECT_EQ(t.at(2, 1), 3.0);
}

TEST(Hdf5Table, BadFiles) {
  testing::TempDir dir;
  expect_error<DataError>([&] { read_hdf5_table(dir.file("none.h5")); }, "does not exist");
  const std::string text = dir.write("text.h5", "pT,mass\n1,2\n");
  expect_error<DataError>([&] { read_hdf5_table(text); }, "is not an HDF5 file");
  expect_error<DataError>([&] { read_hdf5_table(dir.file("")); }, "is not a file");
  {
    const auto f = hdf5::create_file(dir.file("nan.h5"));
    const std::vector<double> v{1, 2, NAN, 4};
    f.write("events", std::span<const double>(v), {2, 2});
    f.object("events").set_attribute("columns", std::vector<std::string>{"a", "b"});
  }
  expect_error<DataError>([&] { read_hdf5_table(dir.file("nan.h5")); }, "row 1, column 'a' is nan (not finite)");
  {
    const auto f = hdf5::create_file(dir.file("nocolumns.h5"));
    const std::vector<double> v{1, 2};
    f.write("events", std::span<const double>(v), {1, 2});
  }
  expect_error<DataError>([&] { read_hdf5_table(dir.file("nocolumns.h5")); }, "no 'columns' attribute");
  {
    const auto f = hdf5::create_file(dir.file("empty.h5"));
    f.set_attribute("note", std::string("nothing here"));
  }
  expect_error<DataError>([&] { read_hdf5_table(dir.file("empty.h5")); }, "holds no event table");
}

TEST(Hdf5Table, FailedWriteLeavesNothing) {
  testing::TempDir dir;
  EXPECT_THROW(write_hdf5_table(dir.file("missing-folder/t.h5"), sample(false)), std::runtime_error);
  EXPECT_EQ(dir.count(), 0u);
}

}  // namespace
}  // namespace qgen::data
