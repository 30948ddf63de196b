#include "hdf5_file.hpp"

#include <cstring>
#include <memory>

#include <hdf5.h>
#include <hdf5_hl.h>  // H5LTopen_file_image

#include "grurt_convert/conversion_error.hpp"

namespace grurt::convert::hdf5 {
namespace {

constexpr std::size_t kMaxElements = std::size_t{1} << 26;  // per dataset: 256 MB of float32
constexpr std::size_t kMaxStringBytes = std::size_t{64} << 20;  // a model_config
constexpr hsize_t kMaxListEntries = 1u << 16;

[[noreturn]] void fail(const std::string& where, const std::string& why) { throw ConversionError(where + ": " + why); }

// Closes an HDF5 identifier when it goes out of scope.
struct Handle {
  hid_t id;
  herr_t (*close)(hid_t);
  Handle(hid_t i, herr_t (*c)(hid_t)) : id(i), close(c) {}
  ~Handle() {
    if (id >= 0) close(id);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
};

// HDF5 prints a stack of errors to stderr by default; the converter reports its own.
void silence_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

hid_t open_attribute(hid_t file, const std::string& object, const std::string& name) {
  const hid_t attribute = H5Aopen_by_name(file, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT);
  if (attribute < 0) fail(object, "has no attribute '" + name + "'");
  return attribute;
}

// Strings of `type` from `read` into `count` entries (variable or fixed length).
std::vector<std::string> read_strings(hid_t attribute, hid_t type, std::size_t count, const std::string& where) {
  std::vector<std::string> out;
  if (H5Tget_class(type) != H5T_STRING) fail(where, "is not a string");
  if (H5Tis_variable_str(type) > 0) {
    Handle memory(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(memory.id, H5T_VARIABLE);
    H5Tset_cset(memory.id, H5Tget_cset(type));
    std::vector<char*> pointers(count, nullptr);
    if (H5Aread(attribute, memory.id, pointers.data()) < 0) fail(where, "cannot be read");
    for (char* p : pointers) {
      out.emplace_back(p ? p : "");
      if (p) H5free_memory(p);
    }
    return out;
  }
  const std::size_t width = H5Tget_size(type);
  if (width == 0 || width > kMaxStringBytes || count > kMaxStringBytes / width) fail(where, "is too large");
  std::vector<char> buffer(width * count);
  if (H5Aread(attribute, type, buffer.data()) < 0) fail(where, "cannot be read");
  for (std::size_t i = 0; i < count; ++i) {
    const char* begin = buffer.data() + i * width;
    out.emplace_back(begin, strnlen(begin, width));
  }
  return out;
}

std::size_t element_count(hid_t space, std::vector<std::int64_t>* shape, const std::string& where) {
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank < 0 || rank > 8) fail(where, "has " + std::to_string(rank) + " axes");
  hsize_t dims[8] = {};
  H5Sget_simple_extent_dims(space, dims, nullptr);
  std::size_t count = 1;
  for (int a = 0; a < rank; ++a) {
    if (dims[a] == 0 || dims[a] > kMaxElements || count > kMaxElements / dims[a]) fail(where, "is empty or too large");
    count *= dims[a];
    if (shape) shape->push_back(static_cast<std::int64_t>(dims[a]));
  }
  return count;
}

}  // namespace

bool has_signature(const std::uint8_t* bytes, std::size_t size) {
  static const std::uint8_t kSignature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  return size >= 8 && std::memcmp(bytes, kSignature, 8) == 0;
}

File::File(const std::uint8_t* bytes, std::size_t size) {
  silence_errors();
  // HDF5 copies the image (flags 0) and never writes to it.
  id_ = H5LTopen_file_image(const_cast<std::uint8_t*>(bytes), size, 0);
  if (id_ < 0) fail("HDF5", "the file cannot be opened (not an HDF5 file, or broken or truncated)");
}

File::~File() {
  if (id_ >= 0) H5Fclose(id_);
}

bool File::has_attribute(const std::string& object, const std::string& name) const {
  return H5Aexists_by_name(id_, object.c_str(), name.c_str(), H5P_DEFAULT) > 0;
}

std::string File::string_attribute(const std::string& object, const std::string& name) const {
  const std::string where = object + " attribute '" + name + "'";
  Handle attribute(open_attribute(id_, object, name), H5Aclose);
  Handle type(H5Aget_type(attribute.id), H5Tclose);
  Handle space(H5Aget_space(attribute.id), H5Sclose);
  if (element_count(space.id, nullptr, where) != 1) fail(where, "is not a single string");
  return read_strings(attribute.id, type.id, 1, where).front();
}

std::vector<std::string> File::string_list_attribute(const std::string& object, const std::string& name) const {
  const std::string where = object + " attribute '" + name + "'";
  Handle attribute(open_attribute(id_, object, name), H5Aclose);
  Handle type(H5Aget_type(attribute.id), H5Tclose);
  Handle space(H5Aget_space(attribute.id), H5Sclose);
  // An empty list: Keras writes np.asarray([]) (an empty float array) for a layer without weights.
  if (H5Sget_simple_extent_type(space.id) == H5S_NULL || H5Sget_simple_extent_npoints(space.id) == 0) return {};
  const std::size_t count = element_count(space.id, nullptr, where);
  if (count > kMaxListEntries) fail(where, "lists too many names");
  return read_strings(attribute.id, type.id, count, where);
}

bool File::has_dataset(const std::string& path) const {
  // Every group on the way must exist before H5Oexists_by_name is asked about the last link.
  std::size_t at = 0;
  while ((at = path.find('/', at + 1)) != std::string::npos) {
    if (H5Lexists(id_, path.substr(0, at).c_str(), H5P_DEFAULT) <= 0) return false;
  }
  if (H5Lexists(id_, path.c_str(), H5P_DEFAULT) <= 0) return false;
  H5O_info_t info;
  if (H5Oget_info_by_name(id_, path.c_str(), &info, H5P_DEFAULT) < 0) return false;
  return info.type == H5O_TYPE_DATASET;
}

std::vector<std::string> File::dataset_paths(const std::string& under) const {
  std::vector<std::string> paths;
  if (H5Lexists(id_, under.c_str(), H5P_DEFAULT) <= 0) return paths;
  Handle group(H5Gopen2(id_, under.c_str(), H5P_DEFAULT), H5Gclose);
  if (group.id < 0) fail(under, "is not a group");
  struct Visit {
    std::string prefix;
    std::vector<std::string>* paths;
  } visit{under, &paths};
  const auto callback = [](hid_t, const char* name, const H5O_info_t* info, void* data) -> herr_t {
    auto* v = static_cast<Visit*>(data);
    if (info->type == H5O_TYPE_DATASET) v->paths->push_back(v->prefix + "/" + name);
    return v->paths->size() > kMaxListEntries ? 1 : 0;  // stop: far more than any model has
  };
  if (H5Ovisit(group.id, H5_INDEX_NAME, H5_ITER_NATIVE, callback, &visit) < 0) fail(under, "cannot be walked");
  if (paths.size() > kMaxListEntries) fail(under, "holds too many datasets");
  return paths;
}

SourceTensor File::float_dataset(const std::string& path) const {
  const std::string where = "dataset '" + path + "'";
  if (!has_dataset(path)) fail(where, "is missing");
  Handle dataset(H5Dopen2(id_, path.c_str(), H5P_DEFAULT), H5Dclose);
  if (dataset.id < 0) fail(where, "cannot be opened");
  Handle type(H5Dget_type(dataset.id), H5Tclose);
  if (H5Tget_class(type.id) != H5T_FLOAT) fail(where, "does not hold floating-point numbers");
  const std::size_t bits = H5Tget_size(type.id) * 8;
  Handle space(H5Dget_space(dataset.id), H5Sclose);
  SourceTensor tensor;
  tensor.dtype = bits == 16 ? "F16" : bits == 64 ? "F64" : "F32";
  const std::size_t count = element_count(space.id, &tensor.shape, where);
  // The stored size must be what the shape says before HDF5 reads it.
  const hsize_t stored = H5Dget_storage_size(dataset.id);
  Handle create(H5Dget_create_plist(dataset.id), H5Pclose);
  if (stored != 0 && stored < count * H5Tget_size(type.id) && H5Pget_layout(create.id) == H5D_CONTIGUOUS) {
    fail(where, "stores fewer bytes than its shape needs");
  }
  tensor.values.resize(count);
  if (H5Dread(dataset.id, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, tensor.values.data()) < 0) {
    fail(where, "cannot be read as float32 (broken data or an unsupported encoding)");
  }
  return tensor;
}

}  // namespace grurt::convert::hdf5
