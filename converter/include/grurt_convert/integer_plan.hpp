// The integer path's plan (grurt-convert --activations int16; schema
// IntegerPlan): calibration of the value ranges between layers, then per row
// of every product the bias, multiplier and shift the runtime's integer
// kernels use (runtime/src/integer/fixed_point.hpp has their arithmetic).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "grurt_convert/canonical_model.hpp"

namespace grurt::convert {

// Largest |value| seen: the model input, and each layer's output.
struct Calibration {
  double input = 0.0;
  std::vector<double> layer_outputs;  // one per layer
  double cell = 0.0;  // every LSTM's c (the integer path holds |c| < 16)
  std::size_t steps = 0;
};

// Why `model` cannot run on the integer path ("" when it can): it runs GRUs
// with sigmoid gates, a tanh candidate and the reset after R h (PyTorch's),
// LSTMs with sigmoid gates, without peepholes or a projection, neither with a
// stored initial state, and Dense layers with identity, tanh, sigmoid or relu;
// no skip connection.
std::string integer_path_refusal(const CanonicalModel& model);

// Runs `model` (f32 weights, double arithmetic) over `inputs` from a zero
// state, one row per step, recording the ranges. Throws ConversionError with
// integer_path_refusal() for a model the integer path does not run.
Calibration calibrate(const CanonicalModel& model, const std::vector<std::vector<float>>& inputs);

// The plan for `model` with the int8 weights the writer stores (quantize_rows):
//   input scale      largest |input| / 32767 (inputs beyond are clamped)
//   GRU, LSTM products  sums in units of (row scale x input scale) -> Q.12 gate pre-activations
//   GRU, LSTM output    h in Q15, the next layer's input scale 2^-15 (an LSTM's c: Q4.11)
//   Dense            identity and relu: the output scale is the calibrated
//                    largest |output| / 32767; tanh and sigmoid: Q15
// Throws ConversionError naming the layer and row when a row cannot be
// requantized (its factor is outside [2^-32, 1/2)) or its int32 sums could overflow.
IntegerPlanSpec plan_integer(const CanonicalModel& model, const Calibration& calibration);

}  // namespace grurt::convert
