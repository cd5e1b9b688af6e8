#include "qgen/core/atomic_file.hpp"

#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <system_error>

#include "qgen/core/errors.hpp"

namespace qgen::core {

AtomicFile::AtomicFile(std::filesystem::path target) : target_(std::move(target)) {
  const std::filesystem::path folder =
      target_.has_parent_path() ? target_.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec))
    throw DataError("output folder '" + folder.string() + "' does not exist");
  if (access(folder.c_str(), W_OK) != 0)
    throw DataError("output folder '" + folder.string() + "' is not writable");
  if (std::filesystem::is_directory(target_, ec))
    throw DataError("output '" + target_.string() + "' is a folder");
  temporary_ = folder / ("." + target_.filename().string() + ".tmp." + std::to_string(getpid()));
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
    throw DataError("cannot rename '" + temporary_.string() + "' to '" +
                             target_.string() + "': " + ec.message());
  committed_ = true;
}

void write_text_atomically(const std::filesystem::path& target, const std::string& text) {
  AtomicFile file(target);
  {
    std::ofstream out(file.temporary_path());
    out << text;
    out.flush();
    if (!out) throw DataError("cannot write '" + target.string() + "'");
  }
  file.commit();
}

}  // namespace qgen::core
