// Keras models saved as HDF5 (`model.save("m.h5")`, Keras 2 and Keras 3's
// legacy format): the `model_config` attribute declares the model, the
// `model_weights` group holds each layer's weights (Debian's libhdf5-dev);
// and Keras 3's .keras zip (config.json, model.weights.h5).
#pragma once

#include <cstddef>
#include <cstdint>

#include "grurt_convert/source_file.hpp"

namespace grurt::convert {

// True when the file starts with HDF5's signature.
bool looks_like_hdf5(const std::uint8_t* bytes, std::size_t size);

// Throws ConversionError naming the layer or HDF5 path and the problem.
SourceFile read_keras_h5(const std::uint8_t* bytes, std::size_t size);

// Keras 3's .keras files: a zip holding config.json and model.weights.h5.
bool looks_like_keras_zip(const std::uint8_t* bytes, std::size_t size);
SourceFile read_keras_zip(const std::uint8_t* bytes, std::size_t size);

}  // namespace grurt::convert
