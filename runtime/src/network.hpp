// What a session steps with, prepared once in its arena by prepare_network()
// (Session::init, BatchSession::init): the layer plans, the kernels, the
// buffers and the skip connection, and where each stream's state lives.
// The forward passes (step, blocks of steps, several streams) are in
// forward.cpp; step() never touches the FlatBuffers tables.
#pragma once

#include <cstddef>
#include <cstdint>

#include "grurt/error_text.hpp"
#include "grurt/isa.hpp"
#include "grurt/model.hpp"
#include "grurt/status.hpp"

namespace grurt {
namespace kernels {
struct KernelTable;
}
namespace detail {

struct LayerPlan;

struct Network {
  const LayerPlan* plans = nullptr;
  std::uint32_t num_layers = 0;
  std::uint32_t input_size = 0;
  std::uint32_t output_size = 0;
  const kernels::KernelTable* kernels = nullptr;
  float* scratch = nullptr;  // the working space of the layer stepping
  // Ping-pong layer outputs of kMaxGemmSteps columns each, column_stride
  // floats apart; step() uses the first column of each.
  float* columns[2] = {nullptr, nullptr};
  std::size_t column_stride = 0;
  float* projections = nullptr;  // block steps: a layer's input projections, projection_stride floats per column
  std::size_t projection_stride = 0;
  float* skip = nullptr;  // output_size floats per column added to the output; null: the model has no skip
  bool skip_from_input = false;
  std::uint32_t skip_layer = 0xFFFFFFFFu;  // the layer whose output the skip reads; none when from the input
  std::uint32_t skip_channel = 0;
  std::size_t state_stride = 0;  // floats from one stream's state to the next's
  std::size_t state_floats = 0;  // floats of one stream's state as read_state() counts them
  // Every recurrent layer takes a fused step and reads at most
  // kStepByStepInputs inputs: run() goes step by step, which measured faster
  // than projecting so few inputs over a block first (GRU (1, 32) on Zen 5:
  // 87 against 96 ns per step); from 16 inputs the block wins again ((16, 64):
  // 287 against 351 ns).
  bool run_step_by_step = false;
};

// The ISA kAuto stands for (GRURT_ISA when set, else best_isa_for(model))
// and whether this CPU runs it; on failure `error` says which ISAs exist or run here.
Status resolve_isa(const Model& model, Isa* isa, ErrorText& error) noexcept;

// Checks the arguments, lays out the arena for `streams` streams (0: a
// Session), prepares every layer's plan and sets every stream's initial
// state; returns the Network placed in the arena.
Status prepare_network(const Model& model, void* arena, std::size_t arena_size, Isa isa, std::uint32_t streams,
                       ErrorText& error, Network** network) noexcept;

// Every state vector of `stream` to its layer's stored initial state, or zeros.
void set_initial_state(const Network& net, std::uint32_t stream) noexcept;

// kNonFiniteValue naming the first NaN or infinity of `rows` inputs of
// input_size floats ("input 2 of <row_name> 5 is NaN; refused ...: <unchanged>"),
// else kOk.
Status refuse_non_finite(const Network& net, const float* inputs, std::size_t rows, const char* row_name,
                         const char* unchanged, ErrorText& error) noexcept;

// kSizeMismatch unless `count` is one stream's state size.
Status check_state_count(const Network& net, std::size_t count, ErrorText& error) noexcept;

// Copies one stream's state out or in (state_floats floats, layer order);
// write_state refuses a NaN or infinity (kNonFiniteValue, the state unchanged).
void read_state(const Network& net, std::uint32_t stream, float* destination) noexcept;
Status write_state(const Network& net, std::uint32_t stream, const float* source, std::size_t count,
                   ErrorText& error) noexcept;
bool state_is_finite(const Network& net, std::uint32_t stream) noexcept;

// One step of the first stream: input[input_size] -> output[output_size]
// (which may alias input).
void forward_step(const Network& net, const float* input, float* output) noexcept;

// `steps` (<= kMaxGemmSteps) steps of the first stream, layer by layer: each
// layer's input projections for all of them in one pass over its weights,
// then its recurrence step by step. inputs[steps][input_size] ->
// outputs[steps][output_size], not overlapping.
void forward_steps(const Network& net, const float* inputs, std::uint32_t steps, float* outputs) noexcept;

// One step of `count` (<= kMaxGemmSteps) streams from `first`, layer by
// layer: every weight read once for all of them. inputs[count][input_size]
// -> outputs[count][output_size], not overlapping.
void forward_streams(const Network& net, std::uint32_t first, std::uint32_t count, const float* inputs,
                     float* outputs) noexcept;

}  // namespace detail
}  // namespace grurt
