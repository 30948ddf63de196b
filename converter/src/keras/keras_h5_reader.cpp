// Keras's HDF5 layout: root attributes `model_config` (the model's JSON) and
// `keras_version`; group /model_weights/<layer> with attribute `weight_names`
// listing its datasets in layer.weights order (e.g. "gru/gru_cell/kernel:0").
#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/keras_reader.hpp"
#include "hdf5_file.hpp"
#include "isolated_call.hpp"
#include "keras_h5_contents.hpp"
#include "keras_model.hpp"

namespace grurt::convert {

bool looks_like_hdf5(const std::uint8_t* bytes, std::size_t size) { return hdf5::has_signature(bytes, size); }

SourceFile read_keras_h5(const std::uint8_t* bytes, std::size_t size) {
  try {
    const keras_h5::Contents h5 = keras_h5::deserialize(isolated_call(
        [&] { return keras_h5::serialize(keras_h5::extract(bytes, size)); }, "HDF5"));
    if (!h5.has_config) {
      throw ConversionError("the file has no 'model_config' attribute: it holds weights only (save_weights), and "
                            "grurt needs the model too; save it with model.save(\"m.h5\")");
    }
    SourceFile file;
    file.format = "Keras HDF5" + (h5.keras_version.empty() ? std::string() : " (Keras " + h5.keras_version + ")");
    const keras_model::WeightReader weights = [&h5](const std::string& layer, std::size_t k,
                                                    const std::vector<std::int64_t>&, SourceFile& out) {
      const auto found = h5.weight_names.find(layer);
      const std::size_t count = found == h5.weight_names.end() ? 0 : found->second.size();
      if (k >= count) {
        throw ConversionError("/model_weights/" + layer + ": lists " + std::to_string(count) +
                              " weights, needed at least " + std::to_string(k + 1));
      }
      const std::string& path = found->second[k];
      out.tensors[path] = h5.datasets.at(path);
      out.order.push_back(path);
      return path;
    };
    file.declared = keras_model::read(h5.model_config, h5.keras_version, weights, file);
    return file;
  } catch (const ConversionError& e) {
    throw ConversionError(std::string("Keras HDF5: ") + e.what());
  }
}

}  // namespace grurt::convert
