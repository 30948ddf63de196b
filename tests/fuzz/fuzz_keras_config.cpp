// Fuzz target: the Keras model config (the JSON an .h5 file's model_config
// holds) read into a declared model and converted, each weight made up with
// the shape the config implies. The HDF5 container is fuzz_keras_h5's; this
// reaches the config reader at full speed.
#include <cstdint>
#include <string>

#include "convert_pipeline.hpp"
#include "grurt_convert/conversion_error.hpp"
#include "keras/keras_model.hpp"  // converter/src: the config reader itself

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace grurt::convert;
  const std::string config(reinterpret_cast<const char*>(data), size);
  try {
    SourceFile file;
    const keras_model::WeightReader weights = [](const std::string& layer, std::size_t k,
                                                 const std::vector<std::int64_t>& expected, SourceFile& out) {
      SourceTensor tensor;
      tensor.dtype = "F32";
      tensor.shape = expected;
      std::size_t count = 1;
      for (const std::int64_t d : expected) count *= static_cast<std::size_t>(d);
      if (count > (1u << 20)) throw ConversionError("fuzz: weight too large");
      tensor.values.assign(count, 0.25f);
      const std::string name = layer + "/" + std::to_string(k);
      out.tensors[name] = std::move(tensor);
      return name;
    };
    const SourceModel model = keras_model::read(config, size > 0 && data[0] == '3' ? "3.0" : "2.12", weights, file);
    grurt::fuzz::convert_source(model, file.tensors);
  } catch (const ConversionError&) {
  }
  return 0;
}
