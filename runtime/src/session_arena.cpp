#include "session_arena.hpp"

#include "kernels/kernel_table.hpp"
#include "layers/layer_kind.hpp"
#include "network.hpp"

namespace grurt {
namespace detail {

// Sizes are bounded by kMaxDimension and the number of layers by the buffer
// size, so the sums for one stream cannot overflow size_t on a 32-bit target;
// the streams' states are summed in 64 bits and refused (total 0) past size_t.
ArenaLayout plan_arena(const Model& model, std::uint32_t streams, std::uint32_t columns) noexcept {
  if (columns == 0) columns = kernels::kMaxGemmSteps;
  auto block = [](std::size_t bytes) { return (bytes + kModelAlignment - 1) / kModelAlignment * kModelAlignment; };
  std::size_t scratch = 0, column = 0, state = 0, state_floats = 0, projection = 0;
  for (std::uint32_t i = 0; i < model.num_layers(); ++i) {
    const LayerView view = model.layer(i);
    const LayerNeeds needs = kind_ops(view.kind).needs(view);
    std::size_t layer_scratch = needs.scratch;
    if (streams != 0 && needs.stream_scratch > layer_scratch) layer_scratch = needs.stream_scratch;
    if (layer_scratch > scratch) scratch = layer_scratch;
    if (view.padded_output > column) column = view.padded_output;
    if (needs.projection > projection) projection = needs.projection;
    for (std::uint32_t part : needs.state) {
      state += padded_floats(part);
      state_floats += part;
    }
  }
  ArenaLayout layout;
  std::size_t offset = 0;
  layout.network = offset;
  offset += block(sizeof(Network));
  layout.plans = offset;
  offset += block(model.num_layers() * sizeof(LayerPlan));
  layout.scratch = offset;
  offset += block(scratch * sizeof(float));
  layout.column_stride = column;
  for (std::size_t& c : layout.columns) {
    c = offset;
    offset += block(std::size_t{columns} * column * sizeof(float));
  }
  layout.projections = offset;
  layout.projection_stride = projection;
  offset += block(std::size_t{columns} * projection * sizeof(float));
  // The skip's source is kept because the input may alias the output and a
  // layer's output vector is overwritten by later layers.
  layout.skip = offset;
  if (model.skip().present) offset += block(std::size_t{columns} * model.output_size() * sizeof(float));
  layout.state = offset;
  layout.state_stride = state;
  const std::uint64_t total = offset + std::uint64_t{state} * sizeof(float) * (streams == 0 ? 1 : streams);
  layout.total = total <= static_cast<std::size_t>(-1) ? static_cast<std::size_t>(total) : 0;
  layout.state_floats = state_floats;
  return layout;
}

}  // namespace detail
}  // namespace grurt
