// grurt::Session: the state of one stream running a Model, one step per call.
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

// The ISA a session of `model` takes with Isa::kAuto when GRURT_ISA is not
// set: best_isa(), except that a 512-bit ISA (avx512, avx512_vnni) gives way
// to its 256-bit twin (avx2, avx_vnni) for a model whose every layer has at
// most kNarrowModelRows outputs (and LSTM cells): their gate math fits one
// 8-lane vector, which a 512-bit vector does with twice the work; measured
// 15-20% slower at H = 8 and level from H = 16 (README, Benchmarks).
constexpr std::uint32_t kNarrowModelRows = 8;
Isa best_isa_for(const Model& model) noexcept;

// A session behaves like a stateful RNN: each step() advances every recurrent
// layer's state by one time step and the state carries over to the next call
// until reset() or write_state(). All memory is the caller's arena; after
// init() nothing allocates, locks, throws or prints. A session is used by one
// thread at a time; the Model it was made from must outlive it.
class Session {
 public:
  // The exact arena size for `model` (same as model.arena_bytes(), which load()
  // computed with the session's own arena plan).
  static std::size_t arena_bytes(const Model& model) noexcept { return model.arena_bytes(); }

  // Lays out the arena (64-byte aligned, at least arena_bytes(model) bytes:
  // e.g. `alignas(64) static unsigned char arena[N];`), sets the state and
  // picks the kernels: `isa` (see isa.hpp; kAuto honours GRURT_ISA). The
  // state starts as the model's stored initial state (zeros where it has none).
  Status init(const Model& model, void* arena, std::size_t arena_size, Isa isa = Isa::kAuto) noexcept;

  // The instruction set this session's kernels use (after a successful init).
  Isa isa() const noexcept;

  bool initialized() const noexcept { return net_ != nullptr; }
  const char* error() const noexcept { return error_.message(); }
  Status status() const noexcept { return error_.status(); }

  // One time step: reads model.input_size() floats from `input`, writes
  // model.output_size() floats to `output` (which may alias `input`). A
  // model's skip connection (Model::skip()) is part of the output.
  Status step(const float* input, float* output) noexcept;

  // `steps` time steps at once: inputs[steps][input_size] -> outputs[steps][output_size]
  // (not overlapping). Same results, bit for bit, as calling step() for each;
  // steps == 0 does nothing.
  // Faster: layer by layer over blocks of 8 steps, each layer's input
  // projections (a Dense layer's products) computed for all of them in one
  // pass over its weights.
  Status run(const float* inputs, float* outputs, std::size_t steps) noexcept;

  // Returns the recurrent state to what init() set: each layer's initial
  // state stored in the model (LayerView::initial_state), zeros where it has none.
  Status reset() noexcept;

  // Non-finite values. By default step() and run() do not look at their
  // inputs: a NaN or infinity goes through the layers into the state and
  // stays there (every later output is NaN) until reset() or write_state().
  // With refuse_non_finite_inputs(true) (after init(), which turns it off)
  // step() and run() first scan their inputs and return kNonFiniteValue,
  // with the state and outputs untouched, if any value is NaN or infinite:
  // one compare per input value. state_is_finite() tells whether the state
  // has been poisoned (also possible from huge finite inputs that overflow);
  // recover with reset() or write_state() of a saved checkpoint.
  Status refuse_non_finite_inputs(bool refuse) noexcept;
  bool state_is_finite() const noexcept;

  // The recurrent state: state_size() floats, recurrent layers in order, each
  // layer's state vectors in its kind's order (GRU and RNN: h[H]; LSTM: h[P or H]
  // then c[H]). `count` must equal state_size() (checkpoint and warm start);
  // write_state() refuses a NaN or infinity (kNonFiniteValue).
  std::size_t state_size() const noexcept { return state_size_; }
  Status read_state(float* destination, std::size_t count) noexcept;
  Status write_state(const float* source, std::size_t count) noexcept;

 private:
  Status check_ready(const void* a, const void* b) noexcept;
  // kNonFiniteValue naming the first NaN/inf of `steps` inputs, when refusing them.
  Status check_inputs(const float* inputs, std::size_t steps) noexcept;
  Status check_state_call(const void* values, std::size_t count) noexcept;

  detail::Network* net_ = nullptr;  // in the arena: plans, kernels, buffers, state
  std::size_t state_size_ = 0;
  bool refuse_non_finite_ = false;
  ErrorText error_;
};

}  // namespace grurt
