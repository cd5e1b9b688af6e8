// HDF5 tables: round trips, both layouts, column selection, attributes, and bad files.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <iterator>

#include <cmath>

#include "../support/expect_error.hpp"
#include "../support/temp_dir.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/core/hdf5.hpp"
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
  const auto file = core::hdf5::open_file(dir.file("t.h5"));
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
  expect_error<core::DataError>([&] { read_hdf5_table(dir.file("t.h5"), {"phi"}); },
               "no column 'phi' (columns: pT, mass, eta)");
}

TEST(Hdf5Table, ReadsOneDatasetPerColumn) {
  testing::TempDir dir;
  {
    const auto f = core::hdf5::create_file(dir.file("c.h5"));
    const std::vector<double> pt{1, 2, 3}, eta{0.5, -0.5, 0.0};
    f.write("pt", std::span<const double>(pt), {3});
    f.write("eta", std::span<const double>(eta), {3});
  }
  const Table t = read_hdf5_table(dir.file("c.h5"), {"eta", "pt"});
  EXPECT_EQ(t.rows(), 3u);
  EXPECT_EQ(t.at(1, 0), -0.5);
  EXPECT_EQ(t.at(2, 1), 3.0);
}

// Column names stored the ways other writers store them: fixed-length NULLPAD strings
// (h5py's numpy 'S' arrays) and ASCII variable-length strings, written with raw HDF5 calls.
void write_with_names(const std::string& path, bool fixed_length) {
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  const hsize_t dims[2] = {2, 2};
  const hid_t space = H5Screate_simple(2, dims, nullptr);
  const hid_t set = H5Dcreate2(file, "events", H5T_NATIVE_DOUBLE, space, H5P_DEFAULT,
                               H5P_DEFAULT, H5P_DEFAULT);
  const double v[4] = {1, 2, 3, 4};
  H5Dwrite(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
  const hid_t type = H5Tcopy(H5T_C_S1);
  const hsize_t n = 2;
  const hid_t aspace = H5Screate_simple(1, &n, nullptr);
  if (fixed_length) {
    H5Tset_size(type, 4);
    H5Tset_strpad(type, H5T_STR_NULLPAD);
    const char names[8] = {'p', 'T', 0, 0, 'm', 'a', 's', 's'};  // "mass" fills its 4 bytes
    const hid_t a = H5Acreate2(set, "columns", type, aspace, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, type, names);
    H5Aclose(a);
  } else {
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_ASCII);
    const char* names[2] = {"pT", "mass"};
    const hid_t a = H5Acreate2(set, "columns", type, aspace, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, type, names);
    H5Aclose(a);
  }
  H5Sclose(aspace);
  H5Tclose(type);
  H5Dclose(set);
  H5Sclose(space);
  H5Fclose(file);
}

TEST(Hdf5Table, ColumnNamesInOtherStringLayouts) {
  testing::TempDir dir;
  for (bool fixed : {true, false}) {
    const std::string path = dir.file(fixed ? "fixed.h5" : "ascii.h5");
    write_with_names(path, fixed);
    const Table t = read_hdf5_table(path, {"mass"});
    EXPECT_EQ(t.columns(), (std::vector<std::string>{"mass"}));
    EXPECT_EQ(t.at(1, 0), 4.0);
  }
}

TEST(Hdf5Table, BadFiles) {
  testing::TempDir dir;
  expect_error<core::DataError>([&] { read_hdf5_table(dir.file("none.h5")); }, "does not exist");
  const std::string text = dir.write("text.h5", "pT,mass\n1,2\n");
  expect_error<core::DataError>([&] { read_hdf5_table(text); }, "is not an HDF5 file");
  expect_error<core::DataError>([&] { read_hdf5_table(dir.file("")); }, "is not a file");
  {
    const auto f = core::hdf5::create_file(dir.file("nan.h5"));
    const std::vector<double> v{1, 2, NAN, 4};
    f.write("events", std::span<const double>(v), {2, 2});
    f.object("events").set_attribute("columns", std::vector<std::string>{"a", "b"});
  }
  expect_error<core::DataError>([&] { read_hdf5_table(dir.file("nan.h5")); }, "row 1, column 'a' is nan (not finite)");
  {
    const auto f = core::hdf5::create_file(dir.file("nocolumns.h5"));
    const std::vector<double> v{1, 2};
    f.write("events", std::span<const double>(v), {1, 2});
  }
  expect_error<core::DataError>([&] { read_hdf5_table(dir.file("nocolumns.h5")); }, "no 'columns' attribute");
  {
    const auto f = core::hdf5::create_file(dir.file("empty.h5"));
    f.set_attribute("note", std::string("nothing here"));
  }
  expect_error<core::DataError>([&] { read_hdf5_table(dir.file("empty.h5")); }, "holds no event table");
}

TEST(Hdf5Table, FailedWriteLeavesNothing) {
  testing::TempDir dir;
  EXPECT_THROW(write_hdf5_table(dir.file("missing-folder/t.h5"), sample(false)), std::runtime_error);
  EXPECT_EQ(dir.count(), 0u);
}

}  // namespace
}  // namespace qgen::data
