// A float32 reference over row-major weights: the arithmetic of the runtime's
// scalar kernels (same operations in the same order, no FMA contraction), but
// over the canonical model's plain arrays instead of packed panels. The
// scalar ISA must match it bit for bit, which pins the packing and the
// kernels' order of operations independently of the packed code.
#pragma once

#include <vector>

#include "grurt_convert/canonical_model.hpp"

namespace grurt::test {

// Runs the model over `inputs` (steps x input_size) from zero state, in float.
std::vector<float> row_major_float_outputs(const convert::CanonicalModel& model, const std::vector<float>& inputs);

}  // namespace grurt::test
