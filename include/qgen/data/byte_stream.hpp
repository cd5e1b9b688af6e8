// The bytes of a file, plain or gzip-compressed, read front to back in blocks.
//
// gzip is inflated with ISA-L's igzip (Debian libisal): on the LHE text qgen reads it runs at
// about 1.1 GB/s on this machine, where zlib's inflate reaches 255 MB/s, and for LHE files with
// large events (MadGraph's reweighting blocks, 6 kB per event) inflate is the reader's limit.
// A file is compressed when it starts with the gzip magic bytes 1f 8b, whatever its name; a
// file of several gzip members (as `cat a.gz b.gz` makes) reads as their concatenation, and each
// member's CRC-32 and length are checked. Bytes after the last member that are not another
// member are ignored, as gzip and zlib do.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

struct inflate_state;  // ISA-L's, kept out of this header

namespace qgen::data {

class ByteStream {
public:
  /// Opens `path`; DataError when it does not exist or cannot be read.
  explicit ByteStream(const std::string& path);
  ~ByteStream();
  ByteStream(const ByteStream&) = delete;
  ByteStream& operator=(const ByteStream&) = delete;

  /// Up to `size` bytes into `out`, fewer only at the end of the data; 0 once it is reached.
  /// DataError (without the file's name: the caller knows where it was) when a gzip stream
  /// ends early or is corrupt.
  std::size_t read(char* out, std::size_t size);

  bool compressed() const { return compressed_; }

private:
  std::size_t inflate(char* out, std::size_t size);
  bool refill_input();  // false at the end of the file

  std::FILE* file_ = nullptr;
  bool compressed_ = false;
  std::unique_ptr<inflate_state> state_;
  std::vector<std::uint8_t> input_;
  bool finished_ = false;  // the last member ended and nothing follows
};

}  // namespace qgen::data
