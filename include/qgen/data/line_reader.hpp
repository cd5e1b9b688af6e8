// Line-by-line reading of a text file, plain or gzip-compressed (ByteStream reads both), in large
// blocks: memory stays bounded whatever the file's size. A gzip stream that ends early
// ("truncated") or is corrupt, or a file with binary data, is a DataError naming the file and
// the line.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "qgen/data/byte_stream.hpp"

namespace qgen::data {

/// `text` without leading and trailing blanks (spaces and tabs).
inline std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

class LineReader {
public:
  explicit LineReader(const std::string& path);
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  /// The next line without its end-of-line characters; false at the end of the file. The view
  /// stays valid until the next call.
  bool next(std::string_view& line);

  /// 1-based number of the line last returned.
  std::size_t line_number() const { return line_number_; }
  const std::string& path() const { return path_; }
  bool compressed() const { return stream_.compressed(); }

private:
  void fill();

  std::string path_;
  ByteStream stream_;
  bool end_of_file_ = false;
  std::vector<char> buffer_;
  std::size_t fills_ = 0;  // blocks read so far (they grow from 64 KiB to 1 MiB)
  std::size_t begin_ = 0, end_ = 0;
  std::size_t line_number_ = 0;
};

}  // namespace qgen::data
