#include "qgen/core/atomic_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <system_error>

#include "qgen/core/errors.hpp"

namespace qgen::core {
namespace {

std::filesystem::path folder_of(const std::filesystem::path& target) {
  return target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
}

std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "host";
  std::string host(name);
  for (char& c : host)
    if (c == '.' || c == '/') c = '_';  // the temporary's name splits at dots
  return host;
}

std::string temporary_prefix(const std::filesystem::path& target) {
  return "." + target.filename().string() + ".tmp.";
}

// Whether process `pid` of this host still runs (EPERM: it runs under another user).
bool process_runs(long pid) { return pid > 0 && (kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM); }

bool all_digits(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

AtomicFile::AtomicFile(std::filesystem::path target) : target_(std::move(target)) {
  const std::filesystem::path folder = folder_of(target_);
  std::error_code ec;
  if (!std::filesystem::exists(folder, ec))
    throw DataError("output folder '" + folder.string() + "' does not exist");
  if (!std::filesystem::is_directory(folder, ec))
    throw DataError("output folder '" + folder.string() + "' is not a folder");
  if (access(folder.c_str(), W_OK) != 0)
    throw DataError("output folder '" + folder.string() + "' is not writable");
  if (std::filesystem::is_directory(target_, ec))
    throw DataError("output '" + target_.string() + "' is a folder");
  temporary_ = folder / (temporary_prefix(target_) + host_name() + "." + std::to_string(getpid()));
}

AtomicFile::~AtomicFile() {
  if (!committed_) {
    std::error_code ec;
    std::filesystem::remove(temporary_, ec);
  }
}

void AtomicFile::commit() {
  std::error_code ec;
  std::filesystem::rename(temporary_, target_, ec);
  if (ec)
    throw DataError("cannot rename '" + temporary_.string() + "' to '" + target_.string() +
                    "': " + ec.message());
  committed_ = true;
}

void write_text_atomically(const std::filesystem::path& target, const std::string& text) {
  AtomicFile file(target);
  {
    std::ofstream out(file.temporary_path());
    out << text;
    out.flush();
    out.close();
    if (!out)
      throw DataError("cannot write '" + target.string() + "' (" + std::strerror(errno) + ")");
  }
  file.commit();
}

void check_output(const std::filesystem::path& target, const std::string& role) {
  if (target.empty()) throw DataError(role + ": a file name is needed");
  std::error_code ec;
  if (!target.has_filename() || std::filesystem::is_directory(target, ec))
    throw DataError(role + " '" + target.string() + "' is a folder, not a file");
  try {
    // Creating the temporary asks the file system itself: permissions, name length, read-only
    // mounts, quotas on the number of files.
    AtomicFile probe(target);
    std::FILE* file = std::fopen(probe.temporary_path().c_str(), "w");
    if (file == nullptr)
      throw DataError("'" + target.string() + "' cannot be created (" + std::strerror(errno) + ")");
    std::fclose(file);
  } catch (const DataError& e) {
    throw DataError(role + ": " + e.what());
  }
}

std::vector<std::filesystem::path> remove_stale_temporaries(const std::filesystem::path& target) {
  std::vector<std::filesystem::path> removed;
  const std::string prefix = temporary_prefix(target);
  const std::string host = host_name();
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(folder_of(target), ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string rest = name.substr(prefix.size());  // "<host>.<pid>" or "<pid>"
    const auto dot = rest.rfind('.');
    const std::string pid = dot == std::string::npos ? rest : rest.substr(dot + 1);
    const bool this_host = dot == std::string::npos || rest.substr(0, dot) == host;
    if (!this_host || !all_digits(pid) || process_runs(std::stol(pid))) continue;
    if (std::filesystem::remove(entry.path(), ec)) removed.push_back(entry.path());
  }
  return removed;
}

bool same_file(const std::filesystem::path& a, const std::filesystem::path& b) {
  if (a.empty() || b.empty()) return false;
  struct stat sa {}, sb {};
  if (stat(a.c_str(), &sa) == 0 && stat(b.c_str(), &sb) == 0)
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  std::error_code ea, eb;
  const auto ra = std::filesystem::weakly_canonical(std::filesystem::absolute(a), ea);
  const auto rb = std::filesystem::weakly_canonical(std::filesystem::absolute(b), eb);
  return !ea && !eb && ra == rb;
}

}  // namespace qgen::core
