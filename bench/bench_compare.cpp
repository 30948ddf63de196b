// grurt-bench-compare: one GRU or LSTM step at batch 1 on one thread, for the
// same (I, H) sizes, in grurt, LibTorch (nn::GRUCell, nn::LSTMCell) and oneDNN
// (lbr_gru, the PyTorch formulation; vanilla lstm_forward), beside this
// machine's bound; prints Markdown tables. All three libraries get the same
// weights, and their outputs are checked against grurt's first. Then grurt's
// int8 weights against LibTorch's dynamic int8 cell (quantize_dynamic's).
#include <torch/torch.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dnnl.hpp>
#include <random>
#include <unordered_map>
#include <vector>

#include "grurt/grurt.hpp"
#include "grurt/owned_session.hpp"
#include "machine_bound.hpp"
#include "random_cell.hpp"
#include "step_timer.hpp"
#include "tool_main.hpp"
#include "torch_int8_cell.hpp"

namespace {

using grurt::bench::CellKind;
using grurt::bench::CellWeights;

constexpr int kRepetitions = 9;

template <typename Step>
double median_ns(Step&& step) {
  return grurt::bench::time_steps(step, grurt::bench::calibrate_steps(step), kRepetitions).median_ns;
}

std::vector<float> random_floats(std::mt19937& rng, std::size_t n, float scale) {
  std::uniform_real_distribution<float> uniform(-scale, scale);
  std::vector<float> v(n);
  for (float& x : v) x = uniform(rng);
  return v;
}

// grurt on a one-layer model: the input is set apart from the step so that the
// timed step is only session.step(). `type`: how the weight matrices are stored.
class GrurtCell {
 public:
  explicit GrurtCell(const CellWeights& weights, grurt::ElementType type = grurt::ElementType::kF32)
      : x_(weights.input_size), h_(weights.hidden_size) {
    grurt::bench::load_cell_model(weights, type, cell_);
    if (session_.init(cell_.model) != grurt::Status::kOk) throw std::runtime_error(session_.error());
  }
  void reset() { session_.reset(); }
  void set_input(const float* x) { std::copy(x, x + x_.size(), x_.begin()); }
  void step() { session_.step(x_.data(), h_.data()); }
  const float* hidden() const { return h_.data(); }
  std::uint64_t parameters() const { return cell_.model.parameters(); }

 private:
  grurt::bench::CellModel cell_;
  grurt::OwnedSession session_;
  std::vector<float> x_, h_;
};

// The layout the weights arrive in: row-major [rows][cols] as a CPU tensor.
torch::Tensor as_tensor(const std::vector<float>& values, std::int64_t rows, std::int64_t cols) {
  return torch::from_blob(const_cast<float*>(values.data()), {rows, cols}).clone();  // from_blob does not copy
}

// LibTorch's GRUCell with grurt's weights: the same gate order r, z, n, the
// same two biases and the same formula (n = tanh(W_n x + bW_n + r (R_n h + bR_n))).
class TorchGru {
 public:
  explicit TorchGru(const CellWeights& weights) : cell_(weights.input_size, weights.hidden_size) {
    const std::int64_t I = weights.input_size, H = weights.hidden_size;
    torch::NoGradGuard no_grad;
    cell_->weight_ih.copy_(as_tensor(weights.w, 3 * H, I));
    cell_->weight_hh.copy_(as_tensor(weights.r, 3 * H, H));
    cell_->bias_ih.copy_(as_tensor(weights.bias_w, 1, 3 * H).view({3 * H}));
    cell_->bias_hh.copy_(as_tensor(weights.bias_r, 1, 3 * H).view({3 * H}));
    x_ = torch::zeros({1, I});
    reset();
  }
  void reset() { h_ = torch::zeros({1, cell_->options.hidden_size()}); }
  void set_input(const float* x) { std::memcpy(x_.data_ptr<float>(), x, x_.numel() * sizeof(float)); }
  void step() {
    torch::NoGradGuard no_grad;
    h_ = cell_->forward(x_, h_);
  }
  const float* hidden() const { return h_.data_ptr<float>(); }  // [1, H], contiguous

