#include "qgen/data/line_reader.hpp"

#include <cstring>
#include <filesystem>
#include <fstream>

#include "qgen/data/data_error.hpp"

namespace qgen::data {
namespace {
constexpr std::size_t kBlock = 1 << 20;
constexpr std::size_t kLongestLine = std::size_t{64} << 20;  // longer: not a text format we read
}

LineReader::LineReader(const std::string& path) : path_(path), buffer_(2 * kBlock) {
  if (!std::filesystem::exists(path)) throw DataError("file '" + path + "' does not exist");
  if (!std::filesystem::is_regular_file(path)) throw DataError("'" + path + "' is not a file");
  {
    std::ifstream probe(path, std::ios::binary);
    if (!probe) throw DataError("cannot read file '" + path + "'");
    unsigned char magic[2] = {0, 0};
    probe.read(reinterpret_cast<char*>(magic), 2);
    compressed_ = probe.gcount() == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  }
  file_ = gzopen(path.c_str(), "rb");
  if (file_ == nullptr) throw DataError("cannot open file '" + path + "'");
  gzbuffer(file_, 1 << 18);
}

LineReader::~LineReader() {
  if (file_) gzclose(file_);
}

void LineReader::fill() {
  // Keep the unread tail at the front, then append one block.
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (buffer_.size() - end_ < kBlock) buffer_.resize(buffer_.size() * 2);
  const int n = gzread(file_, buffer_.data() + end_, static_cast<unsigned>(kBlock));
  if (n < 0) {
    int code = 0;
    const char* message = gzerror(file_, &code);
    throw DataError("file '" + path_ + "': read error after line " + std::to_string(line_number_) +
                    ": " + message);
  }
  if (n == 0) {
    int code = 0;
    const char* message = gzerror(file_, &code);
    if (code != Z_OK && code != Z_STREAM_END)
      throw DataError("file '" + path_ + "': gzip stream ends early after line " +
                      std::to_string(line_number_) + " (truncated or corrupt: " + message + ")");
    end_of_file_ = true;
  }
  end_ += static_cast<std::size_t>(n);
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
        throw DataError("file '" + path_ + "', line " + std::to_string(line_number_) +
                        ": binary data (not a text file)");
      line = std::string_view(start, length);
      return true;
    }
    if (end_of_file_) return false;
    scanned = end_ - begin_;
    if (scanned > kLongestLine)
      throw DataError("file '" + path_ + "', line " + std::to_string(line_number_ + 1) +
                      ": longer than 64 MiB (not a text file?)");
    fill();
  }
}

}  // namespace qgen::data
