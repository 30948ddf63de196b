// Keras's HDF5 layout: root attributes `model_config` (the model's JSON) and
// `keras_version`; group /model_weights/<layer> with attribute `weight_names`
// listing its datasets in layer.weights order (e.g. "gru/gru_cell/kernel:0").
#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/keras_reader.hpp"
#include "hdf5_file.hpp"
#include "keras_model.hpp"

namespace grurt::convert {

bool looks_like_hdf5(const std::uint8_t* bytes, std::size_t size) { return hdf5::has_signature(bytes, size); }

SourceFile read_keras_h5(const std::uint8_t* bytes, std::size_t size) {
  try {
    hdf5::File h5(bytes, size);
    if (!h5.has_attribute("/", "model_config")) {
      throw ConversionError("the file has no 'model_config' attribute: it holds weights only (save_weights), and "
                            "grurt needs the model too; save it with model.save(\"m.h5\")");
    }
    const std::string config = h5.string_attribute("/", "model_config");
    const std::string version = h5.has_attribute("/", "keras_version") ? h5.string_attribute("/", "keras_version") : "";
    SourceFile file;
    file.format = "Keras HDF5" + (version.empty() ? std::string() : " (Keras " + version + ")");
    const keras_model::WeightReader weights = [&h5](const std::string& layer, std::size_t k, SourceFile& out) {
      const std::string group = "/model_weights/" + layer;
      const std::vector<std::string> names = h5.string_list_attribute(group, "weight_names");
      if (k >= names.size()) {
        throw ConversionError(group + ": lists " + std::to_string(names.size()) + " weights, needed at least " +
                              std::to_string(k + 1));
      }
      const std::string path = group + "/" + names[k];
      out.tensors[path] = h5.float_dataset(path);
      out.order.push_back(path);
      return path;
    };
    file.declared = keras_model::read(config, version, weights, file);
    return file;
  } catch (const ConversionError& e) {
    throw ConversionError(std::string("Keras HDF5: ") + e.what());
  }
}

}  // namespace grurt::convert
