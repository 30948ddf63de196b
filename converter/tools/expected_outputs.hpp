// --expect IN.csv OUT.csv: the strongest check a user can give. The written
// model runs on the user's inputs from its start state (zeros or its stored
// initial state), as grurt-run would, and
// its outputs are compared with the outputs the user's own framework produced.
// It covers what the conversion check cannot: parts a state_dict does not
// record (activations, skips, the order of calls) and mistakes in a mapping
// file, which the check evaluates as declared.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "grurt_convert/conversion_check.hpp"

namespace grurt::convert {

struct ExpectReport {
  double max_difference = 0.0;  // largest |got - expected| / max(1, |expected|)
  std::uint32_t steps = 0;
  std::optional<CheckMismatch> mismatch;  // the first step and output beyond the tolerance
};

// Runs `model_bytes` over `inputs` and compares each step's outputs with
// `expected` (same number of rows). Throws ConversionError when the model
// does not load or the row counts differ.
ExpectReport compare_with_expected(const std::vector<std::uint8_t>& model_bytes,
                                   const std::vector<std::vector<float>>& inputs,
                                   const std::vector<std::vector<float>>& expected, double tolerance);

}  // namespace grurt::convert
