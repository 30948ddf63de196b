// RTNeural JSON (what RTNeural's Keras exporter writes: `in_shape`, `layers`
// with `type`, `shape`, `activation`, `weights` in Keras's layout) and AIDA-X
// files (the same plus `in_skip` and `out_gain`): the file declares the model.
#pragma once

#include "grurt_convert/source_file.hpp"
#include "json_tensors.hpp"

namespace grurt::convert::rtneural_model {

// Whether `root` is such a file: an object with `in_shape` and `layers`.
bool recognise(const json_tensors::Json& root);

// The declared model and its tensors (named "layers[i].weights[k]"); throws
// ConversionError naming the layer and what is wrong, and refusing by name
// the layer types grurt does not run.
SourceFile read(const json_tensors::Json& root);

}  // namespace grurt::convert::rtneural_model
