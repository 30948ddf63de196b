// grurt-run's model, on whichever path runs it: a Session in blocks of frames
// (Session::run(): step()'s results bit for bit, faster), or the integer path
// (--integer) frame by frame, with floats through the model's scales or raw
// int16 values (--int16). Says where it stopped when a frame is refused.
#pragma once

#include <cstddef>
#include <string>

#include "grurt/session.hpp"
#include "integer_runner.hpp"

namespace grurt::tools {

class FrameRunner {
 public:
  // Exactly one of `session` and `integer` is non-null; `int16` with `integer` only.
  FrameRunner(Session* session, IntegerRunner* integer, bool int16, std::size_t inputs, std::size_t outputs)
      : session_(session), integer_(integer), int16_(int16), inputs_(inputs), outputs_(outputs) {}

  std::size_t inputs() const { return inputs_; }
  std::size_t outputs() const { return outputs_; }

  // Runs `count` frames: inputs[count][inputs()] -> outputs[count][outputs()].
  // Returns how many ran: `count`, or the index of the frame refused (a NaN
  // under --refuse-non-finite, a non-integer --int16 value), the frames before
  // it run and the reason in `error`.
  std::size_t run(const float* in, float* out, std::size_t count, std::string& error);

 private:
  Session* session_;
  IntegerRunner* integer_;
  bool int16_;
  std::size_t inputs_, outputs_;
};

}  // namespace grurt::tools
