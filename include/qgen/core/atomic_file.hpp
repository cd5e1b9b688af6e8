// Output files that appear whole or not at all.
//
// Everything qgen writes goes first to a temporary name in the target's folder
// (".<name>.tmp.<host>.<pid>") and is renamed onto the target only when complete (rename is
// atomic within a file system). A failure, an exception or a kill before `commit` leaves the
// previous file untouched and, except after a kill, no temporary behind. A kill's temporary is
// removed by the next run that writes the same output (remove_stale_temporaries): the host in
// its name keeps a run on one node of a cluster from removing the temporary of a live process on
// another node that shares the file system.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

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

/// Writes `text` to `target` through an AtomicFile; DataError when it cannot (a full disk).
void write_text_atomically(const std::filesystem::path& target, const std::string& text);

/// Checks, before any work, that `target` can be written: its folder exists, is a folder and is
/// writable, the target is not a folder, and the names fit the file system's limits (the
/// temporary is created and removed). DataError("<role> '<path>': <why>") otherwise.
void check_output(const std::filesystem::path& target, const std::string& role);

/// Removes the temporaries of `target` that killed processes of this host left behind (their
/// process is gone; ".<name>.tmp.<pid>" of older qgen versions count as this host's) and
/// returns their paths.
std::vector<std::filesystem::path> remove_stale_temporaries(const std::filesystem::path& target);

/// True when `a` and `b` are the same file: the same inode when both exist, otherwise the same
/// path once resolved (symbolic links, "..", the current folder).
bool same_file(const std::filesystem::path& a, const std::filesystem::path& b);

}  // namespace qgen::core
