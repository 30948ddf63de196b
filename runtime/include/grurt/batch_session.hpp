// grurt::BatchSession: many independent streams of one Model, stepped together.
#pragma once

#include <cstddef>
#include <cstdint>

#include "grurt/error_text.hpp"
#include "grurt/isa.hpp"
#include "grurt/model.hpp"
#include "grurt/status.hpp"

namespace grurt {

namespace detail {
struct Network;
}

// `streams` sessions of one model in one arena (e.g. one per microphone,
// sensor or voice), advanced one time step together: each layer's weights
// are read once for up to streams_per_pass() streams (a matrix product whose
// columns are the streams), so N streams cost far less than N sessions
// stepped one after another. Each stream's outputs and state are bit for bit what a Session
// stepping that stream alone gives, with the same ISA. Memory, threads and
// errors as for Session: nothing allocates, locks, throws or prints after
// init(); one thread at a time; the Model must outlive it.
class BatchSession {
 public:
  // Streams one BatchSession holds at most.
  static constexpr std::uint32_t kMaxStreams = 65536;

  // Streams each pass over the weights serves in this build (8; 1 on
  // microcontrollers, whose products run stream by stream).
  static std::uint32_t streams_per_pass() noexcept;

  // The exact arena size for `streams` streams of `model`; 0 when the model
  // is not loaded, streams is 0 or above kMaxStreams, or the size exceeds
  // what size_t can count.
  static std::size_t arena_bytes(const Model& model, std::uint32_t streams) noexcept;

  // Lays out the arena (64-byte aligned, at least arena_bytes(model, streams)
  // bytes), sets every stream's state to the model's initial state and picks
  // the kernels as Session::init does.
  Status init(const Model& model, std::uint32_t streams, void* arena, std::size_t arena_size,
              Isa isa = Isa::kAuto) noexcept;

  Isa isa() const noexcept;
  bool initialized() const noexcept { return net_ != nullptr; }
  std::uint32_t streams() const noexcept { return streams_; }
  const char* error() const noexcept { return error_.message(); }
  Status status() const noexcept { return error_.status(); }

  // One time step of every stream: inputs[streams][input_size] ->
  // outputs[streams][output_size] (stream s at s * input_size and
  // s * output_size; the two must not overlap).
  Status step(const float* inputs, float* outputs) noexcept;

  // Stream `stream`'s state back to the model's initial state, or every
  // stream's (reset()).
  Status reset() noexcept;
  Status reset(std::uint32_t stream) noexcept;

  // As Session: refuse NaN and infinity in step()'s inputs (kNonFiniteValue,
  // no stream's state or output changed), and whether a stream's state is finite.
  Status refuse_non_finite_inputs(bool refuse) noexcept;
  bool state_is_finite(std::uint32_t stream) const noexcept;

  // One stream's recurrent state, laid out as Session::read_state's.
  std::size_t state_size() const noexcept { return state_size_; }
  Status read_state(std::uint32_t stream, float* destination, std::size_t count) noexcept;
  Status write_state(std::uint32_t stream, const float* source, std::size_t count) noexcept;

 private:
  Status check_ready(const void* a, const void* b) noexcept;
  Status check_stream(std::uint32_t stream) noexcept;
  Status check_state_call(std::uint32_t stream, const void* values, std::size_t count) noexcept;

  detail::Network* net_ = nullptr;  // in the arena: plans, kernels, buffers, every stream's state
  std::uint32_t streams_ = 0;
  std::size_t state_size_ = 0;
  bool refuse_non_finite_ = false;
  ErrorText error_;
};

}  // namespace grurt
