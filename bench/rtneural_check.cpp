// grurt-bench-rtneural-check: every RTNeural variant of bench/rtneural_cells.hpp
// against a plain double-precision reference of PyTorch's formulas, 8 random
// steps, then a reset and 8 more; prints the largest |difference| per variant
// and fails above 1e-4. Only a correctness check, never timed.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <random>
#include <string>
#include <vector>

#include "random_cell.hpp"
#include "rtneural_cells.hpp"

namespace {

using grurt::bench::AmpWeights;
using grurt::bench::CellKind;
using grurt::bench::CellWeights;

constexpr int kSteps = 8;
constexpr double kTolerance = 1e-4;

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// One GRU or LSTM cell in double, PyTorch's GRUCell / LSTMCell formulas.
class ReferenceCell {
 public:
  explicit ReferenceCell(const CellWeights& weights) : w_(weights) { reset(); }
  void reset() {
    h_.assign(w_.hidden_size, 0.0);
    c_.assign(w_.hidden_size, 0.0);
  }
  const std::vector<double>& step(const std::vector<double>& x) {
    const std::size_t I = w_.input_size, H = w_.hidden_size, G = grurt::bench::gate_count(w_.kind);
    std::vector<double> wx(G * H), rh(G * H);  // W x + bias_w, R h + bias_r per row
    for (std::size_t row = 0; row < G * H; ++row) {
      double a = w_.bias_w[row], b = w_.bias_r[row];
      for (std::size_t i = 0; i < I; ++i) a += double{w_.w[row * I + i]} * x[i];
      for (std::size_t j = 0; j < H; ++j) b += double{w_.r[row * H + j]} * h_[j];
      wx[row] = a;
      rh[row] = b;
    }
    std::vector<double> h(H);
    for (std::size_t u = 0; u < H; ++u) {
      if (w_.kind == CellKind::kGru) {  // gates r, z, n
        const double r = sigmoid(wx[u] + rh[u]);
        const double z = sigmoid(wx[H + u] + rh[H + u]);
        const double n = std::tanh(wx[2 * H + u] + r * rh[2 * H + u]);
        h[u] = (1.0 - z) * n + z * h_[u];
      } else {  // gates i, f, g, o
        const double i = sigmoid(wx[u] + rh[u]);
        const double f = sigmoid(wx[H + u] + rh[H + u]);
        const double g = std::tanh(wx[2 * H + u] + rh[2 * H + u]);
        const double o = sigmoid(wx[3 * H + u] + rh[3 * H + u]);
        c_[u] = f * c_[u] + i * g;
        h[u] = o * std::tanh(c_[u]);
      }
    }
    h_ = h;
    return h_;
  }

 private:
  CellWeights w_;
  std::vector<double> h_, c_;
};

class ReferenceAmp {
 public:
  explicit ReferenceAmp(const AmpWeights& weights) : w_(weights), first_(weights.first), second_(weights.second) {}
  void reset() {
    first_.reset();
    second_.reset();
  }
  std::vector<double> step(const std::vector<double>& x) {
    const std::vector<double>& h = second_.step(first_.step(x));
    double y = w_.dense_b;
    for (std::size_t j = 0; j < h.size(); ++j) y += double{w_.dense_w[j]} * h[j];
    return {y};
  }

 private:
  AmpWeights w_;
  ReferenceCell first_, second_;
};

std::vector<std::vector<float>> random_inputs(std::size_t size, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  std::vector<std::vector<float>> inputs(kSteps, std::vector<float>(size));
  for (auto& x : inputs)
    for (float& v : x) v = uniform(rng);
  return inputs;
}

// Largest |cell - reference| over kSteps steps from reset, twice (the second
// time after cell.reset(), which must zero the state).
template <typename Reference>
double max_difference(grurt::bench::RtneuralCell& cell, Reference& reference, std::size_t input_size,
                      std::size_t output_size, unsigned seed) {
  const auto inputs = random_inputs(input_size, seed);
  double worst = 0.0;
  for (int pass = 0; pass < 2; ++pass) {
    cell.reset();
    reference.reset();
    for (const auto& x : inputs) {
      cell.set_input(x.data());
      cell.step();
      const std::vector<double> want = reference.step(std::vector<double>(x.begin(), x.end()));
      for (std::size_t k = 0; k < output_size; ++k) {
        const double d = std::fabs(double{cell.hidden()[k]} - want[k]);
        worst = std::isnan(d) ? INFINITY : std::max(worst, d);
      }
    }
  }
  return worst;
}

bool report(const std::string& what, const char* name, double worst) {
  const bool ok = worst <= kTolerance;
  std::printf("%-16s %-30s max |diff| %.3g%s\n", what.c_str(), name, worst, ok ? "" : "  FAIL");
  return ok;
}

bool check_cell(const CellWeights& weights, std::size_t expected_variants) {
  const std::string what = std::string(grurt::bench::cell_kind_name(weights.kind)) + " " +
                           std::to_string(weights.input_size) + "x" + std::to_string(weights.hidden_size);
  auto cells = grurt::bench::make_rtneural_cells(weights);
  bool ok = true;
  if (cells.size() != expected_variants) {
    std::printf("%-16s %zu variants, expected %zu  FAIL\n", what.c_str(), cells.size(), expected_variants);
    ok = false;
  }
  for (auto& cell : cells) {
    ReferenceCell reference(weights);
    ok &= report(what, cell->name(), max_difference(*cell, reference, weights.input_size, weights.hidden_size, 7));
  }
  return ok;
}

}  // namespace

int main() try {
  bool ok = true;
  for (CellKind kind : {CellKind::kGru, CellKind::kLstm}) {
    // The benchmarked sizes: run-time and compile-time sized, both backends.
    for (const auto& size : grurt::bench::standard_sizes(kind)) {
      ok &= check_cell(grurt::bench::random_cell_weights(kind, size.input_size, size.hidden_size), 4);
    }
    // Sizes that are no multiple of any SIMD width: run-time sized only.
    ok &= check_cell(grurt::bench::random_cell_weights(kind, 3, 5), 2);
    ok &= check_cell(grurt::bench::random_cell_weights(kind, 20, 37), 2);
  }

  const AmpWeights amp = grurt::bench::random_amp_weights();  // the benchmark's
  auto models = grurt::bench::make_rtneural_amp_models(amp);
  if (models.size() != 4) {
    std::printf("amp: %zu variants, expected 4  FAIL\n", models.size());
    ok = false;
  }
  for (auto& model : models) {
    ReferenceAmp reference(amp);
    ok &= report("amp 1-64-64-1", model->name(), max_difference(*model, reference, 1, 1, 11));
  }
  std::printf(ok ? "all within %g\n" : "FAILED (tolerance %g)\n", kTolerance);
  return ok ? 0 : 1;
} catch (const std::exception& e) {
  std::fprintf(stderr, "grurt-bench-rtneural-check: %s\n", e.what());
  return 1;
}
