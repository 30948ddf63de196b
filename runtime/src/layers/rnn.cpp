// The Elman RNN layer (schema/grurt.fbs RnnLayer), rows padded to whole panels:
//   h' = activation(W x + bW + R h + bR),  activation tanh or relu.
#include "layer_kind.hpp"
#include "tensor_reader.hpp"

namespace grurt {
namespace detail {
namespace {

constexpr const char* kName = "rnn";
constexpr unsigned kRnnActivations = (1u << static_cast<int>(Activation::kTanh)) |
                                     (1u << static_cast<int>(Activation::kRelu));

Status read(const fb::Layer& layer, const ReadContext& at, LayerView* view, ErrorText& error) {
  const fb::RnnLayer& rnn = *layer.kind_as_RnnLayer();
  const std::uint32_t I = rnn.input_size();
  const std::uint32_t H = rnn.hidden_size();
  Status status = check_layer_sizes(I, H, "hidden size H", at, kName, error);
  if (status == Status::kOk) {
    status = read_activation(rnn.activation(), kRnnActivations, at, kName, &view->activation, error);
  }
  if (status == Status::kOk) {
    status = read_matrix(rnn.w(), {"W", H, I, "H x I", true, 1}, at, kName, &view->weight, error);
  }
  if (status == Status::kOk) {
    status = read_matrix(rnn.r(), {"R", H, H, "H x H", true, 1}, at, kName, &view->recurrent, error);
  }
  if (status == Status::kOk) {
    status = read_vector(rnn.bias_w(), {"bW", H, 1, "H x 1", false, 1}, at, kName, &view->bias, error);
  }
  if (status == Status::kOk) {
    status = read_vector(rnn.bias_r(), {"bR", H, 1, "H x 1", false, 1}, at, kName, &view->recurrent_bias, error);
  }
  if (status == Status::kOk) {
    status = read_vector(rnn.initial_state(), {"initial_state", H, 1, "H x 1", false, 1}, at, kName,
                         &view->initial_state, error);
  }
  if (status != Status::kOk) return status;
  view->kind = LayerKind::kRnn;
  view->input_size = I;
  view->output_size = H;
  view->padded_output = static_cast<std::uint32_t>(round_up_to_panel(H));
  const std::uint64_t h = H;
  view->parameters = h * I + h * H + (view->bias ? h : 0) + (view->recurrent_bias ? h : 0);
  return Status::kOk;
}

LayerNeeds needs(const LayerView& view) {
  LayerNeeds needs;
  needs.state[0] = view.output_size;
  needs.scratch = 2u * std::size_t{view.padded_output} + matrix_work_floats(view);  // W x + bW, R h + bR, work
  needs.projection = view.padded_output;
  needs.stream_scratch = kernels::kMaxGemmSteps * std::size_t{view.padded_output} + matrix_work_floats(view);
  return needs;
}

// From gx = W x + bW [hp]: h = activation(gx + R h + bR).
const float* recur(const LayerPlan& plan, const kernels::KernelTable& k, float* gx, float* scratch) {
  const LayerView& layer = plan.view;
  float* h = plan.state[0];
  float* gh = scratch + layer.padded_output;
  kernels::gemv_first_rows(k, layer.recurrent, layer.output_size, h, layer.recurrent_bias, gh,
                           scratch + 2 * layer.padded_output);
  k.rnn_update(gx, gh, layer.output_size, layer.activation, h);
  return h;
}

// recur() for several streams: R read once for all of them.
Columns recur_streams(const LayerPlan& plan, const kernels::KernelTable& k, std::uint32_t streams,
                      Columns gx, std::size_t state_offset, std::size_t state_stride, float* scratch) {
  const LayerView& layer = plan.view;
  const std::uint32_t hp = layer.padded_output;
  float* h = plan.state[0] + state_offset;  // the first stream's
  float* gh = scratch;  // [streams][hp]
  kernels::gemm(k, layer.recurrent, h, state_stride, streams, layer.recurrent_bias, gh, hp,
                scratch + kernels::kMaxGemmSteps * hp);
  for (std::uint32_t j = 0; j < streams; ++j) {
    k.rnn_update(gx.data + j * gx.stride, gh + j * hp, layer.output_size, layer.activation, h + j * state_stride);
  }
  return {h, state_stride};
}

const float* step(const LayerPlan& plan, const kernels::KernelTable& k, const float* x, float*, float* scratch) {
  kernels::gemv_first_rows(k, plan.view.weight, plan.view.output_size, x, plan.view.bias, scratch,
                           scratch + 2 * plan.view.padded_output);
  return recur(plan, k, scratch, scratch);
}

}  // namespace

extern const LayerKindOps kRnnKind = {LayerKind::kRnn, kName, fb::LayerKind::RnnLayer, read, needs, step, project_input,
                                      recur, recur_streams, nullptr};

}  // namespace detail
}  // namespace grurt
