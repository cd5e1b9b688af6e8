// Output written to a temporary name and renamed: a failure part-way leaves the previous file
// and nothing else.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "../support/temp_dir.hpp"
#include "qgen/core/atomic_file.hpp"
#include "qgen/core/errors.hpp"

namespace qgen::core {
namespace {

std::string read(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

TEST(AtomicFile, AFailureAfterWritingStartedKeepsThePreviousFile) {
  testing::TempDir dir;
  const std::string target = dir.file("result.txt");
  write_text_atomically(target, "first version\n");
  try {
    AtomicFile file(target);
    std::ofstream(file.temporary_path()) << "half of a second vers";
    EXPECT_EQ(dir.count(), 2u);  // the temporary exists while writing
    throw std::runtime_error("disk full");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(read(target), "first version\n");
  EXPECT_EQ(dir.count(), 1u);  // no temporary left behind
  write_text_atomically(target, "second version\n");
  EXPECT_EQ(read(target), "second version\n");
  EXPECT_EQ(dir.count(), 1u);
}

TEST(AtomicFile, RefusesMissingFoldersAndFolderTargets) {
  testing::TempDir dir;
  EXPECT_THROW(AtomicFile(dir.file("no/such/folder/x.h5")), std::runtime_error);
  EXPECT_THROW(AtomicFile(dir.file("")), std::runtime_error);
}

TEST(OutputChecks, EveryProblemIsFoundBeforeWriting) {
  testing::TempDir dir;
  EXPECT_NO_THROW(check_output(dir.file("results.h5"), "results"));
  EXPECT_EQ(dir.count(), 0u);  // the probe leaves nothing behind
  const auto message = [](const std::filesystem::path& p) {
    try {
      check_output(p, "results");
    } catch (const DataError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message(dir.file("no/x.h5")), "results: output folder '" + dir.file("no") + "' does not exist");
  EXPECT_NE(message(dir.file(std::string(300, 'x'))).find("File name too long"), std::string::npos);
  EXPECT_NE(message(dir.file("")).find("is a folder, not a file"), std::string::npos);
  EXPECT_EQ(message(""), "results: a file name is needed");
}

TEST(OutputChecks, SameFileThroughLinksAndDots) {
  testing::TempDir dir;
  const std::string a = dir.write("a.csv", "x\n1\n");
  std::filesystem::create_symlink(a, dir.file("link.csv"));
  EXPECT_TRUE(same_file(a, dir.file("link.csv")));
  EXPECT_TRUE(same_file(a, dir.file("sub/../a.csv")));           // resolved, though sub is absent
  EXPECT_TRUE(same_file(dir.file("new.h5"), dir.file("./new.h5")));  // neither exists yet
  EXPECT_FALSE(same_file(a, dir.file("b.csv")));
  EXPECT_FALSE(same_file(a, ""));
}

TEST(OutputChecks, StaleTemporariesOfDeadProcessesOnly) {
  testing::TempDir dir;
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  std::string h(host);
  for (char& c : h) if (c == '.') c = '_';
  const std::string dead = dir.write(".r.h5.tmp." + h + ".999999999", "");
  const std::string legacy = dir.write(".r.h5.tmp.999999998", "");
  const std::string alive = dir.write(".r.h5.tmp." + h + "." + std::to_string(getpid()), "");
  const std::string other_host = dir.write(".r.h5.tmp.elsewhere.999999999", "");
  const std::string other_output = dir.write(".s.h5.tmp." + h + ".999999999", "");
  const auto removed = remove_stale_temporaries(dir.file("r.h5"));
  EXPECT_EQ(removed.size(), 2u);
  EXPECT_FALSE(std::filesystem::exists(dead));
  EXPECT_FALSE(std::filesystem::exists(legacy));
  for (const auto& kept : {alive, other_host, other_output}) EXPECT_TRUE(std::filesystem::exists(kept)) << kept;
}

}  // namespace
}  // namespace qgen::core
