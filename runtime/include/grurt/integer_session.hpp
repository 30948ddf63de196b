// grurt::IntegerModel and grurt::IntegerSession: the integer-only path for
// cores without an FPU (Cortex-M0+, M3; any core), for models converted with
// grurt-convert --activations int16 (schema/grurt.fbs, IntegerPlan): int8
// weights, int16 inputs, outputs and state, int32 sums, requantization by
// integer multiplier and shift, sigmoid and tanh from a table. step() executes
// no floating-point operation, and gives the same bits on every core.
//
// Independent of Model and Session (which run the same file's int8 weights
// with float activations): a firmware that uses only these links neither the
// float layers nor their kernels.
#pragma once

#include <cstddef>
#include <cstdint>

#include "grurt/error_text.hpp"
#include "grurt/load_options.hpp"
#include "grurt/status.hpp"

namespace grurt {

namespace fb {
struct Model;
}
namespace integer {
struct LayerPlan;
}

class IntegerModel {
 public:
  // Verifies the buffer (64-byte aligned, as Model::load) and its integer
  // plan: layer kinds the integer path runs (GRU with sigmoid/tanh and the
  // reset applied after R h; LSTM with sigmoid gates, no peepholes and no
  // projection; neither with a stored initial state; Dense with identity,
  // relu, tanh or sigmoid), I8 weights in Panel16x4, requantization ranges,
  // and that no row's int32 sum can overflow for any int16 input. The file's
  // CRC-32C is checked as Model::load checks it.
  Status load(const void* data, std::size_t size) noexcept { return load(data, size, LoadOptions{}); }
  Status load(const void* data, std::size_t size, const LoadOptions& options) noexcept;

  bool loaded() const noexcept { return root_ != nullptr; }
  const char* error() const noexcept { return error_.message(); }
  Status status() const noexcept { return error_.status(); }

  std::uint32_t input_size() const noexcept { return input_size_; }
  std::uint32_t output_size() const noexcept { return output_size_; }
  std::uint32_t num_layers() const noexcept { return num_layers_; }
  // int16 values of recurrent state, in layer order: a GRU's h in Q15, an
  // LSTM's h (Q15) then c (Q4.11: c = q / 2048).
  std::size_t state_size() const noexcept { return state_size_; }
  // Fractional bits of state value `index` (15 for an h, 11 for an LSTM's
  // c; -1 out of range): value = q / 2^bits. For hosts that convert floats.
  int state_fraction_bits(std::size_t index) const noexcept;
  // Exact size in bytes of the arena an IntegerSession of this model needs.
  std::size_t arena_bytes() const noexcept { return arena_bytes_; }
  // What the int16 values mean, for hosts that convert floats:
  // input x ~= q * input_scale(), output y ~= q * output_scale().
  float input_scale() const noexcept;
  float output_scale() const noexcept;

 private:
  friend class IntegerSession;
  Status check_layers() noexcept;

  const fb::Model* root_ = nullptr;
  std::uint32_t input_size_ = 0;
  std::uint32_t output_size_ = 0;
  std::uint32_t num_layers_ = 0;
  std::size_t state_size_ = 0;
  std::size_t arena_bytes_ = 0;
  ErrorText error_;
};

// One stream of an IntegerModel, one step per call; memory only from the
// caller's arena; after init() nothing allocates, throws or prints. The model
// must outlive the session.
class IntegerSession {
 public:
  // `arena`: 64-byte aligned, at least model.arena_bytes() bytes. The state
  // starts at zero.
  Status init(const IntegerModel& model, void* arena, std::size_t arena_size) noexcept;

  bool initialized() const noexcept { return plans_ != nullptr; }
  const char* error() const noexcept { return error_.message(); }
  Status status() const noexcept { return error_.status(); }

  // One time step: input_size() int16 values in, output_size() out (may alias).
  Status step(const std::int16_t* input, std::int16_t* output) noexcept;
  Status reset() noexcept;

  // The state: state_size() int16 values (as IntegerModel::state_size()).
  // The path is symmetric (|q| <= 32767): step() and write_state() read an
  // input or state value of -32768 as -32767.
  std::size_t state_size() const noexcept { return state_size_; }
  Status read_state(std::int16_t* destination, std::size_t count) noexcept;
  Status write_state(const std::int16_t* source, std::size_t count) noexcept;

 private:
  Status check_ready(const void* a, const void* b) noexcept;
  Status check_state_call(const void* values, std::size_t count) noexcept;

  const integer::LayerPlan* plans_ = nullptr;
  std::uint32_t num_layers_ = 0;
  std::uint32_t input_size_ = 0;
  std::uint32_t output_size_ = 0;
  std::size_t state_size_ = 0;
  std::int16_t* input_ = nullptr;  // the input copied into a zero-padded vector
  std::int32_t* scratch_ = nullptr;
  ErrorText error_;
};

}  // namespace grurt
