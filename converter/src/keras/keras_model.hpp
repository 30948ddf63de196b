// A Keras model: its config (the JSON Keras writes as `model_config` in an
// .h5 file) read into a declared model, the weights fetched per layer by the
// container's reader. Sequential models and functional models that are one
// chain of layers; GRU, LSTM, SimpleRNN, Dense (also inside TimeDistributed),
// Activation, InputLayer and Dropout (nothing at inference).
#pragma once

#include <functional>
#include <string>

#include "grurt_convert/source_file.hpp"

namespace grurt::convert::keras_model {

// The k-th weight of the layer named `layer` (Keras's layer.weights order:
// kernel, recurrent_kernel, bias), stored into `file.tensors` under a name
// the report shows; returns that name. Throws ConversionError when missing.
// `expected` is the shape the config implies (the caller checks it after).
using WeightReader = std::function<std::string(const std::string& layer, std::size_t k,
                                               const std::vector<std::int64_t>& expected, SourceFile& file)>;

// `keras_version` as the file records it ("2.12.0", "3.1.0"): Keras 3 changed
// hard_sigmoid's slope from 0.2 to 1/6.
SourceModel read(const std::string& config_json, const std::string& keras_version, const WeightReader& weights,
                 SourceFile& file);

}  // namespace grurt::convert::keras_model
