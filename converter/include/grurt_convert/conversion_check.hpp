// Proves a conversion: runs the written .grurt with the runtime and the source
// model with its own double-precision formulas on the same inputs, one time
// step at a time from the same state.
//
// What it measures is the conversion, not float32 nor the model's dynamics:
// after every step both sides continue from the reference's state (rounded
// to float32, and the reference is given the same rounded state), so an
// error cannot compound over steps, and a chaotic model (where any two
// float32 runs drift apart) is checked over any number of steps. The
// comparison is relative to the values' magnitude,
//   |grurt - reference| <= tolerance * max(1, |reference|),
// on every output and every state value of every step, so a model whose
// outputs are large (float32's own rounding grows with them) passes as a
// small one does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "grurt_convert/source_model.hpp"
#include "grurt_convert/tensor_map.hpp"

namespace grurt::convert {

// The default relative tolerance: about 800 float32 roundings (2^-24 each)
// of one step; correct conversions measure ~1e-7 to 1e-6, a wrong gate
// order, update, reset placement, slice or a missing bias 1e-3 or more.
constexpr double kDefaultCheckTolerance = 1e-4;

struct CheckOptions {
  double tolerance = kDefaultCheckTolerance;
  std::uint32_t random_steps = 64;  // N(0,1) inputs, used when `inputs` is empty
  std::vector<std::vector<float>> inputs;  // the user's inputs (--check-input), one row per step
  // Run the file's integer path (IntegerSession; --activations int16) instead of a Session.
  bool integer_path = false;
};

// Where the runtime and the reference first disagreed beyond the tolerance.
struct CheckMismatch {
  std::uint32_t step = 0;  // 0-based (messages count from 1)
  std::string what;        // "output", or "state of layer K 'NAME', unit" (an LSTM's: "state h of" or "state c of"; index: the unit);
                           // "initial state ...": the stored initial state, before the first step
  std::size_t index = 0;
  double expected = 0.0;   // the reference's value
  double got = 0.0;        // the runtime's value
  double scale = 1.0;      // what the difference was measured against
};

struct CheckReport {
  // Largest |grurt - reference| / scale seen (infinity for a NaN).
  double max_difference = 0.0;
  std::uint32_t steps = 0;  // steps compared
  std::optional<CheckMismatch> mismatch;  // set: the check failed at this step
  // |grurt - reference| over every output value of every step, unscaled: the
  // accuracy report of a reduced weight type (--weights f16); NaN counts as infinity.
  double max_output_error = 0.0;
  double sum_output_error = 0.0;
  std::uint64_t output_values = 0;

  double mean_output_error() const { return output_values == 0 ? 0.0 : sum_output_error / output_values; }

  bool passed() const { return !mismatch; }
};

// The check's random inputs: `steps` rows of `width` N(0,1) floats, the same
// every run (also what --activations int16 calibrates on without --calibrate).
std::vector<std::vector<float>> random_check_inputs(std::uint32_t steps, std::uint32_t width);

// Throws ConversionError when the runtime cannot load the bytes or the
// inputs' width is not the model's.
CheckReport check_conversion(const SourceModel& source, const TensorMap& tensors,
                             const std::vector<std::uint8_t>& model_bytes, const CheckOptions& options);

// `steps` random steps at the default tolerance.
CheckReport check_conversion(const SourceModel& source, const TensorMap& tensors,
                             const std::vector<std::uint8_t>& model_bytes, std::uint32_t steps);

// "step 3, output 1: expected 0.5, got 0.75 (|difference| 0.25 > tolerance 0.0001 x scale 1)",
// steps counted from 1 (the CSV's line); a stored initial state that differs
// from the source's: "the start (before step 1), initial state of layer 0 'gru0', unit 2: ...".
std::string describe_mismatch(const CheckMismatch& mismatch, double tolerance);

}  // namespace grurt::convert
