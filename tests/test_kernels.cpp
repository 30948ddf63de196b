// Every SIMD kernel table against the scalar one, on shapes that hit every
// remainder; activations against libm; whole models on every ISA.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <random>
#include <sstream>
#include <vector>

#include "grurt_convert/half_precision.hpp"
#include "grurt_convert/model_writer.hpp"
#include "kernels/kernel_table.hpp"
#include "support/compare.hpp"
#include "support/kernel_buffers.hpp"
#include "support/random_models.hpp"
#include "support/reference_gru.hpp"

using namespace grurt;
using namespace grurt::test;
using grurt::kernels::KernelTable;

namespace {

constexpr int kF32 = static_cast<int>(ElementType::kF32);

}  // namespace

TEST_CASE("gemv_panel16 on every ISA equals the scalar kernel, all panel counts and widths", "[kernels]") {
  const KernelTable& scalar = kernels::scalar_kernels();
  for (Isa isa : simd_isas_to_test()) {
    const KernelTable& simd = *kernels::kernels_for(isa);
    for (std::uint32_t panels : {1u, 2u, 3u, 4u, 5u, 9u}) {
      for (std::uint32_t cols : {1u, 2u, 3u, 5u, 8u, 15u, 16u, 17u, 33u, 100u}) {
        for (bool with_bias : {true, false}) {
          std::mt19937 rng(panels * 1000 + cols * 2 + with_bias);
          Floats w(std::size_t{panels} * 16 * cols), x(cols), bias(panels * 16), a(panels * 16), b(panels * 16);
          fill(rng, w.data(), w.size, 1.0f);
          fill(rng, x.data(), cols, 1.0f);
          fill(rng, bias.data(), panels * 16, 1.0f);
          const float* bias_ptr = with_bias ? bias.data() : nullptr;
          const std::uint32_t rows = panels * kPanelRows;
          scalar.matrix[kF32].gemv(w.data(), nullptr, panels, rows, cols, x.data(), bias_ptr, a.data(), nullptr);
          simd.matrix[kF32].gemv(w.data(), nullptr, panels, rows, cols, x.data(), bias_ptr, b.data(), nullptr);
          std::ostringstream context;
          context << isa_name(isa) << " gemv panels=" << panels << " cols=" << cols << (with_bias ? " bias" : "");
          require_near(b.data(), a.data(), panels * 16, 2e-6 * std::sqrt(static_cast<double>(cols)), context.str());
        }
      }
    }
  }
}

// A Dense(16 -> 1) needs one row of its panel: the scalar kernels compute the
// rows asked for exactly as the whole panel computes them and put the bias in
// the rest; products for rows beyond `rows` would be wasted work.
TEST_CASE("scalar gemv of the first rows only gives the values of the whole panels and the bias after them",
          "[kernels]") {
  constexpr int kF16 = static_cast<int>(ElementType::kF16);
  const KernelTable& scalar = kernels::scalar_kernels();
  for (std::uint32_t panels : {1u, 2u, 3u}) {
    for (std::uint32_t rows : {1u, 5u, 15u, 16u, 17u, 31u, 33u, 47u}) {
      if (rows > panels * kPanelRows) continue;
      for (bool with_bias : {true, false}) {
        const std::uint32_t cols = 7;
        std::mt19937 rng(panels * 100 + rows * 2 + with_bias);
        Floats w(std::size_t{panels} * 16 * cols), x(cols), bias(panels * 16), whole(panels * 16), first(panels * 16);
        fill(rng, w.data(), w.size, 1.0f);
        fill(rng, x.data(), cols, 1.0f);
        fill(rng, bias.data(), panels * 16, 1.0f);
        const float* b = with_bias ? bias.data() : nullptr;
        std::vector<kernels::Half> halves(w.size);
        for (std::size_t i = 0; i < w.size; ++i) halves[i] = convert::float_to_half(w.data()[i]);
        for (int type : {kF32, kF16}) {
          const void* weights = type == kF32 ? static_cast<const void*>(w.data()) : halves.data();
          scalar.matrix[type].gemv(weights, nullptr, panels, panels * kPanelRows, cols, x.data(), b, whole.data(),
                                   nullptr);
          std::fill(first.data(), first.data() + first.size, -99.0f);
          scalar.matrix[type].gemv(weights, nullptr, panels, rows, cols, x.data(), b, first.data(), nullptr);
          for (std::uint32_t j = 0; j < panels * kPanelRows; ++j) {
            INFO((type == kF32 ? "f32" : "f16") << " panels=" << panels << " rows=" << rows << " row " << j);
            if (j < rows) {
              REQUIRE(first.data()[j] == whole.data()[j]);
            } else {
              REQUIRE(first.data()[j] == (with_bias ? bias.data()[j] : 0.0f));
            }
          }
        }
      }
    }
  }
}

