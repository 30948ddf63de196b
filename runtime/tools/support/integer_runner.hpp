// A host-side IntegerSession with float inputs, outputs and state, for the
// tools (grurt-run, grurt-convert's accuracy check): floats are converted at
// the model's scales around the integer step, which is the one devices run.
#pragma once

#include <cstdint>
#include <vector>

#include "aligned_bytes.hpp"
#include "grurt/integer_session.hpp"

namespace grurt::tools {

class IntegerRunner {
 public:
  // Loads `bytes` (64-byte aligned, kept alive by the caller) as an integer
  // model; throws std::runtime_error with the runtime's message on failure.
  IntegerRunner(const void* bytes, std::size_t size);
  IntegerRunner(const IntegerRunner&) = delete;
  IntegerRunner& operator=(const IntegerRunner&) = delete;

  const IntegerModel& model() const { return model_; }
  IntegerSession& session() { return session_; }

  // x -> q = round(x / input_scale), clamped to +-32767 (NaN refused: throws);
  // outputs q * output_scale.
  void step(const float* input, float* output);
  // The state as floats (an h: q / 32768; an LSTM's c: q / 2048), and back
  // (rounded, clamped to +-32767 units).
  std::vector<float> read_state();
  void write_state(const std::vector<float>& state);

 private:
  double state_unit(std::size_t index) const;  // the float of one unit of state value `index`

  IntegerModel model_;
  AlignedBytes arena_;
  IntegerSession session_;
  std::vector<std::int16_t> in_, out_, state_;
};

// round(value / scale) clamped to [-32767, 32767]; NaN throws std::runtime_error.
std::int16_t quantize_int16(double value, double scale);

}  // namespace grurt::tools
