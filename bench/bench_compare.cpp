// grurt-bench-compare: one GRU step at batch 1 on one thread, for the same
// (I, H) sizes, in grurt, LibTorch (nn::GRUCell) and oneDNN (lbr_gru, the
// PyTorch formulation), beside this machine's bound; prints a Markdown table.
#include <torch/torch.h>

#include <cstdio>
#include <cstdlib>
#include <dnnl.hpp>
#include <random>
#include <vector>

#include "aligned_bytes.hpp"
#include "grurt/grurt.hpp"
#include "grurt/owned_session.hpp"
#include "grurt_convert/model_writer.hpp"
#include "machine_bound.hpp"
#include "step_timer.hpp"

namespace {

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

double grurt_ns(std::uint32_t I, std::uint32_t H) {
  std::mt19937 rng(I * 1000 + H);
  const float scale = 1.0f / std::sqrt(static_cast<float>(H));
  grurt::convert::GruSpec gru;
  gru.input_size = I;
  gru.hidden_size = H;
  gru.w = random_floats(rng, 3u * H * I, scale);
  gru.r = random_floats(rng, 3u * H * H, scale);
  gru.bias_w = random_floats(rng, 3u * H, scale);
  gru.bias_r = random_floats(rng, 3u * H, scale);
  grurt::convert::CanonicalModel spec;
  spec.input_size = I;
  spec.layers = {{"gru", gru}};
  const std::vector<std::uint8_t> bytes = grurt::convert::write_model(spec);
  const grurt::tools::AlignedBytes aligned(bytes);
  grurt::Model model;
  grurt::OwnedSession session;
  if (model.load(aligned.data(), aligned.size()) != grurt::Status::kOk || session.init(model) != grurt::Status::kOk) {
    std::fprintf(stderr, "grurt: %s %s\n", model.error(), session.error());
    std::exit(1);
  }
  std::vector<float> x = random_floats(rng, I, 1.0f), y(H);
  return median_ns([&] { session.step(x.data(), y.data()); });
}

double torch_ns(std::uint32_t I, std::uint32_t H) {
  torch::NoGradGuard no_grad;
  torch::nn::GRUCell cell(I, H);
  torch::Tensor x = torch::randn({1, static_cast<long>(I)});
  torch::Tensor h = torch::zeros({1, static_cast<long>(H)});
  return median_ns([&] { h = cell->forward(x, h); });
}

double onednn_ns(std::uint32_t I, std::uint32_t H) {
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

}  // namespace

int main() {
  setenv("OMP_NUM_THREADS", "1", 1);  // before either library starts its thread pool
  at::set_num_threads(1);
  const double peak = grurt::bench::peak_gflops();
  std::printf("grurt-bench-compare %s: one GRU step, batch 1, one thread; grurt isa %s\n", grurt::kVersion,
              grurt::isa_name(grurt::best_isa()));
  std::printf("peak FMA rate measured: %.1f GFLOP/s (%s)\n\n", peak, grurt::bench::bound_isa());
  std::printf("| I | H | weights | bound ns | grurt ns | grurt/bound | LibTorch ns | oneDNN ns | LibTorch/grurt | oneDNN/grurt |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
  const std::uint32_t sizes[][2] = {{1, 8}, {1, 32}, {16, 64}, {64, 128}, {128, 256}, {256, 512}};
  for (const auto& size : sizes) {
    const std::uint32_t I = size[0], H = size[1];
    const double params = 3.0 * H * (I + H) + 6.0 * H;
    const double bytes = params * sizeof(float);
    const double bandwidth = grurt::bench::read_bandwidth_gbs(static_cast<std::size_t>(bytes));
    const double bound = std::max(bytes / bandwidth, 2.0 * params / peak);
    const double g = grurt_ns(I, H), t = torch_ns(I, H), d = onednn_ns(I, H);
    std::printf("| %u | %u | %.0f KB | %.1f | %.1f | %.2fx | %.1f | %.1f | %.1fx | %.1fx |\n", I, H, bytes / 1024.0,
                bound, g, g / bound, t, d, t / g, d / g);
    std::fflush(stdout);
  }
  return 0;
}
