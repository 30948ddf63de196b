// grurt-bench-compare: one GRU or LSTM step at batch 1 on one thread, for the
// same (I, H) sizes, in grurt (step(), run() blocks and a BatchSession of
// many streams), LibTorch (nn::GRUCell, nn::LSTMCell), oneDNN (lbr_gru, the
// PyTorch formulation; vanilla lstm_forward) and, when built with
// -DGRURT_RTNEURAL_DIR, RTNeural's fastest variant, beside this machine's
// bounds; then the two-layer amp model; prints Markdown tables. All libraries
// get the same weights, and their outputs are checked against grurt's first.
// Then grurt's int8 weights against LibTorch's dynamic int8 cell (quantize_dynamic's).
#include <torch/torch.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dnnl.hpp>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "grurt/grurt.hpp"
#include "aligned_bytes.hpp"
#include "chart_rows.hpp"
#include "grurt/owned_session.hpp"
#include "machine_bound.hpp"
#include "random_cell.hpp"
#include "step_timer.hpp"
#include "tool_main.hpp"
#include "torch_int8_cell.hpp"
#if defined(GRURT_HAVE_RTNEURAL)
#include "rtneural_cells.hpp"
#endif

namespace {

using grurt::bench::CellKind;
using grurt::bench::CellWeights;

constexpr int kRepetitions = 9;
constexpr std::size_t kBlockSteps = 64;  // run()'s block in the table
constexpr std::uint32_t kStreams = 16;   // the batch's streams in the table

std::vector<grurt::bench::ChartRow> chart_rows;  // every row timed, for --chart-data

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
  const grurt::Model& model() const { return cell_.model; }
  grurt::Isa isa() { return session_.session().isa(); }

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
template <typename Reference, typename Cell>
float max_difference(Reference& grurt_cell, Cell& other, const CellWeights& weights, int steps) {
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

// Contestants of one row timed in interleaved rounds: each calibrated once,
// then timed once per round in turn, so that the machine's drift during a row
// (a VM's neighbours, its clock) touches them alike; per step, the median of
// the rounds.
class Rounds {
 public:
  // A call advancing `steps_per_call` steps (a step, a run() block, a step of N streams).
  std::size_t add(std::function<void()> call, double steps_per_call = 1.0) {
    entries_.push_back({std::move(call), steps_per_call, 0, {}});
    return entries_.size() - 1;
  }
  void run() {
    for (Entry& e : entries_) e.calls = grurt::bench::calibrate_steps(e.call);
    for (int r = 0; r < kRepetitions; ++r) {
      for (Entry& e : entries_) {
        e.ns.push_back(grurt::bench::time_steps(e.call, e.calls, 1).median_ns / e.steps_per_call);
      }
    }
  }
  double median_ns(std::size_t index) const {
    std::vector<double> ns = entries_[index].ns;
    std::sort(ns.begin(), ns.end());
    return ns[ns.size() / 2];
  }

 private:
  struct Entry {
    std::function<void()> call;
    double steps_per_call;
    std::size_t calls;
    std::vector<double> ns;
  };
  std::vector<Entry> entries_;
};

// Adds `cell` stepping on one fixed random input.
template <typename Cell>
std::size_t add_cell(Rounds& rounds, Cell& cell, const CellWeights& weights) {
  std::mt19937 rng(11);
  const std::vector<float> x = random_floats(rng, weights.input_size, 1.0f);
  cell.reset();
  cell.set_input(x.data());
  return rounds.add([&cell] { cell.step(); });
}

// grurt's block and multi-stream modes on a model: run() of kBlockSteps steps
// and a BatchSession of kStreams streams, on normal random inputs.
class GrurtModes {
 public:
  explicit GrurtModes(const grurt::Model& model)
      : block_in_(kBlockSteps * model.input_size(), 0.5f), block_out_(kBlockSteps * model.output_size()),
        streams_in_(kStreams * model.input_size(), 0.5f), streams_out_(kStreams * model.output_size()),
        arena_(grurt::BatchSession::arena_bytes(model, kStreams)) {
    if (block_.init(model) != grurt::Status::kOk) throw std::runtime_error(block_.error());
    if (batch_.init(model, kStreams, arena_.data(), arena_.size()) != grurt::Status::kOk) {
      throw std::runtime_error(batch_.error());
    }
  }
  void add_to(Rounds& rounds) {
    block_index_ = rounds.add([this] { block_.session().run(block_in_.data(), block_out_.data(), kBlockSteps); },
                              static_cast<double>(kBlockSteps));
    streams_index_ = rounds.add([this] { batch_.step(streams_in_.data(), streams_out_.data()); }, kStreams);
  }
  double block_ns(const Rounds& rounds) const { return rounds.median_ns(block_index_); }
  double streams_ns(const Rounds& rounds) const { return rounds.median_ns(streams_index_); }

 private:
  grurt::OwnedSession block_;
  std::vector<float> block_in_, block_out_, streams_in_, streams_out_;
  grurt::tools::AlignedBytes arena_;
  grurt::BatchSession batch_;
  std::size_t block_index_ = 0, streams_index_ = 0;
};

void print_table_header() {
  std::printf("| I | H | weights | isa | bound ns | grurt ns | grurt/bound | grurt run() ns/step | block bound | "
              "grurt %u streams ns/stream | streams bound | RTNeural best ns | LibTorch ns | oneDNN ns | "
              "RTNeural/grurt | LibTorch/grurt | oneDNN/grurt |\n",
              kStreams);
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
}

// Agreement of LibTorch's, oneDNN's and RTNeural's h with grurt's, per size.
struct Agreement {
  std::uint32_t I, H;
  float torch, onednn, rtneural;  // rtneural: the worst of its variants (0 without RTNeural)
};

constexpr int kCheckSteps = 8;
constexpr float kCheckTolerance = 1e-4f;  // float32 sums in different orders over <= 768 terms

// Peak FMA rates by the vector width of the ISA grurt ran, measured once each.
double peak_for(grurt::Isa isa) {
  static std::vector<std::pair<std::string, double>> peaks;
  const std::string code = grurt::bench::bound_isa(isa);
  for (const auto& known : peaks)
    if (known.first == code) return known.second;
  peaks.emplace_back(code, grurt::bench::peak_gflops(isa));
  return peaks.back().second;
}

// The bounds of the three modes for one layer whose input matrix is `input_bytes`
// of `bytes`: step() reads every weight each step; run() reads the input
// matrix once per pass of streams_per_pass() steps; the batch reads every
// weight once per pass of that many streams.
struct Bounds {
  double step, block, streams;
};

Bounds bounds_of(double bytes, double input_bytes, double flops, grurt::Isa isa) {
  const double peak = peak_for(isa);
  const double bandwidth = grurt::bench::read_bandwidth_gbs(static_cast<std::size_t>(bytes), isa);
  const double per_pass = grurt::BatchSession::streams_per_pass();
  return {std::max(bytes / bandwidth, flops / peak),
          std::max((bytes - input_bytes + input_bytes / per_pass) / bandwidth, flops / peak),
          std::max(bytes / per_pass / bandwidth, flops / peak)};
}

#if defined(GRURT_HAVE_RTNEURAL)
// RTNeural's variants (backends x sizings) on the same weights: each checked
// against grurt and added to the row's rounds; best() names the fastest.
struct RtneuralEntries {
  std::vector<std::unique_ptr<grurt::bench::RtneuralCell>> cells;
  std::vector<std::size_t> indices;
  float worst = 0;

  template <typename Reference>
  RtneuralEntries(Reference& reference, std::vector<std::unique_ptr<grurt::bench::RtneuralCell>> all,
                  const CellWeights& weights, Rounds& rounds)
      : cells(std::move(all)) {
    for (auto& cell : cells) {
      const float difference = max_difference(reference, *cell, weights, kCheckSteps);
      if (!(difference <= worst)) worst = difference;
      indices.push_back(add_cell(rounds, *cell, weights));
    }
  }
  // The fastest variant's ns, and for the table "57.4 (RTNeural eigen
  // compile-time)" with the ratio to grurt's `g` ns.
  struct Best {
    double ns = 0;
    std::pair<std::string, std::string> text;
  };
  Best best(const Rounds& rounds, double g) const {
    double ns = 0;
    const char* name = "-";
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const double t = rounds.median_ns(indices[i]);
      if (ns == 0 || t < ns) {
        ns = t;
        name = cells[i]->name();
      }
    }
    char text[96], ratio[32];
    std::snprintf(text, sizeof text, "%.1f (%s)", ns, name);
    std::snprintf(ratio, sizeof ratio, "%.2fx", ns / g);
    return {ns, {text, ratio}};
  }
};
#endif

// One row: the libraries on the same weights, checked, then timed.
template <typename TorchCell>
Agreement compare_size(const CellWeights& weights) {
  GrurtCell grurt_cell(weights);
  TorchCell torch_cell(weights);
  OneDnnCell onednn_cell(weights);
  Agreement agreement{weights.input_size, weights.hidden_size,
                      max_difference(grurt_cell, torch_cell, weights, kCheckSteps),
                      max_difference(grurt_cell, onednn_cell, weights, kCheckSteps), 0.0f};
  const double params = static_cast<double>(grurt_cell.parameters());  // G*H*(I+H) + 2*G*H
  const double bytes = params * sizeof(float);
  const double input_bytes = static_cast<double>(weights.w.size()) * sizeof(float);
  const grurt::Isa isa = grurt_cell.isa();
  const Bounds bound = bounds_of(bytes, input_bytes, 2.0 * params, isa);
  Rounds rounds;
  const std::size_t gi = add_cell(rounds, grurt_cell, weights), ti = add_cell(rounds, torch_cell, weights),
                    di = add_cell(rounds, onednn_cell, weights);
  GrurtModes modes(grurt_cell.model());
  modes.add_to(rounds);
  std::pair<std::string, std::string> rtneural{"-", "-"};
  double rtneural_ns = 0;
#if defined(GRURT_HAVE_RTNEURAL)
  RtneuralEntries rt(grurt_cell, grurt::bench::make_rtneural_cells(weights), weights, rounds);
  agreement.rtneural = rt.worst;
#endif
  rounds.run();
  const double g = rounds.median_ns(gi), t = rounds.median_ns(ti), d = rounds.median_ns(di);
#if defined(GRURT_HAVE_RTNEURAL)
  const auto best = rt.best(rounds, g);
  rtneural = best.text;
  rtneural_ns = best.ns;
#endif
  chart_rows.push_back({grurt::bench::cell_kind_name(weights.kind), weights.input_size, weights.hidden_size,
                        bytes / 1024.0, bound.step, g, modes.block_ns(rounds), modes.streams_ns(rounds), rtneural_ns,
                        t, d});
  std::printf("| %u | %u | %.0f KB | %s | %.1f | %.1f | %.2fx | %.1f | %.1f | %.1f | %.1f | %s | %.1f | %.1f | %s | "
              "%.2fx | %.2fx |\n",
              weights.input_size, weights.hidden_size, bytes / 1024.0, grurt::isa_name(isa), bound.step, g,
              g / bound.step, modes.block_ns(rounds), bound.block, modes.streams_ns(rounds), bound.streams,
              rtneural.first.c_str(), t, d, rtneural.second.c_str(), t / g, d / g);
  std::fflush(stdout);
  return agreement;
}

// grurt's amp model (GRU(1 -> 64) -> GRU(64 -> 64) -> Dense(64 -> 1)) against
// RTNeural's, when it is compiled in.
class GrurtAmp {
 public:
  GrurtAmp() : weights_(grurt::bench::random_amp_weights()) {
    grurt::bench::load_amp_model(weights_, cell_);
    if (session_.init(cell_.model) != grurt::Status::kOk) throw std::runtime_error(session_.error());
  }
  const grurt::bench::AmpWeights& weights() const { return weights_; }
  void reset() { session_.reset(); }
  void set_input(const float* x) { x_ = *x; }
  void step() { session_.step(&x_, &y_); }
  const float* hidden() const { return &y_; }
  const grurt::Model& model() const { return cell_.model; }
  grurt::Isa isa() { return session_.session().isa(); }

