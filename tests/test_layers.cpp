// Stacks: several GRU layers, Dense heads and stand-alone activations.
#include <catch2/catch.hpp>
#include <random>

#include "support/compare.hpp"
#include "support/random_models.hpp"
#include "support/reference_gru.hpp"

using namespace grurt;
using namespace grurt::test;

namespace {

constexpr double kTolerance = 1e-5;

void check_stack(const CanonicalModel& model, std::mt19937& rng, const char* context) {
  const auto inputs = random_values(rng, 20u * model.input_size, 1.5f);
  auto loaded = load_model(model);
  REQUIRE(loaded->model.output_size() == model.output_size());
  require_close(run_steps(loaded->session, inputs, model.input_size, model.output_size()),
                reference_outputs(model, inputs), kTolerance, context);
}

}  // namespace

TEST_CASE("Two GRU layers, each variant, then a dense head", "[stack]") {
  std::mt19937 rng(21);
  check_stack(stacked_model(3, {{"gru0", random_gru(rng, 3, 10, true)},
                                {"gru1", random_gru(rng, 10, 6, false)},
                                {"head", random_dense(rng, 6, 2, Activation::kIdentity)}}),
              rng, "gru-gru-dense");
}

TEST_CASE("Three GRU layers of shrinking width", "[stack]") {
  std::mt19937 rng(22);
  check_stack(stacked_model(1, {{"", random_gru(rng, 1, 33, true)},
                                {"", random_gru(rng, 33, 17, true)},
                                {"", random_gru(rng, 17, 3, true)}}),
              rng, "3 layers");
}

TEST_CASE("Dense heads with each activation", "[stack][dense]") {
  const Activation activations[] = {Activation::kIdentity, Activation::kTanh, Activation::kSigmoid,
                                    Activation::kRelu, Activation::kSoftmax};
  for (Activation activation : activations) {
    std::mt19937 rng(30 + static_cast<int>(activation));
    check_stack(stacked_model(4, {{"", random_gru(rng, 4, 9, true)}, {"", random_dense(rng, 9, 5, activation)}}),
                rng, activation_name(activation));
  }
}

TEST_CASE("Dense head without bias", "[stack][dense]") {
  std::mt19937 rng(40);
  check_stack(stacked_model(2, {{"", random_gru(rng, 2, 8, true)},
                                {"", random_dense(rng, 8, 3, Activation::kIdentity, false)}}),
              rng, "dense without bias");
}

TEST_CASE("Stand-alone activation layers after a GRU and after a dense layer", "[stack][activation]") {
  std::mt19937 rng(41);
  check_stack(stacked_model(3, {{"", random_gru(rng, 3, 6, true)},
                                {"", ActivationSpec{6, Activation::kTanh}},
                                {"", random_dense(rng, 6, 4, Activation::kIdentity)},
                                {"", ActivationSpec{4, Activation::kSoftmax}},
                                {"", ActivationSpec{4, Activation::kRelu}}}),
              rng, "activations");
}

TEST_CASE("An activation layer after a GRU does not change the GRU's state", "[stack][activation]") {
  // The activation writes to a scratch vector; if it wrote into the state in
  // place, the next step would see tanh(h) instead of h.
  std::mt19937 rng(42);
  check_stack(stacked_model(2, {{"", random_gru(rng, 2, 5, true)}, {"", ActivationSpec{5, Activation::kSigmoid}},
                                {"", random_gru(rng, 5, 4, false)}}),
              rng, "gru-activation-gru");
}

TEST_CASE("Dense-only and dense-first models", "[stack][dense]") {
  std::mt19937 rng(43);
  check_stack(stacked_model(5, {{"", random_dense(rng, 5, 7, Activation::kRelu)},
                                {"", random_gru(rng, 7, 4, true)},
                                {"", random_dense(rng, 4, 4, Activation::kSigmoid)},
                                {"", random_dense(rng, 4, 2, Activation::kIdentity)}}),
              rng, "dense-gru-dense-dense");
}

TEST_CASE("Softmax outputs sum to one and stay finite for large logits", "[dense][activation]") {
  std::mt19937 rng(44);
  DenseSpec dense = random_dense(rng, 1, 3, Activation::kSoftmax);
  dense.weight = {100.0f, 90.0f, -50.0f};
  dense.bias = {0.0f, 0.0f, 0.0f};
  auto loaded = load_model(stacked_model(1, {{"", dense}}));
  const float input = 10.0f;  // logits 1000, 900, -500: exp() alone would overflow
  float output[3];
  REQUIRE(loaded->session.step(&input, output) == Status::kOk);
  REQUIRE(output[0] == Approx(1.0f));
  REQUIRE(output[1] == Approx(0.0f).margin(1e-30));
  REQUIRE(output[0] + output[1] + output[2] == Approx(1.0f));
}

TEST_CASE("Output may alias the input buffer", "[session]") {
  std::mt19937 rng(45);
  const CanonicalModel model = stacked_model(4, {{"", random_dense(rng, 4, 4, Activation::kTanh)}});
  auto loaded = load_model(model);
  std::vector<float> buffer = {0.1f, -0.2f, 0.3f, 0.7f};
  const auto expected = reference_outputs(model, buffer);
  REQUIRE(loaded->session.step(buffer.data(), buffer.data()) == Status::kOk);
  require_close(buffer, expected, kTolerance, "aliased");
}