TEST_CASE("RNN update kernel on every ISA equals the scalar one, tanh and relu", "[kernels][rnn]") {
  const KernelTable& scalar = kernels::scalar_kernels();
  for (Isa isa : simd_isas_to_test()) {
    const KernelTable& simd = *kernels::kernels_for(isa);
    for (std::uint32_t H : {1u, 3u, 4u, 7u, 8u, 13u, 16u, 17u, 31u, 64u, 100u}) {
      for (Activation activation : {Activation::kTanh, Activation::kRelu}) {
        const std::uint32_t hp = (H + 15) / 16 * 16;
        std::mt19937 rng(H + 7 * static_cast<int>(activation));
        Floats gx(hp), gh(hp), h(hp), h_scalar(hp);
        fill(rng, gx.data(), hp, 6.0f);  // tanh well into saturation
        fill(rng, gh.data(), hp, 6.0f);
        scalar.rnn_update(gx.data(), gh.data(), H, activation, h_scalar.data());
        simd.rnn_update(gx.data(), gh.data(), H, activation, h.data());
        std::ostringstream context;
        context << isa_name(isa) << " H=" << H << " " << activation_name(activation);
        require_near(h.data(), h_scalar.data(), H, 1e-6, context.str());
      }
    }
  }
}

TEST_CASE("Vector sigmoid, tanh and relu against libm on a dense grid, with saturation, Inf and NaN", "[kernels]") {
  // Grid: [-30, 30] every 1/1024 (61441 points), then the special values.
  std::vector<float> grid;
  for (int i = -30 * 1024; i <= 30 * 1024; ++i) grid.push_back(static_cast<float>(i) / 1024.0f);
  const float inf = std::numeric_limits<float>::infinity();
  for (float special : {inf, -inf, 88.7f, -88.7f, 1e30f, -1e30f, 1e-30f, -1e-30f, 0.0f, -0.0f}) grid.push_back(special);
  const std::size_t n = grid.size();
  for (Isa isa : simd_isas_to_test()) {
    const KernelTable& simd = *kernels::kernels_for(isa);
    for (Activation activation : {Activation::kTanh, Activation::kSigmoid, Activation::kRelu}) {
      Floats values(n);
      std::copy(grid.begin(), grid.end(), values.data());
      simd.activate(activation, values.data(), static_cast<std::uint32_t>(n));
      double worst = 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        const double x = grid[i];
        const double expected = activation == Activation::kTanh      ? std::tanh(x)
                                : activation == Activation::kSigmoid ? 1.0 / (1.0 + std::exp(-x))
                                                                     : std::fmax(x, 0.0);
        INFO(isa_name(isa) << " " << activation_name(activation) << "(" << x << ") = " << values.data()[i]);
        if (std::isinf(expected)) {  // relu(+-inf)
          REQUIRE(values.data()[i] == expected);
          continue;
        }
        REQUIRE(std::isfinite(values.data()[i]));
        worst = std::fmax(worst, std::fabs(values.data()[i] - expected));
      }
      WARN(isa_name(isa) << " " << activation_name(activation) << ": max |error| against libm " << worst << " over "
                         << n << " points");
      REQUIRE(worst <= 5e-7);
    }
    // NaN in, NaN out: a poisoned value must not turn into a plausible number.
    Floats nan_values(16);
    for (int i = 0; i < 16; ++i) nan_values.data()[i] = std::numeric_limits<float>::quiet_NaN();
    simd.activate(Activation::kTanh, nan_values.data(), 16);
    for (int i = 0; i < 16; ++i) REQUIRE(std::isnan(nan_values.data()[i]));
    simd.activate(Activation::kSigmoid, nan_values.data(), 16);
    for (int i = 0; i < 16; ++i) REQUIRE(std::isnan(nan_values.data()[i]));
  }
}

