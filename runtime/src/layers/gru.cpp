// The GRU layer, in grurt's canonical form (schema/grurt.fbs GruLayer): gate
// rows r, z, n, each block padded to whole panels (hp rows);
//   r = sigmoid(W_r x + bW_r + R_r h + bR_r),  z = sigmoid(W_z x + bW_z + R_z h + bR_z)
//   reset after:  n = tanh(W_n x + bW_n + r * (R_n h + bR_n))
//   reset before: n = tanh(W_n x + bW_n + R_n (r * h) + bR_n)
//   h' = n + z * (h - n)
// Variants (schema fields): tanh in n may be relu (candidate_activation), and
// sigmoid in r and z may be clip(slope * x + offset, 0, 1) (gate_activation).
#include "gate_reader.hpp"
#include "layer_kind.hpp"
#include "tensor_reader.hpp"

namespace grurt {
namespace detail {
namespace {

constexpr const char* kName = "gru";

// candidate_activation: tanh (default) or relu; anything else is refused by
// name, so a file meant for a newer runtime is never run with the wrong n.
Status read_candidate(const fb::GruLayer& gru, const ReadContext& at, LayerView* view, ErrorText& error) {
  const auto value = static_cast<std::uint32_t>(gru.candidate_activation());
  if (value == static_cast<std::uint32_t>(Activation::kTanh) || value == static_cast<std::uint32_t>(Activation::kRelu)) {
    view->activation = static_cast<Activation>(value);
    return Status::kOk;
  }
  auto& message = fail_at(error, Status::kUnsupportedLayer, at, kName) << "candidate_activation ";
  if (value <= static_cast<std::uint32_t>(Activation::kSoftmax)) {
    message << activation_name(static_cast<Activation>(value));
  } else {
    message << value << " (unknown)";
  }
  return message << " is not allowed; a GRU's candidate activation is tanh or relu";
}

Status read(const fb::Layer& layer, const ReadContext& at, LayerView* view, ErrorText& error) {
  const fb::GruLayer& gru = *layer.kind_as_GruLayer();
  const std::uint32_t I = gru.input_size();
  const std::uint32_t H = gru.hidden_size();
  Status status = check_layer_sizes(I, H, "hidden size H", at, kName, error);
  if (status == Status::kOk) status = read_candidate(gru, at, view, error);
  if (status == Status::kOk) status = read_gate_activation(gru, at, kName, view, error);
  if (status != Status::kOk) return status;
  const std::uint64_t gates = 3ull * H;
  status = read_matrix(gru.w(), {"W", gates, I, "3*H x I", true, 3}, at, kName, &view->weight, error);
  if (status == Status::kOk) {
    status = read_matrix(gru.r(), {"R", gates, H, "3*H x H", true, 3}, at, kName, &view->recurrent, error);
  }
  if (status == Status::kOk) {
    status = read_vector(gru.bias_w(), {"bW", gates, 1, "3*H x 1", false, 3}, at, kName, &view->bias, error);
  }
  if (status == Status::kOk) {
    status = read_vector(gru.bias_r(), {"bR", gates, 1, "3*H x 1", false, 3}, at, kName, &view->recurrent_bias,
                         error);
  }
  if (status == Status::kOk) {
    status = read_vector(gru.initial_state(), {"initial_state", H, 1, "H x 1", false, 1}, at, kName,
                         &view->initial_state, error);
  }
  if (status != Status::kOk) return status;
  view->kind = LayerKind::kGru;
  view->input_size = I;
  view->output_size = H;
  view->padded_output = static_cast<std::uint32_t>(round_up_to_panel(H));
  view->reset_after = gru.reset_after();  // activation and gate fields: read_candidate, read_gate_activation
  view->parameters = gates * I + gates * H + (view->bias ? gates : 0) + (view->recurrent_bias ? gates : 0);
  return Status::kOk;
}

LayerNeeds needs(const LayerView& view) {
  LayerNeeds needs;
  needs.state[0] = view.output_size;
  // gx [3hp], gh [3hp], r * h [hp], then the products' work
  needs.scratch = 7u * std::size_t{view.padded_output} + matrix_work_floats(view);
  needs.projection = 3u * std::size_t{view.padded_output};
  // Per stream gh [3hp] and r * h [hp], then the work.
  needs.stream_scratch = kernels::kMaxGemmSteps * 4u * std::size_t{view.padded_output} + matrix_work_floats(view);
  return needs;
}

// The kernels' view of the layer's gate and candidate activations.
kernels::GruActivations activations_of(const LayerView& layer) {
  kernels::GruActivations a;
  static_cast<kernels::GateActivations&>(a) = gate_activations_of(layer);
  a.relu_candidate = layer.activation == Activation::kRelu;
  return a;
}

// The recurrent half of a step, from gx = W x + bW [3hp].
const float* recur(const LayerPlan& plan, const kernels::KernelTable& k, float* gx, float* scratch) {
  const LayerView& layer = plan.view;
  const kernels::GruActivations a = activations_of(layer);
  float* h = plan.state[0];
  const std::uint32_t H = layer.output_size;
  const std::uint32_t hp = layer.padded_output;
  const std::uint32_t gate_panels = hp / kPanelRows;
  float* gh = scratch + 3 * hp;  // [3hp] recurrent part
  float* rh = scratch + 6 * hp;  // [hp]  r * h (reset before)
  float* work = scratch + 7 * hp;
  if (layer.reset_after) {
    kernels::gemv(k, layer.recurrent, h, layer.recurrent_bias, gh, work);
    k.gru_update_reset_after(gx, gh, hp, H, a, h);
    return h;
  }
  // R_n multiplies r * h, so r comes first: gates r and z, then n.
  const float* bR = layer.recurrent_bias;
  kernels::gemv(k, layer.recurrent, 2 * gate_panels, h, bR, gh, work);
  k.gru_reset_hidden(gx, gh, h, H, a, rh);
  kernels::gemv(k, kernels::panel_rows(layer.recurrent, 2 * hp), gate_panels, rh, bR != nullptr ? bR + 2 * hp : nullptr,
                gh + 2 * hp, work);
  k.gru_update_reset_before(gx, gh, hp, H, a, h);
  return h;
}

// recur() for several streams: R is read once for all of them (a GEMM whose
// columns are the streams' h), then each stream's gate math as in recur().
Columns recur_streams(const LayerPlan& plan, const kernels::KernelTable& k, std::uint32_t streams,
                      Columns gx, std::size_t state_offset, std::size_t state_stride, float* scratch) {
  const LayerView& layer = plan.view;
  const kernels::GruActivations a = activations_of(layer);
  const std::uint32_t H = layer.output_size;
  const std::uint32_t hp = layer.padded_output;
  const std::uint32_t gate_panels = hp / kPanelRows;
  float* h = plan.state[0] + state_offset;  // the first stream's
  float* gh = scratch;                                  // [streams][3hp]
  float* rh = scratch + kernels::kMaxGemmSteps * 3 * hp;  // [streams][hp]
  float* work = rh + kernels::kMaxGemmSteps * hp;
  const float* bR = layer.recurrent_bias;
  if (layer.reset_after) {
    kernels::gemm(k, layer.recurrent, h, state_stride, streams, bR, gh, 3 * hp, work);
    for (std::uint32_t j = 0; j < streams; ++j) {
      k.gru_update_reset_after(gx.data + j * gx.stride, gh + j * 3 * hp, hp, H, a, h + j * state_stride);
    }
    return {h, state_stride};
  }
  kernels::gemm(k, layer.recurrent, 2 * gate_panels, h, state_stride, streams, bR, gh, 3 * hp, work);
  for (std::uint32_t j = 0; j < streams; ++j) {
    k.gru_reset_hidden(gx.data + j * gx.stride, gh + j * 3 * hp, h + j * state_stride, H, a, rh + j * hp);
  }
  kernels::gemm(k, kernels::panel_rows(layer.recurrent, 2 * hp), gate_panels, rh, hp, streams,
                bR != nullptr ? bR + 2 * hp : nullptr, gh + 2 * hp, 3 * hp, work);
  for (std::uint32_t j = 0; j < streams; ++j) {
    k.gru_update_reset_before(gx.data + j * gx.stride, gh + j * 3 * hp, hp, H, a, h + j * state_stride);
  }
  return {h, state_stride};
}

// Gate products (biases fused into the GEMV), then the elementwise gate math.
// Block steps call project_input() for several columns, then recur() or recur_streams().
const float* step(const LayerPlan& plan, const kernels::KernelTable& k, const float* x, float*, float* scratch) {
  float* gx = scratch;  // [3hp] W x + bW
  kernels::gemv(k, plan.view.weight, x, plan.view.bias, gx, scratch + 7 * plan.view.padded_output);
  return recur(plan, k, gx, scratch);
}

// The kernels' fused step (all gates and the gate math in one call) for a
// small GRU with the standard activations.
kernels::CellStep fused_step(const LayerView& view, const kernels::KernelTable& k) {
  if (!activations_of(view).standard()) return nullptr;
  return kernels::small_cell_step(k, k.small.gru, view, view.output_size);
}

}  // namespace

extern const LayerKindOps kGruKind = {LayerKind::kGru, kName, fb::LayerKind::GruLayer, read, needs, step, project_input,
                                      recur, recur_streams, kernels::kFusedCellsBuilt ? fused_step : nullptr};

}  // namespace detail
}  // namespace grurt
