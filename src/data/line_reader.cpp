#include "qgen/data/line_reader.hpp"

#include <algorithm>
#include <cstring>

#include "qgen/core/errors.hpp"

namespace qgen::data {
namespace {
// Reads start at 64 KiB and double up to 1 MiB: large files stream in big blocks, while a
// small file (a test, a fuzz input, a short CSV) never pays for megabytes of buffer.
constexpr std::size_t kFirstBlock = 1 << 16;
constexpr std::size_t kBlock = 1 << 20;
constexpr std::size_t kLongestLine = std::size_t{64} << 20;  // longer: not a text format we read
}

LineReader::LineReader(const std::string& path) : path_(path), stream_(path), buffer_(2 * kFirstBlock) {}

void LineReader::fill() {
  // Keep the unread tail at the front, then append one block.
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  const std::size_t block = std::min(kBlock, kFirstBlock << std::min<std::size_t>(fills_++, 4));
  while (buffer_.size() - end_ < block) buffer_.resize(buffer_.size() * 2);
  std::size_t n = 0;
  try {
    n = stream_.read(buffer_.data() + end_, block);
  } catch (const core::DataError& e) {
    throw core::DataError("file '" + path_ + "': " + e.what() + " after line " +
                    std::to_string(line_number_));
  }
  if (n == 0) end_of_file_ = true;
  end_ += n;
}

bool LineReader::next(std::string_view& line) {
  std::size_t scanned = 0;  // bytes after begin_ already searched for a newline
  for (;;) {
    const char* start = buffer_.data() + begin_;
    const void* newline = std::memchr(start + scanned, '\n', end_ - begin_ - scanned);
    if (newline != nullptr || (end_of_file_ && end_ > begin_)) {
      const char* stop = newline ? static_cast<const char*>(newline) : buffer_.data() + end_;
      std::size_t length = static_cast<std::size_t>(stop - start);
      begin_ += length + (newline ? 1 : 0);
      if (length > 0 && start[length - 1] == '\r') --length;
      ++line_number_;
      if (std::memchr(start, '\0', length) != nullptr)
        throw core::DataError("file '" + path_ + "', line " + std::to_string(line_number_) +
                        ": binary data (not a text file)");
      line = std::string_view(start, length);
      return true;
    }
    if (end_of_file_) return false;
    scanned = end_ - begin_;
    if (scanned > kLongestLine)
      throw core::DataError("file '" + path_ + "', line " + std::to_string(line_number_ + 1) +
                      ": longer than 64 MiB (not a text file?)");
    fill();
  }
}

}  // namespace qgen::data
