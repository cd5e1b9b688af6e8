// How much memory this process may still use, to refuse a job that cannot fit before it
// allocates (a 30-qubit state vector is 16 GiB) instead of failing inside an allocation.
#pragma once

#include <cstdint>
#include <string>

namespace qgen::core {

/// Bytes available to new allocations: MemAvailable of /proc/meminfo, or the physical memory
/// when that cannot be read; 0 when unknown.
std::uint64_t available_memory();

/// InputError("<what> needs <bytes>; this machine has <available> available") when `bytes`
/// exceeds the available memory (`needs_more_ranks` is appended, e.g. how to split the work).
void check_memory(double bytes, const std::string& what, const std::string& advice = "");

}  // namespace qgen::core
