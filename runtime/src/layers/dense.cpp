// The dense layer (schema/grurt.fbs DenseLayer): y = activation(weight x + bias),
// the output rows padded to whole panels.
#include "layer_kind.hpp"
#include "tensor_reader.hpp"

namespace grurt {
namespace detail {
namespace {

constexpr const char* kName = "dense";

Status read(const fb::Layer& layer, const ReadContext& at, LayerView* view, ErrorText& error) {
  const fb::DenseLayer& dense = *layer.kind_as_DenseLayer();
  const std::uint32_t I = dense.input_size();
  const std::uint32_t O = dense.output_size();
  Status status = check_layer_sizes(I, O, "output size O", at, kName, error);
  if (status == Status::kOk) {
    status = read_activation(dense.activation(), kAnyActivation, at, kName, &view->activation, error);
  }
  if (status == Status::kOk) {
    status = read_matrix(dense.weight(), {"weight", O, I, "O x I", true, 1}, at, kName, &view->weight, error);
  }
  if (status == Status::kOk) {
    status = read_vector(dense.bias(), {"bias", O, 1, "O x 1", false, 1}, at, kName, &view->bias, error);
  }
  if (status != Status::kOk) return status;
  view->kind = LayerKind::kDense;
  view->input_size = I;
  view->output_size = O;
  view->padded_output = static_cast<std::uint32_t>(round_up_to_panel(O));
  view->parameters = std::uint64_t{O} * I + (view->bias ? O : 0);
  return Status::kOk;
}

// Its output vector, and scratch for the product's work.
LayerNeeds needs(const LayerView& view) {
  LayerNeeds needs = output_vector_needs(view);
  needs.scratch = matrix_work_floats(view);
  needs.projection = view.padded_output;  // block steps: the products, activated in place
  return needs;
}

const float* step(const LayerPlan& plan, const kernels::KernelTable& k, const float* x, float* y, float* scratch) {
  kernels::gemv_first_rows(k, plan.view.weight, plan.view.output_size, x, plan.view.bias, y, scratch);
  k.activate(plan.view.activation, y, plan.view.output_size);
  return y;
}

// Block steps: project_input() has computed weight x + bias for every
// column; the activation finishes each in place.
const float* recur(const LayerPlan& plan, const kernels::KernelTable& k, float* y, float*) {
  k.activate(plan.view.activation, y, plan.view.output_size);
  return y;
}

Columns recur_streams(const LayerPlan& plan, const kernels::KernelTable& k, std::uint32_t streams, Columns y,
                      std::size_t, std::size_t, float* scratch) {
  for (std::uint32_t j = 0; j < streams; ++j) recur(plan, k, y.data + j * y.stride, scratch);
  return y;
}

}  // namespace

extern const LayerKindOps kDenseKind = {LayerKind::kDense, kName, fb::LayerKind::DenseLayer, read, needs, step,
                                        project_input, recur, recur_streams, nullptr};

}  // namespace detail
}  // namespace grurt
