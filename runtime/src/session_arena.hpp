// Where each part of a session's arena lives, planned from what each layer
// kind says it needs. Model::load takes the total (arena_bytes()) and
// Session::init the offsets from this one function, so the size a model
// announces and the layout a session uses cannot disagree.
#pragma once

#include <cstddef>

#include "grurt/model.hpp"

namespace grurt {
namespace detail {

// Byte offsets from the start of the arena.
struct ArenaLayout {
  std::size_t plans = 0;            // LayerPlan[num_layers]
  std::size_t scratch = 0;          // the largest layer scratch
  std::size_t vectors[2] = {0, 0};  // ping-pong outputs of layers that do not output their state
  std::size_t projections = 0;      // Session::run: the first layer's input projections for several steps
  std::size_t projection_stride = 0;  // floats per step of those (0: the first layer has no block step)
  std::size_t skip = 0;             // the skip connection's source channels of this step (0 bytes without one)
  std::size_t state = 0;            // every layer's state vectors, each padded to 64 bytes
  std::size_t total = 0;
  std::size_t state_floats = 0;     // floats of state as read_state() counts them
};

// Floats one state vector of `count` floats occupies in the arena: whole
// 64-byte blocks, so every vector starts aligned (and is whole panels long).
inline std::size_t padded_floats(std::size_t count) noexcept {
  constexpr std::size_t kFloatsPerBlock = kModelAlignment / sizeof(float);
  return (count + kFloatsPerBlock - 1) / kFloatsPerBlock * kFloatsPerBlock;
}

// The layout for a model whose layers load() has accepted.
ArenaLayout plan_arena(const Model& model) noexcept;

}  // namespace detail
}  // namespace grurt
