// The scalar GRU step against the independent double-precision reference.
#include <catch2/catch.hpp>
#include <random>
#include <sstream>

#include "support/compare.hpp"
#include "support/random_models.hpp"
#include "support/reference_float.hpp"
#include "support/reference_gru.hpp"
#include "grurt_convert/model_writer.hpp"

using namespace grurt;
using namespace grurt::test;

namespace {

// float32 accumulation over up to a few hundred terms stays well inside this.
constexpr double kTolerance = 1e-5;
constexpr std::uint32_t kSteps = 24;

// Inputs in [-2, 2] so gates visit both saturated and linear regions.
std::vector<float> random_inputs(std::mt19937& rng, std::uint32_t input_size) {
  return random_values(rng, std::size_t{kSteps} * input_size, 2.0f);
}

void check_single_gru(std::uint32_t I, std::uint32_t H, bool reset_after, bool bias) {
  std::mt19937 rng(1000 * I + H + (reset_after ? 7 : 0));
  const CanonicalModel model = single_layer_model(random_gru(rng, I, H, reset_after, bias));
  const auto inputs = random_inputs(rng, I);
  auto loaded = load_model(model);
  const auto actual = run_steps(loaded->session, inputs, I, H);
  std::ostringstream context;
  context << "I=" << I << " H=" << H << (reset_after ? " reset_after" : " reset_before") << (bias ? "" : " no bias");
  require_close(actual, reference_outputs(model, inputs), kTolerance, context.str());
}

}  // namespace

TEST_CASE("GRU reset_after matches the double reference over many shapes", "[gru]") {
  const std::uint32_t inputs[] = {1, 2, 3, 8, 17};
  const std::uint32_t hiddens[] = {1, 2, 5, 8, 13, 16, 31, 64};
  for (auto I : inputs)
    for (auto H : hiddens) check_single_gru(I, H, true, true);
}

TEST_CASE("GRU reset_before matches the double reference over many shapes", "[gru]") {
  const std::uint32_t inputs[] = {1, 2, 3, 8, 17};
  const std::uint32_t hiddens[] = {1, 2, 5, 8, 13, 16, 31, 64};
  for (auto I : inputs)
    for (auto H : hiddens) check_single_gru(I, H, false, true);
}

TEST_CASE("GRU without biases treats missing biases as zeros", "[gru]") {
  check_single_gru(3, 7, true, false);
  check_single_gru(3, 7, false, false);
  check_single_gru(1, 1, true, false);
}

TEST_CASE("GRU with a wide input and a large hidden size", "[gru]") {
  check_single_gru(100, 128, true, true);
  check_single_gru(40, 97, false, true);
}

TEST_CASE("GRU with only one of the two biases present", "[gru]") {
  std::mt19937 rng(5);
  GruSpec gru = random_gru(rng, 4, 6, true);
  gru.bias_r.clear();
  CanonicalModel model = single_layer_model(gru);
  auto inputs = random_inputs(rng, 4);
  auto loaded = load_model(model);
  require_close(run_steps(loaded->session, inputs, 4, 6), reference_outputs(model, inputs), kTolerance, "no bR");

  gru = random_gru(rng, 4, 6, false);
  gru.bias_w.clear();
  model = single_layer_model(gru);
  loaded = load_model(model);
  require_close(run_steps(loaded->session, inputs, 4, 6), reference_outputs(model, inputs), kTolerance, "no bW");
}

TEST_CASE("GRU saturates without NaN for huge inputs", "[gru]") {
  std::mt19937 rng(9);
  const CanonicalModel model = single_layer_model(random_gru(rng, 2, 5, true));
  std::vector<float> inputs = {1e30f, -1e30f, -1e30f, 1e30f, 1e4f, 1e4f};
  auto loaded = load_model(model);
  const auto actual = run_steps(loaded->session, inputs, 2, 5);
  for (float v : actual) {
    REQUIRE(std::isfinite(v));
    REQUIRE(std::fabs(v) <= 1.0f);
  }
  require_close(actual, reference_outputs(model, inputs), kTolerance, "saturated");
}

TEST_CASE("Known values: a one-unit GRU computed by hand", "[gru]") {
  // I = H = 1, every weight 0.5, biases 0.25, input 1, h = 0:
  //   r = z = sigmoid(0.5 + 0.25 + 0 + 0.25) = sigmoid(1)
  //   n = tanh(0.5 + 0.25 + r * (0 + 0.25)),  h' = (1 - z) * n
  GruSpec gru;
  gru.input_size = gru.hidden_size = 1;
  gru.w = {0.5f, 0.5f, 0.5f};
  gru.r = {0.5f, 0.5f, 0.5f};
  gru.bias_w = {0.25f, 0.25f, 0.25f};
  gru.bias_r = {0.25f, 0.25f, 0.25f};
  auto loaded = load_model(single_layer_model(gru));
  const float input = 1.0f;
  float output = 0.0f;
  REQUIRE(loaded->session.step(&input, &output) == Status::kOk);
  const double s = 1.0 / (1.0 + std::exp(-1.0));
  const double expected = (1.0 - s) * std::tanh(0.75 + s * 0.25);
  REQUIRE(output == Approx(expected).margin(1e-6));
}

TEST_CASE("The scalar ISA equals the row-major float reference bit for bit", "[gru][rnn][packed]") {
  // Same products added in the same order (tests/support/reference_float.cpp):
  // only the storage differs, so any packing or ordering slip shows as a bit.
  for (std::uint32_t H : {1u, 7u, 16u, 17u, 40u}) {
    for (bool reset_after : {true, false}) {
      std::mt19937 rng(H * 10 + reset_after);
      const CanonicalModel model = stacked_model(3, {{"", random_gru(rng, 3, H, reset_after)},
                                                     {"", random_rnn(rng, H, H + 3, reset_after ? Activation::kTanh : Activation::kRelu)},
                                                     {"", random_dense(rng, H + 3, 5, Activation::kTanh)}});
      const auto inputs = random_inputs(rng, 3);
      auto packed = load_model(model, Isa::kScalar);
      INFO("H=" << H << (reset_after ? " reset_after, tanh" : " reset_before, relu"));
      REQUIRE(run_steps(packed->session, inputs, 3, 5) == row_major_float_outputs(model, inputs));
    }
  }
}
