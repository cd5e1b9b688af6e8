#include "qgen/core/hdf5.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <cstring>
#include <memory>

#include "qgen/core/atomic_file.hpp"
#include "qgen/core/errors.hpp"

namespace qgen::core::hdf5 {
namespace {

// HDF5 prints an error stack on every failing call unless told not to; qgen reports its own.
void silence_hdf5() {
  static const bool silenced = [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  (void)silenced;
}

Handle string_type() {
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, H5T_VARIABLE);
  H5Tset_cset(t, H5T_CSET_UTF8);
  return Handle(t, H5Tclose);
}

std::string join(const std::string& path, const std::string& name) {
  return path == "/" ? "/" + name : path + "/" + name;
}

}  // namespace

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = other.id_;
    closer_ = other.closer_;
    other.id_ = -1;
  }
  return *this;
}

void Handle::reset() {
  if (id_ >= 0 && closer_) closer_(id_);
  id_ = -1;
}

Location::Location(Handle handle, std::string file, std::string path)
    : handle_(std::move(handle)), file_(std::move(file)), path_(std::move(path)) {}

void Location::fail(const std::string& what, const std::string& name) const {
  throw DataError("HDF5 file '" + file_ + "': cannot " + what + " '" + join(path_, name) + "'");
}

bool Location::has(const std::string& name) const {
  return H5Lexists(id(), name.c_str(), H5P_DEFAULT) > 0;
}

Location Location::group(const std::string& name) const {
  const hid_t g = H5Gopen2(id(), name.c_str(), H5P_DEFAULT);
  if (g < 0) fail("open group", name);
  return Location(Handle(g, H5Gclose), file_, join(path_, name));
}

