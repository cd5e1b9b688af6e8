// Shared by the fuzz targets (libFuzzer, clang; preset `asan`).
//
// A parser under fuzzing may accept its input or refuse it with a qgen InputError or DataError
// (exit code 2 in the application: one clear line). Anything else - another exception type, a
// crash, a sanitizer report, a hang - is a finding: `refuses_cleanly` aborts on it, so that
// libFuzzer saves the input. Inputs reach the readers as files, since that is how users give
// them: a scratch file per process in /dev/shm, with the extension that selects the reader.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <string>

#include "qgen/core/errors.hpp"

namespace qgen::fuzz {

/// Writes the bytes to this process's scratch file with `extension` and returns its path.
inline std::string scratch_file(const std::uint8_t* data, std::size_t size, const std::string& extension) {
  const std::string path = "/dev/shm/qgen-fuzz-" + std::to_string(getpid()) + extension;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path;
}

template <typename F>
void refuses_cleanly(F&& f) {
  try {
    f();
  } catch (const core::InputError&) {
  } catch (const core::DataError&) {
  } catch (const std::exception& e) {
    std::fprintf(stderr, "qgen fuzz: bad input ended in an internal error: %s\n", e.what());
    std::abort();
  }
}

}  // namespace qgen::fuzz
