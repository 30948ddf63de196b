#include "keras_h5_contents.hpp"

#include <cstring>

#include "grurt_convert/conversion_error.hpp"
#include "hdf5_file.hpp"

namespace grurt::convert::keras_h5 {
namespace {

constexpr std::size_t kMaxLayers = 4096;

class Writer {
 public:
  void number(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void text(const std::string& s) {
    number(s.size());
    bytes.insert(bytes.end(), s.begin(), s.end());
  }
  std::vector<std::uint8_t> bytes;
};

class Reader {
 public:
  explicit Reader(const std::vector<std::uint8_t>& b) : bytes_(b) {}
  std::uint64_t number() {
    need(8);
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(bytes_[at_ + i]) << (8 * i);
    at_ += 8;
    return v;
  }
  std::string text() {
    const std::uint64_t n = number();
    need(n);
    std::string s(reinterpret_cast<const char*>(bytes_.data() + at_), n);
    at_ += n;
    return s;
  }
  void floats(std::vector<float>& out, std::uint64_t n) {
    if (n > (bytes_.size() - at_) / sizeof(float)) bad();
    out.resize(n);
    std::memcpy(out.data(), bytes_.data() + at_, n * sizeof(float));
    at_ += n * sizeof(float);
  }
  bool done() const { return at_ == bytes_.size(); }

 private:
  void need(std::uint64_t n) const {
    if (n > bytes_.size() - at_) bad();
  }
  [[noreturn]] static void bad() { throw ConversionError("HDF5: the reading process returned broken contents"); }
  const std::vector<std::uint8_t>& bytes_;
  std::size_t at_ = 0;
};

}  // namespace

Contents extract(const std::uint8_t* bytes, std::size_t size) {
  hdf5::File h5(bytes, size);
  Contents contents;
  contents.has_config = h5.has_attribute("/", "model_config");
  if (!contents.has_config) return contents;
  contents.model_config = h5.string_attribute("/", "model_config");
  if (h5.has_attribute("/", "keras_version")) contents.keras_version = h5.string_attribute("/", "keras_version");
  if (!h5.has_attribute("/model_weights", "layer_names")) {
    throw ConversionError("/model_weights: has no attribute 'layer_names' (not a file written by model.save)");
  }
  const std::vector<std::string> layers = h5.string_list_attribute("/model_weights", "layer_names");
  if (layers.size() > kMaxLayers) throw ConversionError("/model_weights: lists more than 4096 layers");
  for (const std::string& layer : layers) {
    const std::string group = "/model_weights/" + layer;
    std::vector<std::string>& paths = contents.weight_names[layer];
    for (const std::string& name : h5.string_list_attribute(group, "weight_names")) {
      paths.push_back(group + "/" + name);
      contents.datasets[paths.back()] = h5.float_dataset(paths.back());
    }
  }
  return contents;
}

Contents extract_weights(const std::uint8_t* bytes, std::size_t size) {
  hdf5::File h5(bytes, size);
  Contents contents;
  for (const char* root : {"/layers", "/_layer_checkpoint_dependencies"}) {
    for (const std::string& path : h5.dataset_paths(root)) contents.datasets[path] = h5.float_dataset(path);
  }
  return contents;
}

std::vector<std::uint8_t> serialize(const Contents& contents) {
  Writer w;
  w.number(contents.has_config);
  w.text(contents.model_config);
  w.text(contents.keras_version);
  w.number(contents.weight_names.size());
  for (const auto& [layer, paths] : contents.weight_names) {
    w.text(layer);
    w.number(paths.size());
    for (const std::string& path : paths) w.text(path);
  }
  w.number(contents.datasets.size());
  for (const auto& [path, tensor] : contents.datasets) {
    w.text(path);
    w.text(tensor.dtype);
    w.number(tensor.shape.size());
    for (const std::int64_t d : tensor.shape) w.number(static_cast<std::uint64_t>(d));
    w.number(tensor.values.size());
    const auto* raw = reinterpret_cast<const std::uint8_t*>(tensor.values.data());
    w.bytes.insert(w.bytes.end(), raw, raw + tensor.values.size() * sizeof(float));
  }
  return std::move(w.bytes);
}

Contents deserialize(const std::vector<std::uint8_t>& bytes) {
  Reader r(bytes);
  Contents contents;
  contents.has_config = r.number() != 0;
  contents.model_config = r.text();
  contents.keras_version = r.text();
  const std::uint64_t layers = r.number();
  if (layers > kMaxLayers) throw ConversionError("HDF5: the reading process returned broken contents");
  for (std::uint64_t i = 0; i < layers; ++i) {
    std::vector<std::string>& paths = contents.weight_names[r.text()];
    const std::uint64_t count = r.number();
    if (count > 64) throw ConversionError("HDF5: the reading process returned broken contents");
    for (std::uint64_t k = 0; k < count; ++k) paths.push_back(r.text());
  }
  const std::uint64_t datasets = r.number();
  if (datasets > kMaxLayers * 64) throw ConversionError("HDF5: the reading process returned broken contents");
  for (std::uint64_t i = 0; i < datasets; ++i) {
    SourceTensor& tensor = contents.datasets[r.text()];
    tensor.dtype = r.text();
    const std::uint64_t rank = r.number();
    if (rank > 8) throw ConversionError("HDF5: the reading process returned broken contents");
    for (std::uint64_t a = 0; a < rank; ++a) tensor.shape.push_back(static_cast<std::int64_t>(r.number()));
    r.floats(tensor.values, r.number());
  }
  if (!r.done()) throw ConversionError("HDF5: the reading process returned broken contents");
  return contents;
}

}  // namespace grurt::convert::keras_h5