 private:
  torch::nn::GRUCell cell_;
  torch::Tensor x_, h_;
};

// LibTorch's LSTMCell with grurt's weights (the same gate order i, f, g, o and
// the same two biases).
class TorchLstm {
 public:
  explicit TorchLstm(const CellWeights& weights) : cell_(weights.input_size, weights.hidden_size) {
    const std::int64_t I = weights.input_size, H = weights.hidden_size;
    torch::NoGradGuard no_grad;
    cell_->weight_ih.copy_(as_tensor(weights.w, 4 * H, I));
    cell_->weight_hh.copy_(as_tensor(weights.r, 4 * H, H));
    cell_->bias_ih.copy_(as_tensor(weights.bias_w, 1, 4 * H).view({4 * H}));
    cell_->bias_hh.copy_(as_tensor(weights.bias_r, 1, 4 * H).view({4 * H}));
    x_ = torch::zeros({1, I});
    reset();
  }
  void reset() {
    h_ = torch::zeros({1, cell_->options.hidden_size()});
    c_ = torch::zeros({1, cell_->options.hidden_size()});
  }
  void set_input(const float* x) { std::memcpy(x_.data_ptr<float>(), x, x_.numel() * sizeof(float)); }
  void step() {
    torch::NoGradGuard no_grad;
    std::tie(h_, c_) = cell_->forward(x_, std::make_tuple(h_, c_));
  }
  const float* hidden() const { return h_.data_ptr<float>(); }  // [1, H], contiguous

 private:
  torch::nn::LSTMCell cell_;
  torch::Tensor x_, h_, c_;
};

// Where grurt's gate block g goes in oneDNN's gate order. LSTM: i, f, c~ (= g),
// o, the same. lbr_gru: u (= z), r, o (= n), where grurt has r, z, n.
std::size_t onednn_gate(CellKind kind, std::size_t grurt_gate) {
  static const std::size_t gru[3] = {1, 0, 2};
  return kind == CellKind::kGru ? gru[grurt_gate] : grurt_gate;
}

// Row-major gate blocks [G*H][cols] -> oneDNN's plain ldigo [cols][G][H]: each
// gate's block transposed, the gates in oneDNN's order.
std::vector<float> to_ldigo(CellKind kind, const std::vector<float>& rows, std::size_t H, std::size_t cols) {
  const std::size_t gates = grurt::bench::gate_count(kind);
  std::vector<float> ldigo(rows.size());
  for (std::size_t row = 0; row < gates * H; ++row) {
    const std::size_t gate = onednn_gate(kind, row / H), unit = row % H;
    for (std::size_t col = 0; col < cols; ++col) ldigo[(col * gates + gate) * H + unit] = rows[row * cols + col];
  }
  return ldigo;
}

// oneDNN's bias, 4 rows of H (ldgo). LSTM: bW + bR per gate. lbr_gru: bW + bR
// for u and r, bW_n for o, and bR_n last (it sits inside r * (R_n h + bR_n)).
std::vector<float> onednn_bias(const CellWeights& weights) {
  const std::size_t H = weights.hidden_size, gates = grurt::bench::gate_count(weights.kind);
  std::vector<float> bias(4 * H);
  for (std::size_t row = 0; row < gates * H; ++row) {
    const std::size_t gate = row / H, unit = row % H;
    const bool gru_candidate = weights.kind == CellKind::kGru && gate == 2;
    const float recurrent = gru_candidate ? 0.0f : weights.bias_r[row];
    bias[onednn_gate(weights.kind, gate) * H + unit] = weights.bias_w[row] + recurrent;
    if (gru_candidate) bias[3 * H + unit] = weights.bias_r[row];
  }
  return bias;
}

// oneDNN's lbr_gru (the PyTorch GRU) or vanilla LSTM with grurt's weights, one
// time step per call.
class OneDnnCell {
 public:
  explicit OneDnnCell(const CellWeights& weights);
  void reset() {
    std::memset(h_[0].get_data_handle(), 0, h_[0].get_desc().get_size());
    std::memset(c_[0].get_data_handle(), 0, c_[0].get_desc().get_size());
    current_ = 0;
  }
  void set_input(const float* x) { std::memcpy(x_.get_data_handle(), x, x_.get_desc().get_size()); }
  void step() {
    const int next = 1 - current_;  // the state ping-pongs between two buffers
    std::unordered_map<int, dnnl::memory> args = {
        {DNNL_ARG_SRC_LAYER, x_},      {DNNL_ARG_SRC_ITER, h_[current_]},   {DNNL_ARG_WEIGHTS_LAYER, weights_layer_},
        {DNNL_ARG_WEIGHTS_ITER, weights_iter_}, {DNNL_ARG_BIAS, bias_},     {DNNL_ARG_DST_LAYER, y_},
        {DNNL_ARG_DST_ITER, h_[next]}, {DNNL_ARG_WORKSPACE, workspace_}};
    if (kind_ == CellKind::kLstm) {
      args.insert({DNNL_ARG_SRC_ITER_C, c_[current_]});
      args.insert({DNNL_ARG_DST_ITER_C, c_[next]});
    }
    cell_.execute(stream_, args);
    stream_.wait();
    current_ = next;
  }
  const float* hidden() const { return static_cast<const float*>(y_.get_data_handle()); }

