// What the runtime knows about one layer kind, in one table per kind: how to
// check and decode its FlatBuffers table, what arena it needs, and how it
// steps. Each kind lives in its own file (gru.cpp, rnn.cpp, dense.cpp,
// activation.cpp) and is listed once in layer_kinds.cpp; the loader, the
// session, the names and the tools go through that list, never a switch.
#pragma once

#include <cstddef>
#include <cstdint>

#include "grurt/error_text.hpp"
#include "grurt/grurt_generated.h"
#include "grurt/model.hpp"
#include "kernels/kernel_table.hpp"

namespace grurt {
namespace detail {

// Recurrent state vectors a layer may keep (GRU and RNN: h; LSTM: h and c).
constexpr int kMaxStateParts = 2;

// Where a layer is read: layer `index`, fed `input_width` values by the layer
// before it. `first_read` is true in Model::load, which checks the chaining
// and scans every weight for NaN and infinity; Model::layer decodes a layer
// load() already accepted, skipping both (O(1) per layer).
struct ReadContext {
  std::uint32_t index = 0;
  std::uint32_t input_width = 0;
  bool first_read = true;
};

// What a layer needs from the session's arena, in floats. Every vector is
// whole panels long: SIMD kernels read and write full vectors.
struct LayerNeeds {
  std::uint32_t state[kMaxStateParts] = {0, 0};  // floats of each state vector (0: none)
  std::size_t scratch = 0;     // working space during its step (shared by all layers)
  std::size_t output = 0;      // floats of the session vector it writes (0: it outputs state[0])
  std::size_t projection = 0;  // floats per column of input projection (0: no block step)
  // Working space of recur_streams() for kMaxGemmSteps streams (0: as `scratch`).
  std::size_t stream_scratch = 0;
};

// Vectors of several columns (steps of one stream or streams of one step),
// `stride` floats apart.
struct Columns {
  float* data = nullptr;
  std::size_t stride = 0;
};

struct LayerKindOps;

// One layer of a session, prepared at init and kept in the arena: step()
// reads only this, never the FlatBuffers tables.
struct LayerPlan {
  LayerView view;
  const LayerKindOps* ops = nullptr;
  float* state[kMaxStateParts] = {nullptr, nullptr};
  std::uint32_t state_size[kMaxStateParts] = {0, 0};
  // Chosen at init (LayerKindOps::fused_step): when not null, step() calls
  // it (on state[0], state[1]; the output is state[0]) instead of ops->step,
  // and run() with the block's projection instead of ops->recur.
  kernels::CellStep fused = nullptr;
};

struct LayerKindOps {
  LayerKind kind;
  const char* name;     // "gru": in messages, names and tools
  fb::LayerKind stored;  // its type in the schema's LayerKind union
  // Checks every field of the layer (sizes, tensors: presence, element type,
  // layout, shape, byte size, alignment; values when at.first_read) and fills
  // `view`; on failure returns the status with `error` naming the layer, the
  // tensor and what was expected.
  Status (*read)(const fb::Layer& layer, const ReadContext& at, LayerView* view, ErrorText& error);
  LayerNeeds (*needs)(const LayerView& view);
  // One time step from x; returns where its output is: `output` (a session
  // vector of needs.output floats) or its own state.
  const float* (*step)(const LayerPlan& plan, const kernels::KernelTable& k, const float* x, float* output,
                       float* scratch);
  // Optional (all three null for kinds without one): the block steps of
  // Session::run() and BatchSession::step(). project() computes the input
  // projections of `columns` (<= kMaxGemmSteps) inputs, `x_stride` floats
  // apart, into `projections` (at least needs.projection floats per column),
  // reading the weights once.
  // recur() finishes one step of the session's stream from its projection,
  // bit for bit as step() would, and returns where its output is;
  // recur_streams() finishes one step of `streams` (<= kMaxGemmSteps)
  // streams at once, stream j's projection at projections + j * stride and
  // its state at plan.state[part] + state_offset + j * state_stride, reading
  // the recurrent weights once for all; each stream's result is bit for bit
  // what step() gives it. It returns its outputs (a recurrent layer's: the
  // streams' states; others: the projections, finished in place).
  void (*project)(const LayerPlan& plan, const kernels::KernelTable& k, const float* inputs, std::size_t x_stride,
                  std::uint32_t columns, Columns projections, float* scratch);
  const float* (*recur)(const LayerPlan& plan, const kernels::KernelTable& k, float* projection, float* scratch);
  Columns (*recur_streams)(const LayerPlan& plan, const kernels::KernelTable& k, std::uint32_t streams,
                           Columns projections, std::size_t state_offset, std::size_t state_stride,
                           float* scratch);
  // Optional: the kernels' fused step for this layer (kernel_table.hpp
  // CellStep), or null when they have none for it (then step() runs).
  kernels::CellStep (*fused_step)(const LayerView& view, const kernels::KernelTable& k);
};

// Shared by kinds whose output goes to a session vector (Dense, Activation).
inline LayerNeeds output_vector_needs(const LayerView& view) noexcept {
  LayerNeeds needs;
  needs.output = view.padded_output;
  return needs;
}

// Floats of work the layer's matrix products need (kernels::matrix_work_floats:
// int8 matrices quantize their input there), at the end of its scratch.
inline std::size_t matrix_work_floats(const LayerView& view) noexcept {
  std::size_t floats = kernels::matrix_work_floats(view.weight);
  for (const WeightView* w : {&view.recurrent, &view.projection}) {
    const std::size_t more = kernels::matrix_work_floats(*w);
    floats = more > floats ? more : floats;
  }
  return floats;
}

// The block steps' input projection of a layer: W x_t + bW for every row of
// W (all gates; needs.projection = W's stored rows).
// Nothing else in scratch is live then: the product's work starts at scratch.
inline void project_input(const LayerPlan& plan, const kernels::KernelTable& k, const float* inputs,
                          std::size_t x_stride, std::uint32_t columns, Columns projections, float* scratch) noexcept {
  kernels::gemm(k, plan.view.weight, inputs, x_stride, columns, plan.view.bias, projections.data, projections.stride,
                scratch);
}


// The kind stored as `stored`, or null when this runtime does not know it.
const LayerKindOps* find_kind(fb::LayerKind stored) noexcept;
// The kind `kind` (every LayerKind value has one).
const LayerKindOps& kind_ops(LayerKind kind) noexcept;
// Every kind, in LayerKind order.
const LayerKindOps* const* all_kinds(std::size_t* count) noexcept;

// Reads one layer of the file (null, empty or unknown kinds are refused
// here); the kind's read() does the rest.
Status read_layer(const fb::Layer* layer, const ReadContext& at, LayerView* view, ErrorText& error) noexcept;

}  // namespace detail
}  // namespace grurt