 private:
  grurt::bench::AmpWeights weights_;
  grurt::bench::CellModel cell_;
  grurt::OwnedSession session_;
  float x_ = 0.0f, y_ = 0.0f;
};

void compare_amp() {
  GrurtAmp amp;
  const grurt::Model& model = amp.model();
  const double params = static_cast<double>(model.parameters());
  const double input_bytes = static_cast<double>(amp.weights().first.w.size() + amp.weights().second.w.size() +
                                                 amp.weights().dense_w.size()) * sizeof(float);
  const Bounds bound = bounds_of(params * sizeof(float), input_bytes, 2.0 * params, amp.isa());
  CellWeights one_input;  // what add_cell and max_difference read: the input size
  one_input.input_size = 1;
  one_input.hidden_size = 1;
  Rounds rounds;
  const std::size_t gi = add_cell(rounds, amp, one_input);
  GrurtModes modes(model);
  modes.add_to(rounds);
  std::pair<std::string, std::string> rtneural{"-", "-"};
  double rtneural_ns = 0;
#if defined(GRURT_HAVE_RTNEURAL)
  RtneuralEntries rt(amp, grurt::bench::make_rtneural_amp_models(amp.weights()), one_input, rounds);
#endif
  rounds.run();
  const double g = rounds.median_ns(gi);
  std::printf("\nThe two-layer amp model GRU(1 -> 64) -> GRU(64 -> 64) -> Dense(64 -> 1), %.0f parameters\n\n", params);
#if defined(GRURT_HAVE_RTNEURAL)
  const auto best = rt.best(rounds, g);
  rtneural = best.text;
  rtneural_ns = best.ns;
  std::printf("(RTNeural's outputs against grurt's over %d steps: max difference %.1e)\n\n", kCheckSteps, rt.worst);
#endif
  std::printf("| isa | bound ns | grurt ns | grurt/bound | grurt run() ns/step | block bound | grurt %u streams "
              "ns/stream | streams bound | RTNeural best ns | RTNeural/grurt |\n",
              kStreams);
  std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
  std::printf("| %s | %.1f | %.1f | %.2fx | %.1f | %.1f | %.1f | %.1f | %s | %s |\n", grurt::isa_name(amp.isa()),
              bound.step, g, g / bound.step, modes.block_ns(rounds), bound.block, modes.streams_ns(rounds),
              bound.streams, rtneural.first.c_str(), rtneural.second.c_str());
  chart_rows.push_back({"amp", 1, 64, params * sizeof(float) / 1024.0, bound.step, g, modes.block_ns(rounds),
                        modes.streams_ns(rounds), rtneural_ns, 0, 0});
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
bool compare_kind(CellKind kind) {
  const bool gru = kind == CellKind::kGru;
  std::printf("%s (LibTorch nn::%s, oneDNN %s; the same weights in all three)\n\n", gru ? "GRU" : "LSTM",
              gru ? "GRUCell" : "LSTMCell", gru ? "lbr_gru" : "vanilla lstm_forward");
  print_table_header();
  std::vector<Agreement> agreements;
  for (const grurt::bench::CellSize& size : grurt::bench::standard_sizes(kind)) {
    const CellWeights weights = grurt::bench::random_cell_weights(kind, size.input_size, size.hidden_size);
    agreements.push_back(gru ? compare_size<TorchGru>(weights) : compare_size<TorchLstm>(weights));
  }
  std::printf("\n%s outputs against grurt's, same weights, %d steps from the zero state (max |h - h_grurt|):\n\n",
              gru ? "GRU" : "LSTM", kCheckSteps);
  std::printf("| I | H | LibTorch | oneDNN | RTNeural (worst variant) |\n|---|---|---|---|---|\n");
  bool agree = true;
  for (const Agreement& a : agreements) {
    const bool ok = a.torch <= kCheckTolerance && a.onednn <= kCheckTolerance && a.rtneural <= kCheckTolerance;
    std::printf("| %u | %u | %.1e | %.1e | %.1e |%s\n", a.I, a.H, a.torch, a.onednn, a.rtneural, ok ? "" : " DIFFERS");
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
  std::string chart_data;
  app.add_option("--chart-data", chart_data,
                 "Also write the timings (ns per step per library and size) to this tab-separated file, "
                 "which bench/draw_chart.sh draws as an SVG chart");
  return grurt::tools::run_tool(app, argc, argv, [&] {
    setenv("OMP_NUM_THREADS", "1", 1);  // before either library starts its thread pool
    at::set_num_threads(1);
    std::printf("grurt-bench-compare %s: one step, batch 1, one thread; grurt's isa is kAuto's choice per model "
                "(best here: %s)\n", grurt::kVersion, grurt::isa_name(grurt::best_isa()));
    std::printf("peak FMA rate measured: %.1f GFLOP/s (%s)", peak_for(grurt::best_isa()),
                grurt::bench::bound_isa(grurt::best_isa()));
    if (grurt::best_isa() != grurt::Isa::kAvx2 && grurt::isa_available(grurt::Isa::kAvx2)) {
      std::printf(", %.1f GFLOP/s (avx2)", peak_for(grurt::Isa::kAvx2));
    }
    std::printf("\nrun(): blocks of %zu steps; batch: %u streams (per stream step); the bounds read the weights at "
                "the measured bandwidth of their footprint, once per step (step), the input matrices once per %u "
                "steps (run), all once per %u streams (batch)\n\n",
                kBlockSteps, kStreams, grurt::BatchSession::streams_per_pass(), grurt::BatchSession::streams_per_pass());
    bool agree = true;
    if (kind != "lstm") agree = compare_kind(CellKind::kGru) && agree;
    if (kind == "all") std::printf("\n");
    if (kind != "gru") agree = compare_kind(CellKind::kLstm) && agree;
    if (kind != "lstm") compare_amp();
    if (!chart_data.empty()) grurt::bench::write_chart_rows(chart_data, chart_rows);
    return agree ? 0 : 1;
  });
}
