// What a Keras .h5 file holds that grurt reads: the root attributes and every
// layer's weights listed in /model_weights. Taken out of the file by the HDF5
// library in a separate process (isolated_call.hpp): HDF5 1.10 overflows
// buffers on some hostile files, and that must not reach the converter.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "grurt_convert/tensor_map.hpp"

namespace grurt::convert::keras_h5 {

struct Contents {
  bool has_config = false;
  std::string model_config, keras_version;
  std::map<std::string, std::vector<std::string>> weight_names;  // layer -> its weights' paths, in order
  TensorMap datasets;                                             // by path
};

// Reads the file with the HDF5 library (in this process).
Contents extract(const std::uint8_t* bytes, std::size_t size);

// A Keras 3 weights file (model.weights.h5 inside a .keras zip): every
// float dataset under /layers (or tf.keras 2.13's /_layer_checkpoint_dependencies),
// by path; the optimizer's are left out.
Contents extract_weights(const std::uint8_t* bytes, std::size_t size);

// The contents as bytes and back, checked: how they leave the separate process.
std::vector<std::uint8_t> serialize(const Contents& contents);
Contents deserialize(const std::vector<std::uint8_t>& bytes);

}  // namespace grurt::convert::keras_h5