Location Location::create_group(const std::string& name) const {
  const hid_t g = H5Gcreate2(id(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (g < 0) fail("create group", name);
  return Location(Handle(g, H5Gclose), file_, join(path_, name));
}

Location Location::object(const std::string& name) const {
  if (!has(name)) fail("find", name);
  const hid_t o = H5Oopen(id(), name.c_str(), H5P_DEFAULT);
  if (o < 0) fail("open", name);
  return Location(Handle(o, H5Oclose), file_, join(path_, name));
}

std::vector<std::string> Location::members() const {
  std::vector<std::string> names;
  // Unversioned names: H5Literate/H5L_info_t in HDF5 1.10, their "2" versions in 1.12+.
  H5Literate(
      id(), H5_INDEX_NAME, H5_ITER_INC, nullptr,
      [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->push_back(name);
        return 0;
      },
      &names);
  return names;
}

namespace {

void write_dataset(const Location& at, const std::string& name, hid_t type, const void* data,
                   const std::vector<hsize_t>& dims) {
  Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
  Handle set(H5Dcreate2(at.id(), name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT,
                        H5P_DEFAULT),
             H5Dclose);
  if (set.get() < 0 || H5Dwrite(set.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
    throw DataError("HDF5 file '" + at.file() + "': cannot write '" + name + "'");
}

std::size_t product(const std::vector<hsize_t>& dims) {
  std::size_t n = 1;
  for (hsize_t d : dims) n *= d;
  return n;
}

}  // namespace

void Location::write(const std::string& name, std::span<const double> data,
                     const std::vector<hsize_t>& dims) const {
  if (product(dims) != data.size()) fail("write (wrong size)", name);
  write_dataset(*this, name, H5T_NATIVE_DOUBLE, data.data(), dims);
}

void Location::write(const std::string& name, std::span<const std::int64_t> data,
                     const std::vector<hsize_t>& dims) const {
  if (product(dims) != data.size()) fail("write (wrong size)", name);
  write_dataset(*this, name, H5T_NATIVE_INT64, data.data(), dims);
}

void Location::write(const std::string& name, const std::vector<std::string>& strings) const {
  std::vector<const char*> pointers;
  for (const auto& s : strings) pointers.push_back(s.c_str());
  const Handle type = string_type();
  write_dataset(*this, name, type.get(), pointers.data(), {strings.size()});
}

void Location::write(const std::string& name, const std::string& text) const {
  const Handle type = string_type();
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle set(H5Dcreate2(id(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT,
                        H5P_DEFAULT),
             H5Dclose);
  const char* pointer = text.c_str();
  if (set.get() < 0 || H5Dwrite(set.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &pointer) < 0)
    fail("write", name);
}

void Location::write(const std::string& name, double value) const {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle set(H5Dcreate2(id(), name.c_str(), H5T_NATIVE_DOUBLE, space.get(), H5P_DEFAULT,
                        H5P_DEFAULT, H5P_DEFAULT),
             H5Dclose);
  if (set.get() < 0 || H5Dwrite(set.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value) < 0)
    fail("write", name);
}

Handle Location::open_dataset(const std::string& name) const {
  if (!has(name)) fail("find dataset", name);
  const hid_t set = H5Dopen2(id(), name.c_str(), H5P_DEFAULT);
  if (set < 0) fail("open dataset", name);
  return Handle(set, H5Dclose);
}

std::vector<hsize_t> Location::dims(const std::string& name) const {
  const Handle set = open_dataset(name);
  Handle space(H5Dget_space(set.get()), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0) fail("read the shape of", name);
  std::vector<hsize_t> d(rank);
  H5Sget_simple_extent_dims(space.get(), d.data(), nullptr);
  return d;
}

std::vector<double> Location::read_doubles(const std::string& name) const {
  const Handle set = open_dataset(name);
  std::vector<double> out(product(dims(name)));
  if (H5Dread(set.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
    fail("read numbers from", name);
  return out;
}

std::vector<double> Location::read_rows(const std::string& name, hsize_t first, hsize_t count,
                                        const std::vector<hsize_t>& columns) const {
  const auto d = dims(name);
  if (d.size() != 2 || first + count > d[0]) fail("read rows of", name);
  const Handle set = open_dataset(name);
  Handle file_space(H5Dget_space(set.get()), H5Sclose);
  std::vector<hsize_t> cols = columns;
  if (cols.empty())
    for (hsize_t c = 0; c < d[1]; ++c) cols.push_back(c);
  for (hsize_t c : cols)
    if (c >= d[1]) fail("read a column beyond the end of", name);
  // Read whole rows (one contiguous hyperslab: HDF5's fast path) and pick the columns in
  // memory; event tables are narrow, so the extra columns cost less than a scattered selection.
  const hsize_t start[2] = {first, 0}, block[2] = {count, d[1]};
  H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, block, nullptr);
  Handle mem_space(H5Screate_simple(2, block, nullptr), H5Sclose);
  std::vector<double> rows(count * d[1]);
  if (H5Dread(set.get(), H5T_NATIVE_DOUBLE, mem_space.get(), file_space.get(), H5P_DEFAULT,
              rows.data()) < 0)
    fail("read numbers from", name);
  if (cols.size() == d[1]) {
    bool identity = true;
    for (hsize_t c = 0; c < d[1]; ++c) identity = identity && cols[c] == c;
    if (identity) return rows;
  }
  std::vector<double> out(count * cols.size());
  for (hsize_t r = 0; r < count; ++r)
    for (std::size_t k = 0; k < cols.size(); ++k) out[r * cols.size() + k] = rows[r * d[1] + cols[k]];
  return out;
}

std::vector<std::int64_t> Location::read_int64(const std::string& name) const {
  const Handle set = open_dataset(name);
  std::vector<std::int64_t> out(product(dims(name)));
  if (H5Dread(set.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
    fail("read integers from", name);
  return out;
}

namespace {

// Reads variable- or fixed-length strings from a dataset or attribute with `read`, in their
// stored type (character set and padding as written: h5py writes fixed-length NULLPAD and
// ASCII variable-length strings as well as UTF-8 ones), each cut at its first NUL.
template <typename Read>
std::vector<std::string> read_string_array(hid_t stored_type, std::size_t n, Read read) {
  std::vector<std::string> out;
  Handle type(H5Tcopy(stored_type), H5Tclose);
  if (H5Tis_variable_str(stored_type) > 0) {
    std::vector<char*> pointers(n, nullptr);
    if (read(type.get(), pointers.data()) < 0) return {};
    for (char* p : pointers) out.emplace_back(p ? p : "");
    for (char* p : pointers) H5free_memory(p);  // HDF5 allocated each string
    return out;
  }
  const std::size_t size = H5Tget_size(stored_type);
  std::vector<char> buffer(n * size);
  if (read(type.get(), buffer.data()) < 0) return {};
  for (std::size_t k = 0; k < n; ++k) {
    const char* start = buffer.data() + k * size;
    std::string s(start, strnlen(start, size));
    s.erase(s.find_last_not_of(' ') + 1);  // SPACEPAD
    out.push_back(s);
  }
  return out;
}

}  // namespace

std::vector<std::string> Location::read_strings(const std::string& name) const {
  const Handle set = open_dataset(name);
  Handle type(H5Dget_type(set.get()), H5Tclose);
  if (H5Tget_class(type.get()) != H5T_STRING) fail("read strings from", name);
  const std::size_t n = product(dims(name));
  auto out = read_string_array(type.get(), n, [&](hid_t mem, void* buffer) {
    return H5Dread(set.get(), mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
  });
  if (out.size() != n) fail("read strings from", name);
  return out;
}

std::string Location::read_string(const std::string& name) const {
  const auto strings = read_strings(name);
  if (strings.size() != 1) fail("read one string from", name);
  return strings[0];
}

std::vector<std::string> Location::attribute_names() const {
  std::vector<std::string> names;
  H5Aiterate2(
      id(), H5_INDEX_NAME, H5_ITER_INC, nullptr,
      [](hid_t, const char* name, const H5A_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->push_back(name);
        return 0;
      },
      &names);
  return names;
}

bool Location::has_attribute(const std::string& name) const {
  return H5Aexists(id(), name.c_str()) > 0;
}

namespace {

void write_attribute(const Location& at, const std::string& name, hid_t type, const void* data,
                     hsize_t n, bool scalar) {
  if (H5Aexists(at.id(), name.c_str()) > 0) H5Adelete(at.id(), name.c_str());
  Handle space(scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, nullptr), H5Sclose);
  Handle attribute(H5Acreate2(at.id(), name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                   H5Aclose);
  if (attribute.get() < 0 || H5Awrite(attribute.get(), type, data) < 0)
    throw DataError("HDF5 file '" + at.file() + "': cannot write attribute '" + name + "' of '" +
                    at.path() + "'");
}

}  // namespace

void Location::set_attribute(const std::string& name, const std::string& value) const {
  const Handle type = string_type();
  const char* pointer = value.c_str();
  write_attribute(*this, name, type.get(), &pointer, 1, true);
}

void Location::set_attribute(const std::string& name, double value) const {
  write_attribute(*this, name, H5T_NATIVE_DOUBLE, &value, 1, true);
}

void Location::set_attribute(const std::string& name, std::int64_t value) const {
  write_attribute(*this, name, H5T_NATIVE_INT64, &value, 1, true);
}

void Location::set_attribute(const std::string& name, const std::vector<std::string>& values) const {
  std::vector<const char*> pointers;
  for (const auto& s : values) pointers.push_back(s.c_str());
  const Handle type = string_type();
  write_attribute(*this, name, type.get(), pointers.data(), values.size(), false);
}

namespace {

Handle open_attribute(const Location& at, const std::string& name) {
  if (H5Aexists(at.id(), name.c_str()) <= 0)
    throw DataError("HDF5 file '" + at.file() + "': '" + at.path() + "' has no attribute '" +
                    name + "'");
  return Handle(H5Aopen(at.id(), name.c_str(), H5P_DEFAULT), H5Aclose);
}

hsize_t attribute_size(hid_t attribute) {
  Handle space(H5Aget_space(attribute), H5Sclose);
  const hssize_t n = H5Sget_simple_extent_npoints(space.get());
  return n < 0 ? 0 : static_cast<hsize_t>(n);
}

}  // namespace

std::vector<std::string> Location::strings_attribute(const std::string& name) const {
  const Handle attribute = open_attribute(*this, name);
  Handle type(H5Aget_type(attribute.get()), H5Tclose);
  const hsize_t n = attribute_size(attribute.get());
  if (H5Tget_class(type.get()) != H5T_STRING)
    throw DataError("HDF5 file '" + file_ + "': attribute '" + name + "' of '" + path_ +
                    "' is not text");
  auto out = read_string_array(type.get(), n, [&](hid_t mem, void* buffer) {
    return H5Aread(attribute.get(), mem, buffer);
  });
  if (out.size() != n)
    throw DataError("HDF5 file '" + file_ + "': cannot read attribute '" + name + "'");
  return out;
}

std::string Location::string_attribute(const std::string& name) const {
  const auto values = strings_attribute(name);
  if (values.size() != 1)
    throw DataError("HDF5 file '" + file_ + "': attribute '" + name + "' is not one string");
  return values[0];
}

double Location::double_attribute(const std::string& name) const {
  const Handle attribute = open_attribute(*this, name);
  double value = 0;
  if (attribute_size(attribute.get()) != 1 ||
      H5Aread(attribute.get(), H5T_NATIVE_DOUBLE, &value) < 0)
    throw DataError("HDF5 file '" + file_ + "': attribute '" + name + "' is not a number");
  return value;
}

std::int64_t Location::int64_attribute(const std::string& name) const {
  const Handle attribute = open_attribute(*this, name);
  std::int64_t value = 0;
  if (attribute_size(attribute.get()) != 1 ||
      H5Aread(attribute.get(), H5T_NATIVE_INT64, &value) < 0)
    throw DataError("HDF5 file '" + file_ + "': attribute '" + name + "' is not an integer");
  return value;
}


void Location::set_attributes(const std::vector<Attribute>& attributes) const {
  for (const Attribute& a : attributes)
    std::visit([&](const auto& v) { set_attribute(a.name, v); }, a.value);
}

namespace {

// The bytes of a file image, written to `path` with every error checked and synced to disk.
void write_image(const std::filesystem::path& path, const std::vector<unsigned char>& image,
                 const std::string& shown_as) {
  const auto fail = [&] {
    throw DataError("cannot write '" + shown_as + "': " + std::strerror(errno));
  };
  std::FILE* out = std::fopen(path.c_str(), "wb");
  if (out == nullptr) fail();
  const bool written = std::fwrite(image.data(), 1, image.size(), out) == image.size() &&
                       std::fflush(out) == 0 && fsync(fileno(out)) == 0;
  const int saved = errno;
  if (std::fclose(out) != 0 || !written) {
    errno = written ? errno : saved;
    fail();
  }
}

}  // namespace

void write_file(const std::filesystem::path& target, const std::function<void(const Location&)>& fill) {
  silence_hdf5();
  AtomicFile output(target);
  std::vector<unsigned char> image;
  {
    // HDF5's core driver without a backing store: the file lives in memory, under a name that
    // only has to be unique within this process.
    static std::uint64_t serial = 0;
    const std::string memory_name = "qgen-image-" + std::to_string(++serial) + ".h5";
    Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    if (access.get() < 0 || H5Pset_fapl_core(access.get(), 8 << 20, 0) < 0)
      throw DataError("cannot set up the HDF5 image of '" + target.string() + "'");
    const hid_t f = H5Fcreate(memory_name.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get());
    if (f < 0) throw DataError("cannot create the HDF5 image of '" + target.string() + "'");
    const Location file(Handle(f, H5Fclose), target.string(), "/");
    fill(file);
    const ssize_t size = H5Fflush(f, H5F_SCOPE_GLOBAL) < 0 ? -1 : H5Fget_file_image(f, nullptr, 0);
    if (size < 0) throw DataError("cannot complete the HDF5 image of '" + target.string() + "'");
    image.resize(static_cast<std::size_t>(size));
    if (H5Fget_file_image(f, image.data(), image.size()) != size)
      throw DataError("cannot copy the HDF5 image of '" + target.string() + "'");
  }
  write_image(output.temporary_path(), image, target.string());
  output.commit();
}

Location create_file(const std::string& path) {
  silence_hdf5();
  const hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (f < 0) throw DataError("cannot create HDF5 file '" + path + "'");
  return Location(Handle(f, H5Fclose), path, "/");
}

Location open_file(const std::string& path) {
  silence_hdf5();
  if (!std::filesystem::exists(path)) throw DataError("file '" + path + "' does not exist");
  if (!std::filesystem::is_regular_file(path)) throw DataError("'" + path + "' is not a file");
  const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
  if (is_hdf5 < 0) throw DataError("cannot read file '" + path + "'");
  if (is_hdf5 == 0) throw DataError("file '" + path + "' is not an HDF5 file");
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) throw DataError("cannot open HDF5 file '" + path + "'");
  return Location(Handle(f, H5Fclose), path, "/");
}

}  // namespace qgen::core::hdf5
