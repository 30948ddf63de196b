// Where each part of a session's arena lives, planned from what each layer
// kind says it needs. Model::load takes the total (arena_bytes()) and
// Session::init the offsets from this one function, so the size a model
// announces and the layout a session uses cannot disagree; BatchSession
// plans its arena with the same function for its number of streams.
#pragma once

#include <cstddef>
#include <cstdint>

#include "grurt/model.hpp"

namespace grurt {
namespace detail {

// Byte offsets from the start of the arena.
struct ArenaLayout {
  std::size_t network = 0;          // the Network the session steps with (network.hpp)
  std::size_t plans = 0;            // LayerPlan[num_layers]
  std::size_t scratch = 0;          // the largest layer scratch
  // Two ping-pong buffers of kMaxGemmSteps columns, column_stride floats
  // apart: layer outputs of block steps (step() uses the first column).
  std::size_t columns[2] = {0, 0};
  std::size_t column_stride = 0;
  std::size_t projections = 0;      // block steps: a layer's input projections for kMaxGemmSteps columns
  std::size_t projection_stride = 0;  // floats per column of those (0: no layer has a block step)
  std::size_t skip = 0;             // the skip connection's source channels of each column (0 bytes without one)
  std::size_t state = 0;            // every layer's state vectors, each padded to 64 bytes, stream after stream
  std::size_t state_stride = 0;     // floats of one stream's state vectors, padding included
  std::size_t total = 0;            // 0: more than size_t can count (a batch of too many streams)
  std::size_t state_floats = 0;     // floats of state as read_state() counts them (one stream)
};

// Floats one state vector of `count` floats occupies in the arena: whole
// 64-byte blocks, so every vector starts aligned (and is whole panels long).
inline std::size_t padded_floats(std::size_t count) noexcept {
  constexpr std::size_t kFloatsPerBlock = kModelAlignment / sizeof(float);
  return (count + kFloatsPerBlock - 1) / kFloatsPerBlock * kFloatsPerBlock;
}

// The layout for a model whose layers load() has accepted: for a Session
// (streams == 0) or a BatchSession of `streams` streams, whose layers step
// several streams at once (LayerNeeds::stream_scratch), with block buffers of
// `columns` columns (this build's kMaxGemmSteps; Model::arena_bytes_for_block
// asks for another build's).
ArenaLayout plan_arena(const Model& model, std::uint32_t streams = 0, std::uint32_t columns = 0) noexcept;

}  // namespace detail
}  // namespace grurt
