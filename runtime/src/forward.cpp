// The forward passes of network.hpp. No switch on the kind: each layer's plan
// says how it steps (layer_kind.hpp).
#include <cstring>

#include "kernels/kernel_table.hpp"
#include "layers/layer_kind.hpp"
#include "network.hpp"

namespace grurt {
namespace detail {

namespace {

// Copies the skip's channels of `source` (the model input or the skip
// layer's output) for column j.
void keep_skip(const Network& net, std::uint32_t j, const float* source) noexcept {
  std::memcpy(net.skip + j * net.output_size, source + net.skip_channel, net.output_size * sizeof(float));
}

// The model output of column j from the last layer's output y (plus the skip).
void finish(const Network& net, std::uint32_t j, const float* y, float* output) noexcept {
  // memmove: in step() `output` may alias `input` (when y is still the input itself).
  std::memmove(output, y, net.output_size * sizeof(float));
  if (net.skip == nullptr) return;
  const float* skip = net.skip + j * net.output_size;
  for (std::uint32_t i = 0; i < net.output_size; ++i) output[i] += skip[i];
}

// The skip's input channels of `count` columns of inputs.
void keep_input_skips(const Network& net, const float* inputs, std::uint32_t count) noexcept {
  if (!net.skip_from_input) return;
  for (std::uint32_t j = 0; j < count; ++j) keep_skip(net, j, inputs + j * net.input_size);
}

// A layer without a block step (an activation), column by column into `columns`.
Columns step_columns(const Network& net, const LayerPlan& plan, Columns x, std::uint32_t count,
                     float* columns) noexcept {
  for (std::uint32_t j = 0; j < count; ++j) {
    float* column = columns + j * net.column_stride;
    const float* y = plan.ops->step(plan, *net.kernels, x.data + j * x.stride, column, net.scratch);
    if (y != column) std::memcpy(column, y, plan.view.output_size * sizeof(float));
  }
  return {columns, net.column_stride};
}

void keep_layer_skips(const Network& net, Columns y, std::uint32_t count) noexcept {
  for (std::uint32_t j = 0; j < count; ++j) keep_skip(net, j, y.data + j * y.stride);
}

void finish_columns(const Network& net, Columns x, std::uint32_t count, float* outputs) noexcept {
  for (std::uint32_t j = 0; j < count; ++j) finish(net, j, x.data + j * x.stride, outputs + j * net.output_size);
}

}  // namespace

void forward_step(const Network& net, const float* x, float* output) noexcept {
  if (net.skip_from_input) keep_skip(net, 0, x);
  int free_vector = 0;
  for (std::uint32_t i = 0; i < net.num_layers; ++i) {
    const LayerPlan& plan = net.plans[i];
    float* vector = net.columns[free_vector];
    if (kernels::kFusedCellsBuilt && plan.fused != nullptr) {
      plan.fused(plan.view, x, nullptr, plan.state[0], plan.state[1], net.scratch);
      x = plan.state[0];
    } else {
      x = plan.ops->step(plan, *net.kernels, x, vector, net.scratch);
    }
    if (x == vector) free_vector ^= 1;
    if (i == net.skip_layer) keep_skip(net, 0, x);
  }
  finish(net, 0, x, output);
}

// Each layer writes its outputs of the block to a column buffer, which the
// next layer reads: the layer before it may be recurrent (its state is
// overwritten step by step) or Dense (its outputs sit in the projections the
// next layer overwrites).
void forward_steps(const Network& net, const float* inputs, std::uint32_t steps, float* outputs) noexcept {
  const kernels::KernelTable& k = *net.kernels;
  Columns x{const_cast<float*>(inputs), net.input_size};  // read only: layers write to their own buffers
  keep_input_skips(net, inputs, steps);
  for (std::uint32_t i = 0; i < net.num_layers; ++i) {
    const LayerPlan& plan = net.plans[i];
    float* columns = net.columns[i & 1];
    if (plan.ops->project == nullptr) {
      x = step_columns(net, plan, x, steps, columns);
    } else {
      plan.ops->project(plan, k, x.data, x.stride, steps, {net.projections, net.projection_stride}, net.scratch);
      for (std::uint32_t j = 0; j < steps; ++j) {
        float* projection = net.projections + j * net.projection_stride;
        const float* y = plan.state[0];
        if (kernels::kFusedCellsBuilt && plan.fused != nullptr) {
          plan.fused(plan.view, nullptr, projection, plan.state[0], plan.state[1], net.scratch);
        } else {
          y = plan.ops->recur(plan, k, projection, net.scratch);
        }
        std::memcpy(columns + j * net.column_stride, y, plan.view.output_size * sizeof(float));
      }
      x = {columns, net.column_stride};
    }
    if (i == net.skip_layer) keep_layer_skips(net, x, steps);
  }
  finish_columns(net, x, steps, outputs);
}

// A recurrent layer's outputs stay in the streams' states (each stream has
// its own); Dense outputs and the others' go to a column buffer.
void forward_streams(const Network& net, std::uint32_t first, std::uint32_t count, const float* inputs,
                     float* outputs) noexcept {
  const kernels::KernelTable& k = *net.kernels;
  Columns x{const_cast<float*>(inputs), net.input_size};  // read only: layers write to their own buffers
  keep_input_skips(net, inputs, count);
  for (std::uint32_t i = 0; i < net.num_layers; ++i) {
    const LayerPlan& plan = net.plans[i];
    float* columns = net.columns[i & 1];
    if (plan.ops->project == nullptr) {
      x = step_columns(net, plan, x, count, columns);
    } else {
      plan.ops->project(plan, k, x.data, x.stride, count, {net.projections, net.projection_stride}, net.scratch);
      x = plan.ops->recur_streams(plan, k, count, {net.projections, net.projection_stride}, first * net.state_stride,
                                  net.state_stride, net.scratch);
      if (x.data == net.projections) {  // the next layer's projections would overwrite them
        for (std::uint32_t j = 0; j < count; ++j) {
          std::memcpy(columns + j * net.column_stride, x.data + j * x.stride, plan.view.output_size * sizeof(float));
        }
        x = {columns, net.column_stride};
      }
    }
    if (i == net.skip_layer) keep_layer_skips(net, x, count);
  }
  finish_columns(net, x, count, outputs);
}

}  // namespace detail
}  // namespace grurt
