#include "qgen/data/byte_stream.hpp"

#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "qgen/core/errors.hpp"

namespace qgen::data {
namespace {

constexpr std::size_t kInputBlock = std::size_t{1} << 18;

// fread's count, or a DataError when it stopped short for another reason than the end.
std::size_t read_file(std::FILE* file, void* out, std::size_t size) {
  const std::size_t n = std::fread(out, 1, size, file);
  if (n < size && std::ferror(file)) throw core::DataError(std::string("read error: ") + std::strerror(errno));
  return n;
}

bool starts_member(const std::uint8_t* bytes, std::size_t available) {
  return available >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

std::string inflate_problem(int code) {
  switch (code) {
    case ISAL_INVALID_BLOCK: return "invalid deflate block";
    case ISAL_INVALID_SYMBOL: return "invalid deflate symbol";
    case ISAL_INVALID_LOOKBACK: return "invalid back-reference distance";
    case ISAL_INVALID_WRAPPER: return "invalid gzip header";
    case ISAL_UNSUPPORTED_METHOD: return "compression method is not deflate";
    case ISAL_INCORRECT_CHECKSUM: return "CRC-32 or length check failed";
    default: return "inflate error " + std::to_string(code);
  }
}

}  // namespace

ByteStream::ByteStream(const std::string& path) {
  if (!std::filesystem::exists(path)) throw core::DataError("file '" + path + "' does not exist");
  if (!std::filesystem::is_regular_file(path)) throw core::DataError("'" + path + "' is not a file");
  file_ = std::fopen(path.c_str(), "rb");
  if (file_ == nullptr)
    throw core::DataError("cannot read file '" + path + "': " + std::strerror(errno));
  unsigned char magic[2] = {0, 0};
  compressed_ = std::fread(magic, 1, 2, file_) == 2 && starts_member(magic, 2);
  std::rewind(file_);
  if (compressed_) {
    state_ = std::make_unique<inflate_state>();
    isal_inflate_init(state_.get());
    state_->crc_flag = ISAL_GZIP;  // parse each member's header, check its CRC-32 and length
    input_.resize(kInputBlock);
    state_->avail_in = 0;
  }
}

ByteStream::~ByteStream() {
  if (file_) std::fclose(file_);
}

std::size_t ByteStream::read(char* out, std::size_t size) {
  if (!compressed_) return read_file(file_, out, size);
  std::size_t done = 0;
  while (done < size && !finished_) done += inflate(out + done, size - done);
  return done;
}

bool ByteStream::refill_input() {
  const std::size_t n = read_file(file_, input_.data(), input_.size());
  state_->next_in = input_.data();
  state_->avail_in = static_cast<std::uint32_t>(n);
  return n > 0;
}

std::size_t ByteStream::inflate(char* out, std::size_t size) {
  inflate_state& s = *state_;
  if (s.block_state == ISAL_BLOCK_FINISH) {
    // A member ended: another may follow.
    if (s.avail_in < 2 && !std::feof(file_)) {
      std::memmove(input_.data(), s.next_in, s.avail_in);
      const std::size_t kept = s.avail_in;
      const std::size_t n = read_file(file_, input_.data() + kept, input_.size() - kept);
      s.next_in = input_.data();
      s.avail_in = static_cast<std::uint32_t>(kept + n);
    }
    if (!starts_member(s.next_in, s.avail_in)) {
      finished_ = true;
      return 0;
    }
    isal_inflate_reset(&s);
    s.crc_flag = ISAL_GZIP;
  }
  if (s.avail_in == 0 && !refill_input())
    throw core::DataError("gzip stream ends early (truncated file)");
  s.next_out = reinterpret_cast<std::uint8_t*>(out);
  s.avail_out = static_cast<std::uint32_t>(std::min<std::size_t>(size, UINT32_MAX));
  const std::uint32_t before = s.avail_out;
  const int code = isal_inflate(&s);
  if (code != ISAL_DECOMP_OK) throw core::DataError("gzip data corrupt: " + inflate_problem(code));
  return before - s.avail_out;
}

}  // namespace qgen::data
