// Where each part of a session's arena lives. Model::load computes the total
// and Session::init the offsets with this one function, so the size a model
// announces and the layout a session uses cannot disagree.
#pragma once

#include <cstddef>
#include <cstdint>

#include "grurt/model.hpp"

namespace grurt {
namespace detail {

// Per-layer data a session reads in step(): what the layer is and, for a GRU,
// where its hidden state lives in the arena.
struct LayerPlan {
  LayerView view;
  float* state = nullptr;
};

// Floats of arena state one GRU layer of hidden size H occupies: rounded up
// to whole 64-byte blocks so every layer's state starts aligned.
inline std::size_t padded_floats(std::size_t count) noexcept {
  constexpr std::size_t kFloatsPerBlock = kModelAlignment / sizeof(float);
  return (count + kFloatsPerBlock - 1) / kFloatsPerBlock * kFloatsPerBlock;
}

// The GRU states come last, so every other offset is known before the
// layers are walked.
struct ArenaLayout {
  std::size_t plans = 0;            // LayerPlan[num_layers]
  std::size_t gate_scratch = 0;     // 7 * max_hidden floats
  std::size_t vectors[2] = {0, 0};  // max_width floats each
  std::size_t run_gx = 0;           // Session::run: first layer's W x for several steps
  std::size_t state = 0;            // GRU states, padded_floats(H) each
  std::size_t total = 0;
};

// Sizes are bounded by kMaxDimension and the number of layers by the buffer
// size, so none of these products can overflow size_t on a 32-bit target.
inline ArenaLayout arena_layout(std::uint32_t num_layers, std::uint32_t max_hidden, std::uint32_t max_width,
                                std::size_t run_floats, std::size_t padded_state_floats) noexcept {
  auto block = [](std::size_t bytes) {
    return (bytes + kModelAlignment - 1) / kModelAlignment * kModelAlignment;
  };
  ArenaLayout layout;
  std::size_t offset = 0;
  layout.plans = offset;
  offset += block(num_layers * sizeof(LayerPlan));
  layout.gate_scratch = offset;
  offset += block(7u * max_hidden * sizeof(float));
  for (std::size_t& vector : layout.vectors) {
    vector = offset;
    offset += block(max_width * sizeof(float));
  }
  layout.run_gx = offset;
  offset += block(run_floats * sizeof(float));
  layout.state = offset;
  offset += padded_state_floats * sizeof(float);
  layout.total = offset;
  return layout;
}

}  // namespace detail
}  // namespace grurt
