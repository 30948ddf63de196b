// Timing grurt itself, shared by grurt-bench and grurt-bench-compare: a
// Session's step() or run() blocks, a BatchSession's step() of N streams, and
// N Sessions stepped one after another, each on normal random inputs.
#pragma once

#include <cstddef>
#include <cstdint>

#include "grurt/grurt.hpp"
#include "step_timer.hpp"

namespace grurt::bench {

struct TimingRequest {
  Isa isa = Isa::kAuto;
  std::size_t calls = 0;  // per repetition; 0: calibrated to about 20 ms
  int repetitions = 11;
};

// What was timed: the ISA the session took, the calls per repetition, and
// the time per call (one step(), one run() block, one step of all streams).
struct CallTiming {
  Isa isa = Isa::kAuto;
  std::size_t calls = 0;
  StepTiming per_call;
};

// A Session: step() when block is 1, else run() of `block` steps.
CallTiming time_session(const Model& model, const TimingRequest& request, std::size_t block);
// A BatchSession of `streams` streams: one step() of all of them per call.
CallTiming time_batch(const Model& model, const TimingRequest& request, std::uint32_t streams);
// `streams` Sessions, each stepped once per call, one after another.
CallTiming time_sessions_in_turn(const Model& model, const TimingRequest& request, std::uint32_t streams);

}  // namespace grurt::bench