 private:
  dnnl::memory filled(const std::vector<float>& values, const dnnl::memory::desc& desc);
  dnnl::memory prepared(const std::vector<float>& ldigo, const dnnl::memory::desc& plain,
                        const dnnl::memory::desc& wanted);

  CellKind kind_;
  dnnl::engine engine_{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream_{engine_};
  dnnl::primitive cell_;
  dnnl::memory weights_layer_, weights_iter_, bias_, x_, y_, workspace_;
  dnnl::memory h_[2], c_[2];  // c_: the LSTM's cell state, unused by the GRU
  int current_ = 0;
};

dnnl::memory OneDnnCell::filled(const std::vector<float>& values, const dnnl::memory::desc& desc) {
  dnnl::memory m(desc, engine_);
  std::memcpy(m.get_data_handle(), values.data(), desc.get_size());
  return m;
}

// Weights from ldigo into whatever layout the primitive prefers, once.
dnnl::memory OneDnnCell::prepared(const std::vector<float>& ldigo, const dnnl::memory::desc& plain,
                                  const dnnl::memory::desc& wanted) {
  dnnl::memory source = filled(ldigo, plain), target(wanted, engine_);
  dnnl::reorder(source, target).execute(stream_, source, target);
  stream_.wait();
  return target;
}

OneDnnCell::OneDnnCell(const CellWeights& weights) : kind_(weights.kind) {
  using dnnl::memory;
  using tag = memory::format_tag;
  using dt = memory::data_type;
  const memory::dim I = weights.input_size, H = weights.hidden_size, G = grurt::bench::gate_count(kind_);
  const memory::desc src_layer({1, 1, I}, dt::f32, tag::tnc), dst_layer({1, 1, H}, dt::f32, tag::tnc);
  const memory::desc iter({1, 1, 1, H}, dt::f32, tag::ldnc);
  const memory::desc weights_layer_any({1, 1, I, G, H}, dt::f32, tag::any);
  const memory::desc weights_iter_any({1, 1, H, G, H}, dt::f32, tag::any);
  const memory::desc bias({1, 1, 4, H}, dt::f32, tag::ldgo);  // 4 rows for both (see onednn_bias)
  const auto forward = dnnl::prop_kind::forward_inference;
  const auto direction = dnnl::rnn_direction::unidirectional_left2right;
  memory::desc weights_layer_desc, weights_iter_desc, workspace_desc;
  if (kind_ == CellKind::kGru) {
    const dnnl::lbr_gru_forward::primitive_desc pd(
        {forward, direction, src_layer, iter, weights_layer_any, weights_iter_any, bias, dst_layer, iter}, engine_);
    cell_ = dnnl::lbr_gru_forward(pd);
    weights_layer_desc = pd.weights_layer_desc();
    weights_iter_desc = pd.weights_iter_desc();
    workspace_desc = pd.workspace_desc();
  } else {
    const dnnl::lstm_forward::primitive_desc pd({forward, direction, src_layer, iter, iter, weights_layer_any,
                                                 weights_iter_any, bias, dst_layer, iter, iter},
                                                engine_);
    cell_ = dnnl::lstm_forward(pd);
    weights_layer_desc = pd.weights_layer_desc();
    weights_iter_desc = pd.weights_iter_desc();
    workspace_desc = pd.workspace_desc();
  }
  weights_layer_ = prepared(to_ldigo(kind_, weights.w, H, I), memory::desc({1, 1, I, G, H}, dt::f32, tag::ldigo),
                            weights_layer_desc);
  weights_iter_ = prepared(to_ldigo(kind_, weights.r, H, H), memory::desc({1, 1, H, G, H}, dt::f32, tag::ldigo),
                           weights_iter_desc);
  bias_ = filled(onednn_bias(weights), bias);
  x_ = filled(std::vector<float>(I, 0.0f), src_layer);
  y_ = memory(dst_layer, engine_);
  workspace_ = memory(workspace_desc, engine_);
  for (int k = 0; k < 2; ++k) {
    h_[k] = memory(iter, engine_);
    c_[k] = memory(iter, engine_);
  }
  reset();
}

// Largest |h - h_grurt| over `steps` steps from the zero state on the same
// random inputs: the libraries must compute the same cell or the timings mean nothing.
template <typename Cell>
float max_difference(GrurtCell& grurt_cell, Cell& other, const CellWeights& weights, int steps) {
  std::mt19937 rng(7);
  grurt_cell.reset();
  other.reset();
  float worst = 0.0f;
  for (int t = 0; t < steps; ++t) {
    const std::vector<float> x = random_floats(rng, weights.input_size, 1.0f);
    grurt_cell.set_input(x.data());
    other.set_input(x.data());
    grurt_cell.step();
    other.step();
    for (std::uint32_t k = 0; k < weights.hidden_size; ++k) {
      // Written so that a NaN on either side becomes the worst difference.
      const float difference = std::fabs(grurt_cell.hidden()[k] - other.hidden()[k]);
      if (!(difference <= worst)) worst = difference;
    }
  }
  return worst;
}

// Times `cell` stepping on one fixed random input.
template <typename Cell>
double cell_ns(Cell& cell, const CellWeights& weights) {
  std::mt19937 rng(11);
  const std::vector<float> x = random_floats(rng, weights.input_size, 1.0f);
  cell.reset();
  cell.set_input(x.data());
  return median_ns([&] { cell.step(); });
}

void print_table_header() {
  std::printf("| I | H | weights | bound ns | grurt ns | grurt/bound | LibTorch ns | oneDNN ns | LibTorch/grurt | oneDNN/grurt |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
}

void print_row(std::uint32_t I, std::uint32_t H, double bytes, double bound, double g, double t, double d) {
  std::printf("| %u | %u | %.0f KB | %.1f | %.1f | %.2fx | %.1f | %.1f | %.1fx | %.1fx |\n", I, H, bytes / 1024.0, bound,
              g, g / bound, t, d, t / g, d / g);
  std::fflush(stdout);
}

// Agreement of LibTorch's and oneDNN's h with grurt's, per size.
struct Agreement {
  std::uint32_t I, H;
  float torch, onednn;
};

constexpr int kCheckSteps = 8;
constexpr float kCheckTolerance = 1e-4f;  // float32 sums in different orders over <= 768 terms

// One row: the three libraries on the same weights, checked, then timed.
template <typename TorchCell>
Agreement compare_size(const CellWeights& weights, double peak) {
  GrurtCell grurt_cell(weights);
  TorchCell torch_cell(weights);
  OneDnnCell onednn_cell(weights);
  const Agreement agreement{weights.input_size, weights.hidden_size,
                            max_difference(grurt_cell, torch_cell, weights, kCheckSteps),
                            max_difference(grurt_cell, onednn_cell, weights, kCheckSteps)};
  const double params = static_cast<double>(grurt_cell.parameters());  // G*H*(I+H) + 2*G*H
  const double bytes = params * sizeof(float);
  const double bound = grurt::bench::step_bound_ns(bytes, 2.0 * params, peak);
  const double g = cell_ns(grurt_cell, weights), t = cell_ns(torch_cell, weights), d = cell_ns(onednn_cell, weights);
  print_row(weights.input_size, weights.hidden_size, bytes, bound, g, t, d);
  return agreement;
}

// One int8 row: grurt's int8 weights (per row) and LibTorch's dynamic int8 cell
// (per tensor), timed, and each one's h against grurt f32's. The int8 rounding
// moves h by ~1e-3 either way: a sanity check, not a test, so no tolerance.
void compare_int8_size(const CellWeights& weights) {
  GrurtCell reference(weights), grurt_int8(weights, grurt::ElementType::kI8);
  grurt::bench::TorchInt8Cell torch_int8(weights);
  const float grurt_error = max_difference(reference, grurt_int8, weights, kCheckSteps);
  const float torch_error = max_difference(reference, torch_int8, weights, kCheckSteps);
  const double g = cell_ns(grurt_int8, weights), t = cell_ns(torch_int8, weights);
  std::printf("| %u | %u | %.1f | %.1f | %.1fx | %.1e | %.1e |\n", weights.input_size, weights.hidden_size, g, t,
              t / g, grurt_error, torch_error);
  std::fflush(stdout);
}

void compare_int8_kind(CellKind kind) {
  const bool gru = kind == CellKind::kGru;
  std::printf("\n%s int8: grurt int8 weights (symmetric per row, input quantized per vector) against LibTorch's\n"
              "quantize_dynamic nn::%s (qint8 per tensor, quantized::quantized_%s_cell_dynamic, engine %s);\n"
              "max |h - h_grurt_f32| over %d steps from the zero state\n\n",
              gru ? "GRU" : "LSTM", gru ? "GRUCell" : "LSTMCell", gru ? "gru" : "lstm",
              grurt::bench::torch_int8_engine(), kCheckSteps);
  std::printf("| I | H | grurt int8 ns | LibTorch int8 ns | LibTorch-int8/grurt-int8 | grurt int8 vs f32 | LibTorch int8 vs f32 |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  for (const grurt::bench::CellSize& size : grurt::bench::standard_sizes(kind)) {
    compare_int8_size(grurt::bench::random_cell_weights(kind, size.input_size, size.hidden_size));
  }
}

// The timing table of one kind at the README's sizes, then the output check;
// false when a library's outputs differ from grurt's by more than the tolerance.
bool compare_kind(CellKind kind, double peak) {
  const bool gru = kind == CellKind::kGru;
  std::printf("%s (LibTorch nn::%s, oneDNN %s; the same weights in all three)\n\n", gru ? "GRU" : "LSTM",
              gru ? "GRUCell" : "LSTMCell", gru ? "lbr_gru" : "vanilla lstm_forward");
  print_table_header();
  std::vector<Agreement> agreements;
  for (const grurt::bench::CellSize& size : grurt::bench::standard_sizes(kind)) {
    const CellWeights weights = grurt::bench::random_cell_weights(kind, size.input_size, size.hidden_size);
    agreements.push_back(gru ? compare_size<TorchGru>(weights, peak) : compare_size<TorchLstm>(weights, peak));
  }
  std::printf("\n%s outputs against grurt's, same weights, %d steps from the zero state (max |h - h_grurt|):\n\n",
              gru ? "GRU" : "LSTM", kCheckSteps);
  std::printf("| I | H | LibTorch | oneDNN |\n|---|---|---|---|\n");
  bool agree = true;
  for (const Agreement& a : agreements) {
    const bool ok = a.torch <= kCheckTolerance && a.onednn <= kCheckTolerance;
    std::printf("| %u | %u | %.1e | %.1e |%s\n", a.I, a.H, a.torch, a.onednn, ok ? "" : " DIFFERS");
    agree = agree && ok;
  }
  compare_int8_kind(kind);
  return agree;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Times one GRU and/or LSTM step at batch 1 on one thread in grurt, LibTorch and oneDNN at the\n"
               "README's sizes, beside this machine's bound (weights read at the measured bandwidth, or FLOPs at\n"
               "peak FMA rate). The three share their weights and their outputs are checked against grurt's\n"
               "(exit 1 if they differ by more than 1e-4). Then grurt's int8 weights against LibTorch's dynamic\n"
               "int8 cell (quantize_dynamic's), with each one's distance from grurt f32 (printed, not checked).",
               "grurt-bench-compare"};
  app.set_version_flag("--version", std::string("grurt-bench-compare ") + grurt::kVersion);
  std::string kind = "all";
  app.add_option("--kind", kind, "gru, lstm or all")
      ->check(CLI::IsMember({"gru", "lstm", "all"}))
      ->capture_default_str();
  return grurt::tools::run_tool(app, argc, argv, [&] {
    setenv("OMP_NUM_THREADS", "1", 1);  // before either library starts its thread pool
    at::set_num_threads(1);
    const double peak = grurt::bench::peak_gflops();
    std::printf("grurt-bench-compare %s: one step, batch 1, one thread; grurt isa %s\n", grurt::kVersion,
                grurt::isa_name(grurt::best_isa()));
    std::printf("peak FMA rate measured: %.1f GFLOP/s (%s)\n\n", peak, grurt::bench::bound_isa());
    bool agree = true;
    if (kind != "lstm") agree = compare_kind(CellKind::kGru, peak) && agree;
    if (kind == "all") std::printf("\n");
    if (kind != "gru") agree = compare_kind(CellKind::kLstm, peak) && agree;
    return agree ? 0 : 1;
  });
}
