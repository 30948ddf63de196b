// The stand-alone activation layer (schema/grurt.fbs ActivationLayer):
// y = activation(x) elementwise, softmax over the whole vector.
#include <cstring>

#include "layer_kind.hpp"
#include "tensor_reader.hpp"

namespace grurt {
namespace detail {
namespace {

constexpr const char* kName = "activation";

Status read(const fb::Layer& layer, const ReadContext& at, LayerView* view, ErrorText& error) {
  const fb::ActivationLayer& activation = *layer.kind_as_ActivationLayer();
  Status status = check_size(activation.size(), "size", at, kName, error);
  if (status == Status::kOk) status = check_input(activation.size(), at, kName, error);
  if (status == Status::kOk) {
    status = read_activation(activation.activation(), kAnyActivation, at, kName, &view->activation, error);
  }
  if (status != Status::kOk) return status;
  view->kind = LayerKind::kActivation;
  view->input_size = activation.size();
  view->output_size = activation.size();
  view->padded_output = static_cast<std::uint32_t>(round_up_to_panel(activation.size()));
  return Status::kOk;
}

// Into a session vector, never in place: x may be a recurrent layer's state,
// which must keep h, not activation(h), for the next step.
const float* step(const LayerPlan& plan, const kernels::KernelTable& k, const float* x, float* y, float*) {
  std::memcpy(y, x, plan.view.output_size * sizeof(float));
  k.activate(plan.view.activation, y, plan.view.output_size);
  return y;
}

}  // namespace

extern const LayerKindOps kActivationKind = {LayerKind::kActivation, kName, fb::LayerKind::ActivationLayer, read,
                                             output_vector_needs, step, nullptr, nullptr, nullptr, nullptr};

}  // namespace detail
}  // namespace grurt
