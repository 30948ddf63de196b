// The accuracy report of a reduced weight type (grurt-convert --weights f16
// or int8, or the integer path of --activations int16): the file as it will be written, reduced weights and all, run
// against the source model's double-precision formulas by the conversion
// check, which measures each step from the reference's state, so the error is
// the weights' rounding per step, not its growth over a sequence. The f32
// conversion is proven before this (prove_conversion), so a wrong conversion
// is refused there.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "conversion_proof.hpp"

namespace grurt::convert {

struct WeightAccuracyOptions {
  std::optional<double> max_error;  // --max-error: a larger max |error| is a refusal
};

// Appends the report line to `log`. Returns "" when the file may be written,
// else why it is refused: an error above --max-error, or a non-finite output.
// With `integer_path`, the file's integer path (--activations int16) is measured.
std::string measure_weight_accuracy(const SourceModel& source, const TensorMap& tensors,
                                    const std::vector<std::uint8_t>& model_bytes, ElementType type,
                                    bool integer_path, const ProofOptions& proof,
                                    const WeightAccuracyOptions& options, std::ostream& log);

}  // namespace grurt::convert
