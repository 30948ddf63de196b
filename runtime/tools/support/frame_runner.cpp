#include "frame_runner.hpp"

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace grurt::tools {

namespace {

// One step of the integer path for one frame: int16 values as written (--int16),
// or floats through the model's scales.
void integer_step(IntegerRunner& runner, bool int16, const float* input, std::size_t inputs, float* output,
                  std::size_t outputs) {
  if (!int16) return runner.step(input, output);
  std::vector<std::int16_t> in(inputs), out(outputs);
  for (std::size_t i = 0; i < in.size(); ++i) {
    const bool in_range = input[i] >= -32768.0f && input[i] <= 32767.0f;  // false for NaN
    if (!in_range || input[i] != static_cast<float>(static_cast<int>(input[i]))) {
      throw std::runtime_error("value " + std::to_string(i + 1) + " is " + std::to_string(input[i]) +
                               "; --int16 rows hold integers in -32768..32767");
    }
    in[i] = static_cast<std::int16_t>(input[i]);
  }
  runner.session().step(in.data(), out.data());
  for (std::size_t i = 0; i < out.size(); ++i) output[i] = out[i];
}

}  // namespace

std::size_t FrameRunner::run(const float* in, float* out, std::size_t count, std::string& error) {
  if (integer_) {
    for (std::size_t i = 0; i < count; ++i) {
      try {
        integer_step(*integer_, int16_, in + i * inputs_, inputs_, out + i * outputs_, outputs_);
      } catch (const std::runtime_error& e) {
        error = e.what();
        return i;
      }
    }
    return count;
  }
  if (session_->run(in, out, count) == Status::kOk) return count;
  // Refused with the state untouched (Session::run() checks every input
  // first): step up to the refused frame, so that the frames before it have
  // their outputs and the message names it.
  for (std::size_t i = 0; i < count; ++i) {
    if (session_->step(in + i * inputs_, out + i * outputs_) != Status::kOk) {
      error = session_->error();
      return i;
    }
  }
  return count;  // the steps did what run() refused: not seen (run() refuses what step() refuses)
}

}  // namespace grurt::tools
