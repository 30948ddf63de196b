// grurt-bench-compare: one GRU or LSTM step at batch 1 on one thread, for the
// same (I, H) sizes, in grurt, LibTorch (nn::GRUCell, nn::LSTMCell) and oneDNN
// (lbr_gru, the PyTorch formulation; vanilla lstm_forward), beside this
// machine's bound; prints Markdown tables. The LSTMs of all three libraries get
// the same weights, and their outputs are checked against grurt's first.
#include <torch/torch.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dnnl.hpp>
#include <random>
#include <vector>

#include "grurt/grurt.hpp"
#include "grurt/owned_session.hpp"
#include "machine_bound.hpp"
#include "random_cell.hpp"
#include "step_timer.hpp"
#include "tool_main.hpp"

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
// timed step is only session.step().
class GrurtCell {
 public:
  explicit GrurtCell(const CellWeights& weights) : x_(weights.input_size), h_(weights.hidden_size) {
    grurt::bench::load_cell_model(weights, cell_);
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

// oneDNN's vanilla LSTM, one time step per call. Its gates are i, f, c~ (= g),
// o as grurt's, but its plain weights are ldigo: [layer][direction][input][gate]
// [hidden], the transpose of each gate's block, and it has one bias (bW + bR).
class OneDnnLstm {
 public:
  explicit OneDnnLstm(const CellWeights& weights);
  void reset() {
    std::memset(h_[0].get_data_handle(), 0, h_[0].get_desc().get_size());
    std::memset(c_[0].get_data_handle(), 0, c_[0].get_desc().get_size());
    current_ = 0;
  }
  void set_input(const float* x) { std::memcpy(x_.get_data_handle(), x, x_.get_desc().get_size()); }
  void step() {
    const int next = 1 - current_;  // the state ping-pongs between two buffers
    lstm_.execute(stream_, {{DNNL_ARG_SRC_LAYER, x_}, {DNNL_ARG_SRC_ITER, h_[current_]},
                            {DNNL_ARG_SRC_ITER_C, c_[current_]}, {DNNL_ARG_WEIGHTS_LAYER, weights_layer_},
                            {DNNL_ARG_WEIGHTS_ITER, weights_iter_}, {DNNL_ARG_BIAS, bias_},
                            {DNNL_ARG_DST_LAYER, y_}, {DNNL_ARG_DST_ITER, h_[next]},
                            {DNNL_ARG_DST_ITER_C, c_[next]}, {DNNL_ARG_WORKSPACE, workspace_}});
    stream_.wait();
    current_ = next;
  }
  const float* hidden() const { return static_cast<const float*>(y_.get_data_handle()); }

 private:
  dnnl::memory prepared(const std::vector<float>& ldigo, const dnnl::memory::desc& plain,
                        const dnnl::memory::desc& wanted);

  dnnl::engine engine_{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream_{engine_};
  dnnl::lstm_forward lstm_;
  dnnl::memory weights_layer_, weights_iter_, bias_, x_, y_, workspace_;
  dnnl::memory h_[2], c_[2];
  int current_ = 0;
};

// Row-major gate blocks [4H][cols] -> ldigo [cols][4][H].
std::vector<float> to_ldigo(const std::vector<float>& rows, std::size_t H, std::size_t cols) {
  std::vector<float> ldigo(rows.size());
  for (std::size_t row = 0; row < 4 * H; ++row) {
    const std::size_t gate = row / H, unit = row % H;
    for (std::size_t col = 0; col < cols; ++col) ldigo[(col * 4 + gate) * H + unit] = rows[row * cols + col];
  }
  return ldigo;
}

// Weights from ldigo into whatever layout the primitive prefers, once.
dnnl::memory OneDnnLstm::prepared(const std::vector<float>& ldigo, const dnnl::memory::desc& plain,
                                  const dnnl::memory::desc& wanted) {
  dnnl::memory source(plain, engine_), target(wanted, engine_);
  std::memcpy(source.get_data_handle(), ldigo.data(), plain.get_size());
  dnnl::reorder(source, target).execute(stream_, source, target);
  stream_.wait();
  return target;
}

OneDnnLstm::OneDnnLstm(const CellWeights& weights) {
  using dnnl::memory;
  using tag = memory::format_tag;
  using dt = memory::data_type;
  const memory::dim I = weights.input_size, H = weights.hidden_size;
  const memory::desc src_layer({1, 1, I}, dt::f32, tag::tnc), dst_layer({1, 1, H}, dt::f32, tag::tnc);
  const memory::desc iter({1, 1, 1, H}, dt::f32, tag::ldnc);
  const memory::desc weights_layer_plain({1, 1, I, 4, H}, dt::f32, tag::ldigo);
  const memory::desc weights_iter_plain({1, 1, H, 4, H}, dt::f32, tag::ldigo);
  const memory::desc bias({1, 1, 4, H}, dt::f32, tag::ldgo);
  const dnnl::lstm_forward::desc desc(dnnl::prop_kind::forward_inference, dnnl::rnn_direction::unidirectional_left2right,
                                      src_layer, iter, iter, memory::desc({1, 1, I, 4, H}, dt::f32, tag::any),
                                      memory::desc({1, 1, H, 4, H}, dt::f32, tag::any), bias, dst_layer, iter, iter);
  const dnnl::lstm_forward::primitive_desc pd(desc, engine_);
  lstm_ = dnnl::lstm_forward(pd);
  weights_layer_ = prepared(to_ldigo(weights.w, H, I), weights_layer_plain, pd.weights_layer_desc());
  weights_iter_ = prepared(to_ldigo(weights.r, H, H), weights_iter_plain, pd.weights_iter_desc());
  bias_ = memory(bias, engine_);
  float* const bias_values = static_cast<float*>(bias_.get_data_handle());
  for (std::size_t k = 0; k < weights.bias_w.size(); ++k) bias_values[k] = weights.bias_w[k] + weights.bias_r[k];
  x_ = memory(src_layer, engine_);
  y_ = memory(dst_layer, engine_);
  workspace_ = memory(pd.workspace_desc(), engine_);
  for (int k = 0; k < 2; ++k) {
    h_[k] = memory(iter, engine_);
    c_[k] = memory(iter, engine_);
  }
  std::memset(x_.get_data_handle(), 0, src_layer.get_size());
  reset();
}

// Largest |h - h_grurt| over `steps` steps from the zero state on the same
// random inputs: the libraries compute the same LSTM or the timings mean nothing.
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
      worst = std::max(worst, std::fabs(grurt_cell.hidden()[k] - other.hidden()[k]));
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

double grurt_gru_ns(std::uint32_t I, std::uint32_t H) {
  const CellWeights weights = grurt::bench::random_cell_weights(CellKind::kGru, I, H);
  GrurtCell cell(weights);
  return cell_ns(cell, weights);
}

double torch_gru_ns(std::uint32_t I, std::uint32_t H) {
  torch::NoGradGuard no_grad;
  torch::nn::GRUCell cell(I, H);
  torch::Tensor x = torch::randn({1, static_cast<long>(I)});
  torch::Tensor h = torch::zeros({1, static_cast<long>(H)});
  return median_ns([&] { h = cell->forward(x, h); });
}

double onednn_gru_ns(std::uint32_t I, std::uint32_t H) {
  using namespace dnnl;
  using tag = memory::format_tag;
  using dt = memory::data_type;
  engine eng(engine::kind::cpu, 0);
  stream strm(eng);
  const memory::dim i = I, h = H;
  const memory::desc src_layer({1, 1, i}, dt::f32, tag::tnc), dst_layer({1, 1, h}, dt::f32, tag::tnc);
  const memory::desc iter({1, 1, 1, h}, dt::f32, tag::ldnc);
  const memory::desc weights_layer_any({1, 1, i, 3, h}, dt::f32, tag::any);
  const memory::desc weights_iter_any({1, 1, h, 3, h}, dt::f32, tag::any);
  const memory::desc bias({1, 1, 4, h}, dt::f32, tag::ldgo);  // lbr: 4 bias rows
  const lbr_gru_forward::desc desc(prop_kind::forward_inference, rnn_direction::unidirectional_left2right, src_layer,
                                   iter, weights_layer_any, weights_iter_any, bias, dst_layer, iter);
  const lbr_gru_forward::primitive_desc pd(desc, eng);
  std::mt19937 rng(I + H);
  auto filled = [&](const memory::desc& d, float scale) {
    memory m(d, eng);
    auto values = random_floats(rng, d.get_size() / sizeof(float), scale);
    std::memcpy(m.get_data_handle(), values.data(), d.get_size());
    return m;
  };
  // Weights from ldigo into whatever layout the primitive prefers, once.
  auto prepared = [&](const memory::desc& plain, const memory::desc& wanted) {
    memory source = filled(plain, 0.1f), target(wanted, eng);
    reorder(source, target).execute(strm, source, target);
    strm.wait();
    return target;
  };
  memory weights_layer = prepared(memory::desc({1, 1, i, 3, h}, dt::f32, tag::ldigo), pd.weights_layer_desc());
  memory weights_iter = prepared(memory::desc({1, 1, h, 3, h}, dt::f32, tag::ldigo), pd.weights_iter_desc());
  memory bias_m = filled(bias, 0.1f), x = filled(src_layer, 1.0f), y(dst_layer, eng);
  memory state_a = filled(iter, 0.0f), state_b(iter, eng);
  memory workspace(pd.workspace_desc(), eng);
  lbr_gru_forward gru(pd);
  bool flip = false;
  return median_ns([&] {
    gru.execute(strm, {{DNNL_ARG_SRC_LAYER, x}, {DNNL_ARG_SRC_ITER, flip ? state_b : state_a},
                       {DNNL_ARG_WEIGHTS_LAYER, weights_layer}, {DNNL_ARG_WEIGHTS_ITER, weights_iter},
                       {DNNL_ARG_BIAS, bias_m}, {DNNL_ARG_DST_LAYER, y}, {DNNL_ARG_DST_ITER, flip ? state_a : state_b},
                       {DNNL_ARG_WORKSPACE, workspace}});
    strm.wait();
    flip = !flip;
  });
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

void compare_gru(double peak) {
  std::printf("GRU (LibTorch nn::GRUCell, oneDNN lbr_gru)\n\n");
  print_table_header();
  for (const grurt::bench::CellSize& size : grurt::bench::standard_sizes(CellKind::kGru)) {
    const std::uint32_t I = size.input_size, H = size.hidden_size;
    const double params = 3.0 * H * (I + H) + 6.0 * H;
    const double bytes = params * sizeof(float);
    const double bound = grurt::bench::step_bound_ns(bytes, 2.0 * params, peak);
    print_row(I, H, bytes, bound, grurt_gru_ns(I, H), torch_gru_ns(I, H), onednn_gru_ns(I, H));
  }
}

// Agreement of LibTorch's and oneDNN's h with grurt's, per size.
struct Agreement {
  std::uint32_t I, H;
  float torch, onednn;
};

constexpr int kCheckSteps = 8;
constexpr float kCheckTolerance = 1e-4f;  // float32 sums in different orders over <= 384 terms

// Returns false when a library's outputs differ from grurt's by more than the tolerance.
bool compare_lstm(double peak) {
  std::printf("LSTM (LibTorch nn::LSTMCell, oneDNN vanilla lstm_forward; the same weights in all three)\n\n");
  print_table_header();
  std::vector<Agreement> agreements;
  for (const grurt::bench::CellSize& size : grurt::bench::standard_sizes(CellKind::kLstm)) {
    const CellWeights weights = grurt::bench::random_cell_weights(CellKind::kLstm, size.input_size, size.hidden_size);
    GrurtCell grurt_cell(weights);
    TorchLstm torch_cell(weights);
    OneDnnLstm onednn_cell(weights);
    agreements.push_back({size.input_size, size.hidden_size, max_difference(grurt_cell, torch_cell, weights, kCheckSteps),
                          max_difference(grurt_cell, onednn_cell, weights, kCheckSteps)});
    const double bytes = static_cast<double>(grurt_cell.parameters()) * sizeof(float);  // 4H(I+H) + 8H weights
    const double bound = grurt::bench::step_bound_ns(bytes, 2.0 * static_cast<double>(grurt_cell.parameters()), peak);
    const double g = cell_ns(grurt_cell, weights), t = cell_ns(torch_cell, weights), d = cell_ns(onednn_cell, weights);
    print_row(size.input_size, size.hidden_size, bytes, bound, g, t, d);
  }
  std::printf("\nLSTM outputs against grurt's, same weights, %d steps from the zero state (max |h - h_grurt|):\n\n",
              kCheckSteps);
  std::printf("| I | H | LibTorch | oneDNN |\n|---|---|---|---|\n");
  bool agree = true;
  for (const Agreement& a : agreements) {
    const bool ok = a.torch <= kCheckTolerance && a.onednn <= kCheckTolerance;
    std::printf("| %u | %u | %.1e | %.1e |%s\n", a.I, a.H, a.torch, a.onednn, ok ? "" : " DIFFERS");
    agree = agree && ok;
  }
  return agree;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Times one GRU and/or LSTM step at batch 1 on one thread in grurt, LibTorch and oneDNN at the\n"
               "README's sizes, beside this machine's bound (weights read at the measured bandwidth, or FLOPs at\n"
               "peak FMA rate). The LSTMs share their weights and their outputs are checked against grurt's\n"
               "(exit 1 if they differ by more than 1e-4).",
               "grurt-bench-compare"};
  app.set_version_flag("--version", std::string("grurt-bench-compare ") + grurt::kVersion);
  std::string kind = "all";
  app.add_option("--kind", kind, "gru, lstm or all")->check(CLI::IsMember({"gru", "lstm", "all"}))->capture_default_str();
  return grurt::tools::run_tool(app, argc, argv, [&] {
    setenv("OMP_NUM_THREADS", "1", 1);  // before either library starts its thread pool
    at::set_num_threads(1);
    const double peak = grurt::bench::peak_gflops();
    std::printf("grurt-bench-compare %s: one step, batch 1, one thread; grurt isa %s\n", grurt::kVersion,
                grurt::isa_name(grurt::best_isa()));
    std::printf("peak FMA rate measured: %.1f GFLOP/s (%s)\n\n", peak, grurt::bench::bound_isa());
    bool agree = true;
    if (kind != "lstm") compare_gru(peak);
    if (kind == "all") std::printf("\n");
    if (kind != "gru") agree = compare_lstm(peak);
    return agree ? 0 : 1;
  });
}