TEST_CASE("Whole models on every ISA match scalar and the double reference", "[kernels][gru]") {
  struct Shape {
    std::uint32_t I, H1, H2;
    bool reset_after;
  };
  const Shape shapes[] = {{1, 1, 0, true},   {1, 8, 0, true},    {3, 7, 0, false}, {16, 64, 0, true},
                          {5, 17, 9, false}, {64, 128, 0, true}, {2, 33, 31, true}, {8, 100, 0, false}};
  for (Isa isa : simd_isas_to_test()) {
    for (const Shape& s : shapes) {
      std::mt19937 rng(s.I * 100 + s.H1);
      std::vector<convert::LayerSpec> layers = {{"", random_gru(rng, s.I, s.H1, s.reset_after)}};
      std::uint32_t width = s.H1;
      if (s.H2 != 0) {
        layers.push_back({"", random_gru(rng, s.H1, s.H2, !s.reset_after)});
        width = s.H2;
      }
      layers.push_back({"", random_dense(rng, width, 3, Activation::kSoftmax)});
      const CanonicalModel model = stacked_model(s.I, layers);
      const auto inputs = random_values(rng, 24u * s.I, 2.0f);
      auto scalar = load_model(model, Isa::kScalar);
      auto simd = load_model(model, isa);
      REQUIRE(simd->session.isa() == isa);
      const auto expected = run_steps(scalar->session, inputs, s.I, 3);
      const auto actual = run_steps(simd->session, inputs, s.I, 3);
      std::ostringstream context;
      context << isa_name(isa) << " I=" << s.I << " H=" << s.H1 << "," << s.H2;
      require_close(actual, expected, 1e-5, context.str() + " vs scalar");
      require_close(actual, reference_outputs(model, inputs), 1e-5, context.str() + " vs double reference");
    }
  }
}

TEST_CASE("Asking for an ISA this CPU or build lacks is an error, not a crash", "[kernels]") {
  std::mt19937 rng(1);
  const CanonicalModel spec = single_layer_model(random_gru(rng, 2, 3, true));
  auto loaded = load_model(spec, Isa::kScalar);
  REQUIRE(loaded->session.isa() == Isa::kScalar);
  for (std::size_t i = 0; i < known_isa_count(); ++i) {
    const Isa isa = known_isa(i);
    if (isa_available(isa)) continue;
    Session session;
    REQUIRE(session.init(loaded->model, loaded->arena.data(), loaded->arena.size(), isa) == Status::kIsaUnavailable);
    REQUIRE_THAT(session.error(), Catch::Contains(std::string("instruction set ") + isa_name(isa) +
                                                  " is not available here; available: scalar"));
  }
  REQUIRE(isa_available(Isa::kScalar));
  REQUIRE(isa_available(best_isa()));
}

TEST_CASE("run() equals repeated step() bit for bit, on every ISA and for every block remainder", "[kernels][run]") {
  std::vector<Isa> isas = isas_to_test();
  enum class First { kGru, kRnn, kDense };
  struct Case {
    const char* what;
    First first;
    bool reset_after;  // GRU: reset after; RNN: tanh (else relu)
  };
  const Case cases[] = {{"gru first, reset after", First::kGru, true},
                        {"gru first, reset before", First::kGru, false},
                        {"rnn first, tanh", First::kRnn, true},
                        {"rnn first, relu", First::kRnn, false},
                        {"dense first (no batching)", First::kDense, true}};
  for (Isa isa : isas) {
    for (const Case& c : cases) {
      std::mt19937 rng(7);
      std::vector<convert::LayerSpec> layers;
      if (c.first == First::kDense) layers.push_back({"", random_dense(rng, 5, 5, Activation::kTanh)});
      if (c.first == First::kRnn) {
        layers.push_back({"", random_rnn(rng, 5, 19, c.reset_after ? Activation::kTanh : Activation::kRelu)});
      } else {
        layers.push_back({"", random_gru(rng, 5, 19, c.reset_after)});
      }
      layers.push_back({"", random_gru(rng, 19, 6, true)});
      layers.push_back({"", random_dense(rng, 6, 2, Activation::kIdentity)});
      const CanonicalModel model = stacked_model(5, layers);
      for (std::size_t steps : {0u, 1u, 2u, 3u, 4u, 5u, 7u, 8u, 11u}) {
        const auto inputs = random_values(rng, std::max<std::size_t>(steps, 1) * 5, 1.5f);
        std::ostringstream context;
        context << isa_name(isa) << ", " << c.what;
        require_run_equals_steps(model, isa, inputs, steps, context.str());
      }
    }
  }
}

