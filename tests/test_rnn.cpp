// The plain (Elman) RNN layer: h' = activation(W x + bW + R h + bR), tanh or relu.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <sstream>

#include "support/compare.hpp"
#include "support/random_models.hpp"
#include "support/reference_gru.hpp"

using namespace grurt;
using namespace grurt::test;

TEST_CASE("Known values: a two-unit RNN computed by hand, tanh and relu", "[rnn]") {
  // I = 1, H = 2; W = [1, -1], R = [[0.5, 0], [0, 0.5]], bW = [0.25, 0], bR = [0, -0.5].
  for (Activation activation : {Activation::kTanh, Activation::kRelu}) {
    RnnSpec rnn;
    rnn.input_size = 1;
    rnn.hidden_size = 2;
    rnn.activation = activation;
    rnn.w = {1.0f, -1.0f};
    rnn.r = {0.5f, 0.0f, 0.0f, 0.5f};
    rnn.bias_w = {0.25f, 0.0f};
    rnn.bias_r = {0.0f, -0.5f};
    auto loaded = load_model(stacked_model(1, {{"", rnn}}));
    auto act = [activation](double v) { return activation == Activation::kTanh ? std::tanh(v) : std::fmax(v, 0.0); };
    double h0 = 0.0, h1 = 0.0;
    for (float x : {1.0f, -2.0f, 0.5f}) {
      const double n0 = act(x + 0.25 + 0.5 * h0), n1 = act(-x - 0.5 + 0.5 * h1);
      h0 = n0;
      h1 = n1;
      float output[2];
      REQUIRE(loaded->session.step(&x, output) == Status::kOk);
      INFO(activation_name(activation) << " x=" << x);
      REQUIRE(output[0] == Approx(h0).margin(1e-6));
      REQUIRE(output[1] == Approx(h1).margin(1e-6));
    }
  }
}

TEST_CASE("RNN stacks on every ISA match the double reference", "[rnn][kernels]") {
  struct Shape {
    std::uint32_t I, H1, H2;
    Activation activation;
    bool bias;
  };
  const Shape shapes[] = {{1, 1, 0, Activation::kTanh, true},   {1, 5, 0, Activation::kRelu, true},
                          {3, 17, 0, Activation::kRelu, false}, {16, 64, 0, Activation::kTanh, true},
                          {5, 33, 9, Activation::kTanh, true},  {4, 100, 31, Activation::kRelu, true}};
  std::vector<Isa> isas = isas_to_test();
  for (Isa isa : isas) {
    for (const Shape& s : shapes) {
      std::mt19937 rng(s.I * 100 + s.H1);
      std::vector<convert::LayerSpec> layers = {{"", random_rnn(rng, s.I, s.H1, s.activation, s.bias)}};
      std::uint32_t width = s.H1;
      if (s.H2 != 0) {
        layers.push_back({"", random_rnn(rng, s.H1, s.H2, Activation::kTanh)});
        width = s.H2;
      }
      layers.push_back({"", random_dense(rng, width, 3, Activation::kIdentity)});
      const CanonicalModel model = stacked_model(s.I, layers);
      const auto inputs = random_values(rng, 24u * s.I, 1.0f);
      auto loaded = load_model(model, isa);
      std::ostringstream context;
      context << isa_name(isa) << " I=" << s.I << " H=" << s.H1 << "," << s.H2 << " "
              << activation_name(s.activation) << (s.bias ? "" : " no bias");
      require_close(run_steps(loaded->session, inputs, s.I, 3), reference_outputs(model, inputs), 1e-5,
                    context.str());
    }
  }
}

TEST_CASE("Mixed GRU and RNN stacks: state in layer order, checkpoint and restore", "[rnn][state]") {
  std::mt19937 rng(77);
  const CanonicalModel model = stacked_model(2, {{"", random_gru(rng, 2, 6, true)},
                                                 {"", random_rnn(rng, 6, 5, Activation::kRelu)},
                                                 {"", random_dense(rng, 5, 2, Activation::kIdentity)}});
  auto loaded = load_model(model);
  REQUIRE(loaded->model.state_size() == 11);
  REQUIRE(loaded->model.layer(1).kind == LayerKind::kRnn);
  REQUIRE(std::string(layer_kind_name(LayerKind::kRnn)) == "rnn");
  REQUIRE(loaded->model.layer(1).activation == Activation::kRelu);
  REQUIRE(loaded->model.layer(1).parameters == 5u * 6 + 5u * 5 + 5 + 5);
  const auto inputs = random_values(rng, 2u * 10, 1.0f);
  ReferenceModel reference(model);
  std::vector<float> output(2);
  for (std::size_t t = 0; t < 10; ++t) {
    REQUIRE(loaded->session.step(&inputs[2 * t], output.data()) == Status::kOk);
    reference.step({inputs[2 * t], inputs[2 * t + 1]});
  }
  // read_state: the GRU's h[6] then the RNN's h[5], as the reference keeps them.
  std::vector<float> state(11);
  REQUIRE(loaded->session.read_state(state.data(), state.size()) == Status::kOk);
  require_close(state, reference.state(), 1e-5, "state after 10 steps");
  // Restoring a checkpoint into a fresh session continues the same stream.
  auto restored = load_model(model);
  REQUIRE(restored->session.write_state(state.data(), state.size()) == Status::kOk);
  const float x[2] = {0.3f, -0.7f};
  std::vector<float> a(2), b(2);
  REQUIRE(loaded->session.step(x, a.data()) == Status::kOk);
  REQUIRE(restored->session.step(x, b.data()) == Status::kOk);
  REQUIRE(a == b);
  REQUIRE(loaded->session.reset() == Status::kOk);
  REQUIRE(loaded->session.read_state(state.data(), state.size()) == Status::kOk);
  REQUIRE(state == std::vector<float>(11, 0.0f));
}
