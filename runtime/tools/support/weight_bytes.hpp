// Bytes a model's parameters take in the file: weight matrices in their
// element type (f32, f16, or i8 plus an f32 scale per row), vectors (biases,
// states, peepholes) in f32; and what the same parameters take all in f32. For grurt-info's table and
// grurt-bench's bound (a step reads every weight once; run()'s blocks read the
// input matrices once per block).
#pragma once

#include <cstdint>

#include "grurt/model.hpp"

namespace grurt::tools {

struct WeightBytes {
  std::uint64_t stored = 0;
  std::uint64_t as_f32 = 0;
  // Of `stored`: the layers' input matrices (W; a Dense layer's weight), the
  // products Session::run() computes once per block of steps.
  std::uint64_t input_matrices = 0;
  const char* matrix_type = "-";  // the type of the layer's matrices, "-" without any
};

WeightBytes weight_bytes(const LayerView& layer);
WeightBytes weight_bytes(const Model& model);  // all layers; matrix_type of the last weighted one

}  // namespace grurt::tools
