// Output files that appear whole or not at all.
//
// Everything qgen writes goes first to a temporary name in the target's folder
// (".<name>.tmp.<pid>") and is renamed onto the target only when complete (rename is atomic
// within a file system). A failure, an exception or a kill before `commit` leaves the previous
// file untouched and, except after a kill, no temporary behind.
#pragma once

#include <filesystem>
#include <string>

namespace qgen::core {

class AtomicFile {
public:
  /// Checks that the target's folder exists and is writable (DataError naming it).
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  /// Where to write.
  const std::filesystem::path& temporary_path() const { return temporary_; }
  const std::filesystem::path& target_path() const { return target_; }

  /// Renames the temporary onto the target.
  void commit();

private:
  std::filesystem::path target_;
  std::filesystem::path temporary_;
  bool committed_ = false;
};

/// Writes `text` to `target` through an AtomicFile.
void write_text_atomically(const std::filesystem::path& target, const std::string& text);

}  // namespace qgen::core
