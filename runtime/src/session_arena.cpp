#include "session_arena.hpp"

#include "kernels/kernel_table.hpp"
#include "layers/layer_kind.hpp"

namespace grurt {
namespace detail {

// Sizes are bounded by kMaxDimension and the number of layers by the buffer
// size, so none of these sums can overflow size_t on a 32-bit target.
ArenaLayout plan_arena(const Model& model) noexcept {
  auto block = [](std::size_t bytes) { return (bytes + kModelAlignment - 1) / kModelAlignment * kModelAlignment; };
  std::size_t scratch = 0, vector = 0, state = 0, state_floats = 0, projection = 0;
  for (std::uint32_t i = 0; i < model.num_layers(); ++i) {
    const LayerView view = model.layer(i);
    const LayerNeeds needs = kind_ops(view.kind).needs(view);
    if (needs.scratch > scratch) scratch = needs.scratch;
    if (needs.output > vector) vector = needs.output;
    for (std::uint32_t part : needs.state) {
      state += padded_floats(part);
      state_floats += part;
    }
    if (i == 0) projection = needs.projection;
  }
  ArenaLayout layout;
  std::size_t offset = 0;
  layout.plans = offset;
  offset += block(model.num_layers() * sizeof(LayerPlan));
  layout.scratch = offset;
  offset += block(scratch * sizeof(float));
  for (std::size_t& v : layout.vectors) {
    v = offset;
    offset += block(vector * sizeof(float));
  }
  layout.projections = offset;
  layout.projection_stride = projection;
  offset += block(kernels::kMaxGemmSteps * projection * sizeof(float));
  // The skip's source is kept because the input may alias the output and a
  // layer's output vector is overwritten by later layers.
  layout.skip = offset;
  if (model.skip().present) offset += block(model.output_size() * sizeof(float));
  layout.state = offset;
  offset += state * sizeof(float);
  layout.total = offset;
  layout.state_floats = state_floats;
  return layout;
}

}  // namespace detail
}  // namespace grurt