TEST_CASE("run() refuses null pointers and use before init", "[run]") {
  Session idle;
  float x = 0.0f;
  REQUIRE(idle.run(&x, &x, 1) == Status::kNotInitialized);
  std::mt19937 rng(3);
  auto loaded = load_model(single_layer_model(random_gru(rng, 1, 4, true)));
  REQUIRE(loaded->session.run(nullptr, &x, 1) == Status::kNullArgument);
  REQUIRE(loaded->session.run(&x, nullptr, 1) == Status::kNullArgument);
}

// Sets GRURT_ISA, or removes it (nullptr): POSIX has setenv/unsetenv, Windows'
// C runtime _putenv_s, where an empty value removes the variable.
static void set_isa_variable(const char* value) {
#if defined(_WIN32)
  _putenv_s("GRURT_ISA", value != nullptr ? value : "");
#else
  if (value != nullptr) {
    setenv("GRURT_ISA", value, 1);
  } else {
    unsetenv("GRURT_ISA");
  }
#endif
}

TEST_CASE("GRURT_ISA chooses the ISA for Isa::kAuto and an unknown name is an error", "[kernels]") {
  std::mt19937 rng(2);
  auto loaded = load_model(single_layer_model(random_gru(rng, 2, 3, true)), Isa::kScalar);
  Session session;
  const char* previous = std::getenv("GRURT_ISA");
  const std::string saved = previous != nullptr ? previous : "";
  set_isa_variable("scalar");
  REQUIRE(session.init(loaded->model, loaded->arena.data(), loaded->arena.size()) == Status::kOk);
  REQUIRE(session.isa() == Isa::kScalar);
  set_isa_variable("sse9");
  REQUIRE(session.init(loaded->model, loaded->arena.data(), loaded->arena.size()) == Status::kIsaUnavailable);
  REQUIRE(std::string(session.error()) == "GRURT_ISA='sse9' is not one of scalar, avx2, avx512, neon, avx_vnni, neon_dotprod, "
                                             "avx512_vnni, helium");
  set_isa_variable(nullptr);
  REQUIRE(session.init(loaded->model, loaded->arena.data(), loaded->arena.size()) == Status::kOk);
  REQUIRE(session.isa() == best_isa_for(loaded->model));
  if (!saved.empty()) set_isa_variable(saved.c_str());
}

TEST_CASE("kAuto takes the 256-bit twin of a 512-bit ISA for models of at most kNarrowModelRows outputs per layer",
          "[isa]") {
  std::mt19937 rng(3);
  auto narrow = load_model(single_layer_model(random_gru(rng, 1, kNarrowModelRows, true)));
  auto wide = load_model(single_layer_model(random_gru(rng, 1, kNarrowModelRows + 1, true)));
  auto wide_lstm_cell = load_model(stacked_model(2, {{"", random_lstm(rng, 2, kNarrowModelRows + 1, {true, false, 4})}}));
  auto wide_head = load_model(stacked_model(1, {{"", random_gru(rng, 1, kNarrowModelRows, true)},
                                                {"", random_dense(rng, kNarrowModelRows, kNarrowModelRows + 1,
                                                                  Activation::kIdentity)}}));
  const Isa best = best_isa();
  REQUIRE(best_isa_for(wide->model) == best);
  REQUIRE(best_isa_for(wide_head->model) == best);
  REQUIRE(best_isa_for(wide_lstm_cell->model) == best);  // its cells are wide though its output (4) is not
  REQUIRE(best_isa_for(Model{}) == best);
  const Isa small = best_isa_for(narrow->model);
  if (best == Isa::kAvx512Vnni) {
    REQUIRE(small == (isa_available(Isa::kAvxVnni) ? Isa::kAvxVnni : Isa::kAvx2));
  } else if (best == Isa::kAvx512) {
    REQUIRE(small == Isa::kAvx2);
  } else {
    WARN("SKIPPED: no 512-bit ISA here (best is " << isa_name(best) << "): kAuto's choice is best_isa() for every model");
    REQUIRE(small == best);
  }
  // Sessions take it with kAuto (unless GRURT_ISA is set).
  if (std::getenv("GRURT_ISA") == nullptr) {
    Session session;
    REQUIRE(session.init(narrow->model, narrow->arena.data(), narrow->arena.size()) == Status::kOk);
    REQUIRE(session.isa() == small);
  }
}
