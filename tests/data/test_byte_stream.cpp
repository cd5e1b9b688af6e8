// ByteStream: plain and gzip files read back byte for byte against zlib as the independent
// writer (single and several members, named headers, every read size), and each way a gzip
// file can be broken.
#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

#include "../support/expect_error.hpp"
#include "../support/temp_dir.hpp"
#include "qgen/data/byte_stream.hpp"
#include "qgen/core/errors.hpp"

namespace qgen::data {
namespace {

using testing::expect_error;

// Text that compresses like LHE: repeated structure with varying numbers, a few MB.
std::string sample_text(std::size_t lines) {
  std::string text;
  std::uint64_t x = 88172645463325252ull;
  for (std::size_t i = 0; i < lines; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    text += "  21 -1 0 0 501 502 " + std::to_string(x % 100000) + ".25 -" +
            std::to_string(x >> 40) + "e+02 0. 9.\n";
  }
  return text;
}

// One gzip member holding `text`, written by zlib (with a file name and comment in the header
// when `named`, as the gzip program writes them).
std::string gzip_member(const std::string& text, int level, bool named) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  gz_header header{};
  char name[] = "events.lhe", comment[] = "made by test_byte_stream";
  if (named) {
    header.name = reinterpret_cast<Bytef*>(name);
    header.comment = reinterpret_cast<Bytef*>(comment);
    header.hcrc = 1;
    EXPECT_EQ(deflateSetHeader(&z, &header), Z_OK);
  }
  std::string out(deflateBound(&z, text.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// Everything the stream yields, read `chunk` bytes at a time.
std::string read_all(const std::string& path, std::size_t chunk) {
  ByteStream stream(path);
  std::string all, buffer(chunk, '\0');
  for (std::size_t n; (n = stream.read(buffer.data(), chunk)) > 0;) {
    all.append(buffer.data(), n);
    if (n < chunk) {
      EXPECT_EQ(stream.read(buffer.data(), chunk), 0u) << "short read before the end";
    }
  }
  return all;
}

// got == want, reported as sizes and the first differing byte (not a multi-MB diff).
::testing::AssertionResult same_bytes(const std::string& got, const std::string& want) {
  if (got == want) return ::testing::AssertionSuccess();
  std::size_t i = 0;
  while (i < got.size() && i < want.size() && got[i] == want[i]) ++i;
  return ::testing::AssertionFailure() << got.size() << " bytes read, " << want.size()
                                       << " expected; first difference at byte " << i;
}

TEST(ByteStream, PlainFileAsItIs) {
  testing::TempDir dir;
  const std::string text = sample_text(20000);
  const auto path = dir.write("t.lhe", text);
  EXPECT_FALSE(ByteStream(path).compressed());
  for (std::size_t chunk : {1u, 4096u, 1u << 20}) EXPECT_TRUE(same_bytes(read_all(path, chunk), text)) << chunk;
  EXPECT_TRUE(same_bytes(read_all(dir.write("empty", ""), 64), ""));
}

TEST(ByteStream, GzipMembersInflateToTheirText) {
  testing::TempDir dir;
  const std::string text = sample_text(60000);  // about 3 MB, many deflate blocks
  for (int level : {1, 6, 9})
    for (bool named : {false, true}) {
      const auto path = dir.write("t.gz", gzip_member(text, level, named));
      EXPECT_TRUE(ByteStream(path).compressed());
      for (std::size_t chunk : {7u, 65536u, 1u << 22})
        EXPECT_TRUE(same_bytes(read_all(path, chunk), text)) << "level " << level << " named " << named;
    }
  EXPECT_TRUE(same_bytes(read_all(dir.write("empty.gz", gzip_member("", 6, false)), 64), ""));
}

TEST(ByteStream, ConsecutiveMembersReadAsOneText) {
  // `cat a.gz b.gz c.gz`, one of them empty; then the same followed by padding zeros, which
  // gzip and zlib ignore.
  testing::TempDir dir;
  const std::string a = sample_text(30000), b = sample_text(7);
  const std::string members = gzip_member(a, 6, true) + gzip_member("", 6, false) + gzip_member(b, 1, false);
  EXPECT_TRUE(same_bytes(read_all(dir.write("abc.gz", members), 1 << 16), a + b));
  EXPECT_TRUE(same_bytes(read_all(dir.write("padded.gz", members + std::string(512, '\0')), 1 << 16), a + b));
}

TEST(ByteStream, BrokenGzipIsAnError) {
  testing::TempDir dir;
  const std::string text = sample_text(40000);
  const std::string gz = gzip_member(text, 6, false);
  auto read = [&](const std::string& bytes) { return [&, bytes] { read_all(dir.write("x.gz", bytes), 1 << 16); }; };

  expect_error<core::DataError>(read(gz.substr(0, gz.size() / 2)), "gzip stream ends early");
  expect_error<core::DataError>(read(gz.substr(0, gz.size() - 4)), "gzip stream ends early");  // no length
  expect_error<core::DataError>(read(gz.substr(0, 2)), "gzip stream ends early");

  std::string bad_crc = gz;
  bad_crc[gz.size() - 6] ^= 0x5a;  // inside the CRC-32
  expect_error<core::DataError>(read(bad_crc), "CRC-32 or length check failed");

  std::string bad_method = gz;
  bad_method[2] = 7;  // compression method byte: only 8 (deflate) exists
  expect_error<core::DataError>(read(bad_method), "gzip data corrupt");

  std::string bad_data = gz;
  for (std::size_t i = 100; i < 140; ++i) bad_data[i] = static_cast<char>(0xff);
  expect_error<core::DataError>(read(bad_data), "gzip data corrupt");
}

TEST(ByteStream, MissingFileOrFolder) {
  testing::TempDir dir;
  expect_error<core::DataError>([&] { ByteStream s(dir.file("nothing.gz")); }, "does not exist");
  expect_error<core::DataError>([&] { ByteStream s(dir.file("")); }, "is not a file");
}

}  // namespace
}  // namespace qgen::data
