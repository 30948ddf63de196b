#include "grurt_convert/torch_zip_reader.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/pickle_reader.hpp"
#include "zip_archive.hpp"

namespace grurt::convert {
namespace {

const char* kResave = "re-save the weights with torch.save(model.state_dict(), path) (PyTorch >= 1.6)";

// Largest data.pkl accepted: a state_dict's pickle is a few KB per tensor.
constexpr std::uint64_t kMaxPickleBytes = 64u << 20;

// Elements the tensors may gather per byte of the storages they view: f32
// tensors viewing every storage up to 8 times over.
constexpr std::uint64_t kMaxViewFactor = 2;

// "<root>/" of the archive: the folder holding data.pkl.
std::string find_root(const std::vector<std::string>& names) {
  std::string root;
  int found = 0;
  for (const std::string& name : names) {
    if (ends_with(name, "/constants.pkl") || name.find("/code/") != std::string::npos) {
      throw ConversionError(std::string("this is a TorchScript archive (torch.jit.save), not a state_dict: load it in "
                                        "Python with torch.jit.load and ") + kResave);
    }
    if (ends_with(name, "/data.pkl") && name.find('/') == name.size() - 9) {
      root = name.substr(0, name.size() - 8);
      ++found;
    }
  }
  if (found == 0 && std::any_of(names.begin(), names.end(), [](const std::string& n) { return ends_with(n, ".npy"); })) {
    throw ConversionError("zip archive of .npy arrays without a <folder>/data.pkl entry: a NumPy .npz, not a "
                          "torch.save() file (--format npz reads it)");
  }
  if (found == 0) {
    throw ConversionError("zip archive with neither a <folder>/data.pkl entry (a torch.save() file) nor NAME.npy "
                          "arrays (a NumPy .npz)");
  }
  if (found > 1) throw ConversionError("zip archive with several <folder>/data.pkl entries: not a single torch.save() file");
  return root;
}

// Copies a strided view of `storage` into a contiguous row-major vector.
// Every size, stride and offset comes from the file: each is bounded by the
// storage before it is multiplied, so no product can overflow and no index
// can leave the storage.
SourceTensor gather(const PickledTensor& t, const std::vector<std::uint8_t>& storage) {
  const std::string where = "tensor '" + t.name + "': ";
  const std::size_t element = float_dtype_size(t.dtype);
  SourceTensor out;
  out.dtype = t.dtype;
  out.shape = t.sizes;
  out.is_float = element != 0;
  for (std::size_t d = 0; d < t.sizes.size(); ++d) {
    if (t.sizes[d] < 0 || t.strides[d] < 0) throw ConversionError(where + "negative size or stride");
  }
  if (!out.is_float) return out;  // integer tensors are only named, never read
  if (t.storage_numel > storage.size() / element) {
    throw ConversionError(where + "storage '" + t.storage_key + "' should hold " + std::to_string(t.storage_numel) +
                          " elements but its entry has only " + std::to_string(storage.size()) + " bytes");
  }
  std::uint64_t numel = 1;
  for (std::int64_t size : t.sizes) {
    numel *= static_cast<std::uint64_t>(size);
    if (numel > t.storage_numel && numel != 0) {
      throw ConversionError(where + "has more elements than its storage of " + std::to_string(t.storage_numel));
    }
  }
  if (numel == 0) return out;
  // The last element's index: offset + sum((size - 1) * stride), each term checked.
  std::uint64_t last = t.offset;
  if (last >= t.storage_numel) throw ConversionError(where + "storage offset " + std::to_string(last) + " is outside its storage");
  for (std::size_t d = 0; d < t.sizes.size(); ++d) {
    const auto span = static_cast<std::uint64_t>(t.sizes[d] - 1);
    const auto stride = static_cast<std::uint64_t>(t.strides[d]);
    if (stride != 0 && span > (t.storage_numel - 1 - last) / stride) {
      throw ConversionError(where + "offset, sizes and strides reach past the end of a storage of " +
                            std::to_string(t.storage_numel) + " elements");
    }
    last += span * stride;
  }
  out.values.resize(numel);
  std::vector<std::int64_t> index(t.sizes.size(), 0);
  for (std::uint64_t i = 0; i < numel; ++i) {
    std::uint64_t source = t.offset;
    for (std::size_t d = 0; d < index.size(); ++d) source += static_cast<std::uint64_t>(index[d] * t.strides[d]);
    decode_floats(t.dtype, storage.data() + source * element, 1, &out.values[i]);
    for (std::size_t d = index.size(); d-- > 0;) {  // row-major increment
      if (++index[d] < t.sizes[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

}  // namespace

bool looks_like_zip(const std::uint8_t* bytes, std::size_t size) {
  return size >= 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4;
}

bool looks_like_pickle(const std::uint8_t* bytes, std::size_t size) { return size >= 2 && bytes[0] == 0x80 && bytes[1] <= 5; }

TensorMap read_torch_zip(const std::uint8_t* bytes, std::size_t size, std::vector<std::string>* order,
                         std::string* state_dict_key) {
  if (looks_like_pickle(bytes, size)) {
    throw ConversionError(std::string("this is a legacy torch.save file (pre-1.6 format or "
                                      "_use_new_zipfile_serialization=False), which is not read: ") + kResave);
  }
  ZipArchive archive(bytes, size, "torch.save file");
  const std::string root = find_root(archive.names());
  const std::vector<std::uint8_t> pickle = archive.read(root + "data.pkl", kMaxPickleBytes);
  TensorMap tensors;
  std::map<std::string, std::vector<std::uint8_t>> storages;
  // Tensors may be views sharing a storage; many views of one large storage
  // would multiply memory. Real files view each storage a few times at most.
  std::uint64_t storage_bytes = 0;
  std::uint64_t elements = 0;
  for (const PickledTensor& t : read_state_dict_pickle(pickle.data(), pickle.size(), state_dict_key)) {
    auto found = storages.find(t.storage_key);
    if (found == storages.end()) {
      found = storages.emplace(t.storage_key, archive.read(root + "data/" + t.storage_key, UINT64_MAX)).first;
      storage_bytes += found->second.size();
    }
    SourceTensor tensor = gather(t, found->second);
    elements += tensor.values.size();
    if (elements > kMaxViewFactor * storage_bytes) {
      throw ConversionError("tensor '" + t.name + "': the tensors view their storages' " +
                            std::to_string(storage_bytes) + " bytes as more than " +
                            std::to_string(kMaxViewFactor * storage_bytes) +
                            " elements (the same data over and over?); not a state_dict");
    }
    if (order && !tensors.count(t.name)) order->push_back(t.name);
    tensors[t.name] = std::move(tensor);
  }
  return tensors;
}

}  // namespace grurt::convert
