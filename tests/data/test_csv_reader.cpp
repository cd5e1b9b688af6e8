// CSV tables: header, comments, column selection, and every kind of bad row.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <iterator>

#include <zlib.h>

#include "../support/expect_error.hpp"
#include "../support/temp_dir.hpp"
#include "qgen/data/csv_reader.hpp"
#include "qgen/core/errors.hpp"

namespace qgen::data {
namespace {

using testing::expect_error;

TEST(Csv, ReadsSelectedColumnsSkippingCommentsAndBlanks) {
  testing::TempDir dir;
  const auto path = dir.write("t.csv",
                              "# a comment before the header\n"
                              "run, pt , name, eta\r\n"
                              "1, 25.5, muon, -1.25\n"
                              "\n"
                              "  # an indented comment\n"
                              "2, 1e2, electron, 0.5\n"
                              "3, +7, x, -0\n");
  const Table t = read_csv_table(path, {{"eta", "pt"}});
  ASSERT_EQ(t.rows(), 3u);
  EXPECT_EQ(t.columns(), (std::vector<std::string>{"eta", "pt"}));
  EXPECT_EQ(t.at(0, 0), -1.25);
  EXPECT_EQ(t.at(1, 1), 100.0);
  EXPECT_EQ(t.at(2, 1), 7.0);
  // All columns when none are named: 'name' is text, so that row is bad.
  expect_error<core::DataError>([&] { read_csv_table(path); }, "line 3: column 'name' is not a number: 'muon'");
}

TEST(Csv, BadRowsStopWithTheirLineUnlessSkipped) {
  testing::TempDir dir;
  const auto path = dir.write("bad.csv",
                              "a,b\n"
                              "1,2\n"
                              "3\n"            // line 3: too few fields
                              "4,five\n"       // line 4: not a number
                              "5,nan\n"        // line 5: not finite
                              "6,inf\n"        // line 6: not finite
                              "7,8\n");
  expect_error<core::DataError>([&] { read_csv_table(path); }, "line 3: 1 fields, the header has 2");
  CsvReport report;
  const Table t = read_csv_table(path, {{}, true}, &report);
  EXPECT_EQ(t.rows(), 2u);
  EXPECT_EQ(report.rows_skipped, 4u);
  EXPECT_NE(report.first_skipped.find("line 3"), std::string::npos);
  expect_error<core::DataError>([&] { read_csv_table(dir.write("n.csv", "a,b\n1,nan\n")); },
               "line 2: column 'b' is nan (not finite)");
  expect_error<core::DataError>([&] { read_csv_table(dir.write("i.csv", "a,b\n1,-inf\n")); }, "(not finite)");
}

TEST(Csv, MissingColumnEmptyAndBinaryFiles) {
  testing::TempDir dir;
  expect_error<core::DataError>([&] { read_csv_table(dir.write("t.csv", "a,b\n1,2\n"), {{"c"}}); },
               "no column 'c' (columns: a, b)");
  expect_error<core::DataError>([&] { read_csv_table(dir.write("e.csv", "# only a comment\n")); },
               "is empty (no header row)");
  expect_error<core::DataError>([&] { read_csv_table(dir.write("h.csv", "a,b\n")); }, "holds no valid rows");
  expect_error<core::DataError>([&] { read_csv_table(dir.write("bin.csv", std::string("a,b\n1,\0\x01", 8))); },
               "binary data (not a text file)");
  expect_error<core::DataError>([&] { read_csv_table(dir.file("absent.csv")); }, "does not exist");
}

TEST(Csv, ReadsGzipAndRejectsTruncatedGzip) {
  testing::TempDir dir;
  std::string text = "x,y\n";
  for (int r = 0; r < 20000; ++r) text += std::to_string(r) + "," + std::to_string(2 * r) + "\n";
  {
    gzFile f = gzopen(dir.file("t.csv.gz").c_str(), "wb");
    gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
    gzclose(f);
  }
  const Table t = read_csv_table(dir.file("t.csv.gz"));
  EXPECT_EQ(t.rows(), 20000u);
  EXPECT_EQ(t.at(19999, 1), 39998.0);
  // Cut the compressed file in half.
  std::ifstream in(dir.file("t.csv.gz"), std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), {});
  dir.write("cut.csv.gz", bytes.substr(0, bytes.size() / 2));
  expect_error<core::DataError>([&] { read_csv_table(dir.file("cut.csv.gz")); }, "gzip stream ends early");
}

}  // namespace
}  // namespace qgen::data
