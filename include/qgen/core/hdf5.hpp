// A small RAII layer over the HDF5 C library: files, groups, datasets of doubles, 64-bit
// integers and strings, and attributes. Everything qgen writes (data sets, results,
// checkpoints) goes through it, so files open in h5py with plain types: float64 and int64
// arrays, UTF-8 variable-length strings.
//
// HDF5's own error printing is switched off; failures throw DataError naming the file and the
// object.
//
// Outputs are built in memory and written whole (write_file): HDF5 1.10 leaves a file whose
// close failed on a full disk in a broken state and crashes in MPI_Finalize when it tries to
// close it again; a file image written by qgen itself turns a full disk into one clear
// DataError and leaves the previous file untouched.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace qgen::core::hdf5 {

/// A named attribute value: text, a number or an integer (provenance of data sets and results).
struct Attribute {
  std::string name;
  std::variant<std::string, double, std::int64_t> value;
};

/// Owns one HDF5 identifier and closes it with the matching H5?close.
class Handle {
public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  ~Handle() { reset(); }
  Handle(Handle&& other) noexcept : id_(other.id_), closer_(other.closer_) { other.id_ = -1; }
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  hid_t get() const { return id_; }
  void reset();

private:
  hid_t id_ = -1;
  Closer closer_ = nullptr;
};

/// A file or a group: somewhere datasets, groups and attributes live.
class Location {
public:
  Location(Handle handle, std::string file, std::string path);

  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }
  hid_t id() const { return handle_.get(); }

  bool has(const std::string& name) const;  // a dataset or group of that name
  Location group(const std::string& name) const;
  Location create_group(const std::string& name) const;
  /// Any member (dataset or group), opened for its attributes.
  Location object(const std::string& name) const;
  /// Names of the members (datasets and groups), in HDF5's order.
  std::vector<std::string> members() const;

  void write(const std::string& name, std::span<const double> data,
             const std::vector<hsize_t>& dims) const;
  void write(const std::string& name, std::span<const std::int64_t> data,
             const std::vector<hsize_t>& dims) const;
  void write(const std::string& name, const std::vector<std::string>& strings) const;
  void write(const std::string& name, const std::string& text) const;  // scalar string
  void write(const std::string& name, double value) const;             // scalar number

  std::vector<hsize_t> dims(const std::string& name) const;
  std::vector<double> read_doubles(const std::string& name) const;
  /// Rows [first, first + count) of a 2-D dataset, columns in `columns` (all if empty).
  std::vector<double> read_rows(const std::string& name, hsize_t first, hsize_t count,
                                const std::vector<hsize_t>& columns = {}) const;
  std::vector<std::int64_t> read_int64(const std::string& name) const;
  std::vector<std::string> read_strings(const std::string& name) const;
  std::string read_string(const std::string& name) const;

  bool has_attribute(const std::string& name) const;
  /// Names of this object's attributes, in name order.
  std::vector<std::string> attribute_names() const;
  void set_attribute(const std::string& name, const std::string& value) const;
  void set_attribute(const std::string& name, double value) const;
  void set_attribute(const std::string& name, std::int64_t value) const;
  void set_attribute(const std::string& name, const std::vector<std::string>& values) const;
  void set_attributes(const std::vector<Attribute>& attributes) const;
  std::string string_attribute(const std::string& name) const;
  double double_attribute(const std::string& name) const;
  std::int64_t int64_attribute(const std::string& name) const;
  std::vector<std::string> strings_attribute(const std::string& name) const;

private:
  [[noreturn]] void fail(const std::string& what, const std::string& name) const;
  Handle open_dataset(const std::string& name) const;

  Handle handle_;
  std::string file_;
  std::string path_;
};

/// Writes `target` whole or not at all: `fill` builds the file in memory (its Location names
/// `target` in messages), then the image goes to a temporary that is renamed onto `target`
/// (AtomicFile). DataError naming `target` when the disk is full or the file cannot be written.
void write_file(const std::filesystem::path& target, const std::function<void(const Location&)>& fill);

/// A new file on disk (an existing one is truncated), closed when the Location goes: for tests
/// and scratch files. Outputs of a run go through write_file.
Location create_file(const std::string& path);
/// An existing HDF5 file, read-only; DataError if missing or not HDF5.
Location open_file(const std::string& path);

}  // namespace qgen::core::hdf5
