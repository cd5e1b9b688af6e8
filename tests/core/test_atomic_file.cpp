// Output written to a temporary name and renamed: a failure part-way leaves the previous file
// and nothing else.
#include <gtest/gtest.h>

#include <fstream>

#include "../support/temp_dir.hpp"
#include "qgen/core/atomic_file.hpp"

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

}  // namespace
}  // namespace qgen::core
