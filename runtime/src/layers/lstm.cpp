// The LSTM layer, in grurt's canonical form (schema/grurt.fbs LstmLayer): gate
// rows i, f, g, o, each block padded to whole panels (hp rows);
//   i = sigmoid(W_i x + bW_i + R_i h + bR_i + p_i c)   f = sigmoid(... + p_f c)
//   g = tanh(W_g x + bW_g + R_g h + bR_g)              c' = f c + i g
//   o = sigmoid(W_o x + bW_o + R_o h + bR_o + p_o c')  h' = o tanh(c')
// and with a projection h' = projection (o tanh(c')), h then having P values.
// The sigmoid in i, f and o may be clip(slope * x + offset, 0, 1) (gate_activation).
// State: h [P or H], then c [H].
#include "gate_reader.hpp"
#include "layer_kind.hpp"
#include "tensor_reader.hpp"

namespace grurt {
namespace detail {
namespace {

constexpr const char* kName = "lstm";

// projection_size P and the projection tensor go together: P > 0 needs the
// [P x H] matrix, P = 0 must not have one (it would be silently ignored).
Status read_projection(const fb::LstmLayer& lstm, const ReadContext& at, LayerView* view, ErrorText& error) {
  const std::uint32_t P = lstm.projection_size();
  const std::uint32_t H = lstm.hidden_size();
  if (P == 0) {
    if (lstm.projection() == nullptr) return Status::kOk;
    return fail_at(error, Status::kInvalidModel, at, kName)
           << "tensor projection is present but projection_size is 0; expected no projection tensor, or "
              "projection_size = its rows";
  }
  const Status status = check_size(P, "projection size P", at, kName, error);
  if (status != Status::kOk) return status;
  return read_matrix(lstm.projection(), {"projection", P, H, "P x H", true, 1}, at, kName, &view->projection, error);
}

Status read(const fb::Layer& layer, const ReadContext& at, LayerView* view, ErrorText& error) {
  const fb::LstmLayer& lstm = *layer.kind_as_LstmLayer();
  const std::uint32_t I = lstm.input_size();
  const std::uint32_t H = lstm.hidden_size();
  Status status = check_layer_sizes(I, H, "hidden size H", at, kName, error);
  if (status == Status::kOk) status = read_gate_activation(lstm, at, kName, view, error);
  if (status == Status::kOk) status = read_projection(lstm, at, view, error);
  if (status != Status::kOk) return status;
  const std::uint32_t P = lstm.projection_size() != 0 ? lstm.projection_size() : H;
  const std::uint64_t gates = 4ull * H;
  status = read_matrix(lstm.w(), {"W", gates, I, "4*H x I", true, 4}, at, kName, &view->weight, error);
  if (status == Status::kOk) {
    const char* formula = lstm.projection_size() != 0 ? "4*H x P" : "4*H x H";
    status = read_matrix(lstm.r(), {"R", gates, P, formula, true, 4}, at, kName, &view->recurrent, error);
  }
  if (status == Status::kOk) {
    status = read_vector(lstm.bias_w(), {"bW", gates, 1, "4*H x 1", false, 4}, at, kName, &view->bias, error);
  }
  if (status == Status::kOk) {
    status = read_vector(lstm.bias_r(), {"bR", gates, 1, "4*H x 1", false, 4}, at, kName, &view->recurrent_bias, error);
  }
  if (status == Status::kOk) {
    status = read_vector(lstm.peephole(), {"peephole", 3ull * H, 1, "3*H x 1", false, 3}, at, kName, &view->peephole,
                         error);
  }
  if (status == Status::kOk) {
    const char* formula = lstm.projection_size() != 0 ? "P+H x 1" : "H+H x 1";
    status = read_vector(lstm.initial_state(), {"initial_state", std::uint64_t{P} + H, 1, formula, false, 1}, at,
                         kName, &view->initial_state, error);
  }
  if (status != Status::kOk) return status;
  view->kind = LayerKind::kLstm;
  view->input_size = I;
  view->output_size = P;
  view->padded_output = static_cast<std::uint32_t>(round_up_to_panel(P));
  view->cell_size = H;
  view->parameters = gates * I + gates * P + (view->bias ? gates : 0) + (view->recurrent_bias ? gates : 0) +
                     (view->peephole ? 3ull * H : 0) + (lstm.projection_size() != 0 ? std::uint64_t{P} * H : 0);
  return Status::kOk;
}

std::size_t padded_cell(const LayerView& view) { return round_up_to_panel(view.cell_size); }

// Where the products' work starts in scratch, after the gate vectors.
std::size_t work_offset(const LayerView& view) {
  return (view.projection.data != nullptr ? 9u : 8u) * padded_cell(view);
}

LayerNeeds needs(const LayerView& view) {
  LayerNeeds needs;
  needs.state[0] = view.output_size;  // h
  needs.state[1] = view.cell_size;    // c
  // gx [4hp], gh [4hp], and with a projection o * tanh(c') [hp] before it is projected.
  // Then the products' work.
  needs.scratch = work_offset(view) + matrix_work_floats(view);
  needs.projection = 4u * padded_cell(view);
  // Per stream gh [4hp] and o * tanh(c') [hp], then the work.
  needs.stream_scratch = kernels::kMaxGemmSteps * 5u * padded_cell(view) + matrix_work_floats(view);
  return needs;
}

// The recurrent half of a step, from gx = W x + bW [4hp]: all four gates'
// R h in one pass over R, then the gate math.
const float* recur(const LayerPlan& plan, const kernels::KernelTable& k, float* gx, float* scratch) {
  const LayerView& layer = plan.view;
  const kernels::GateActivations a = gate_activations_of(layer);
  float* h = plan.state[0];
  float* c = plan.state[1];
  const auto hp = static_cast<std::uint32_t>(padded_cell(layer));
  float* gh = scratch + 4 * hp;
  float* work = scratch + work_offset(layer);
  kernels::gemv(k, layer.recurrent, h, layer.recurrent_bias, gh, work);
  if (layer.projection.data == nullptr) {
    k.lstm_update(gx, gh, layer.peephole, hp, layer.cell_size, a, c, h);
    return h;
  }
  float* unprojected = scratch + 8 * hp;
  k.lstm_update(gx, gh, layer.peephole, hp, layer.cell_size, a, c, unprojected);
  kernels::gemv_first_rows(k, layer.projection, layer.projection.rows, unprojected, nullptr, h, work);
  return h;
}

// recur() for several streams: R (and the projection) read once for all of
// them, each stream's gate math as in recur().
Columns recur_streams(const LayerPlan& plan, const kernels::KernelTable& k, std::uint32_t streams,
                      Columns gx, std::size_t state_offset, std::size_t state_stride, float* scratch) {
  const LayerView& layer = plan.view;
  const kernels::GateActivations a = gate_activations_of(layer);
  const auto hp = static_cast<std::uint32_t>(padded_cell(layer));
  float* h = plan.state[0] + state_offset;  // the first stream's
  float* c = plan.state[1] + state_offset;
  float* gh = scratch;                                         // [streams][4hp]
  float* unprojected = scratch + kernels::kMaxGemmSteps * 4 * hp;  // [streams][hp]
  float* work = unprojected + kernels::kMaxGemmSteps * hp;
  kernels::gemm(k, layer.recurrent, h, state_stride, streams, layer.recurrent_bias, gh, 4 * hp, work);
  const bool projected = layer.projection.data != nullptr;
  for (std::uint32_t j = 0; j < streams; ++j) {
    k.lstm_update(gx.data + j * gx.stride, gh + j * 4 * hp, layer.peephole, hp, layer.cell_size, a,
                  c + j * state_stride, projected ? unprojected + j * hp : h + j * state_stride);
  }
  if (projected) {
    kernels::gemm(k, layer.projection, unprojected, hp, streams, nullptr, h, state_stride, work);
  }
  return {h, state_stride};
}

const float* step(const LayerPlan& plan, const kernels::KernelTable& k, const float* x, float*, float* scratch) {
  float* gx = scratch;  // [4hp] W x + bW
  kernels::gemv(k, plan.view.weight, x, plan.view.bias, gx, scratch + work_offset(plan.view));
  return recur(plan, k, gx, scratch);
}

// The kernels' fused step (all gates and the gate math in one call) for a
// small LSTM with sigmoid gates and no projection. (The field is tested
// directly: a third call of gate_activations_of() kept it from being inlined
// into the Cortex-M step, 9 instructions more per step.)
kernels::CellStep fused_step(const LayerView& view, const kernels::KernelTable& k) {
  if (view.gate_activation != GateActivation::kSigmoid || view.projection.data != nullptr) return nullptr;
  return kernels::small_cell_step(k, k.small.lstm, view, view.cell_size);
}

}  // namespace

extern const LayerKindOps kLstmKind = {LayerKind::kLstm, kName, fb::LayerKind::LstmLayer, read, needs, step,
                                       project_input, recur, recur_streams,
                                       kernels::kFusedCellsBuilt ? fused_step : nullptr};

}  // namespace detail
}  // namespace grurt
