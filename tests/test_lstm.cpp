// The LSTM layer (schema LstmLayer): gates i, f, g, o; optional peephole and
// projection; sigmoid or hard_sigmoid gates. Every SIMD table against scalar, scalar bit for bit against the
// float reference, every ISA against the double reference, run() against
// step(), the state's layout (h then c), and values worked by hand.
#include <catch2/catch.hpp>
#include <cmath>
#include <iterator>
#include <random>
#include <sstream>

#include "kernels/kernel_table.hpp"
#include "support/compare.hpp"
#include "support/gate_checks.hpp"
#include "support/kernel_buffers.hpp"
#include "support/random_models.hpp"
#include "support/reference_float.hpp"
#include "support/reference_gru.hpp"

using namespace grurt;
using namespace grurt::test;
using grurt::kernels::GateActivations;
using grurt::kernels::KernelTable;

namespace {

std::vector<Isa> every_isa() {
  std::vector<Isa> isas = isas_to_test();
  return isas;
}

// The variants a layer can have, named for messages: hard_sigmoid gates
// (slope > 0) as Keras before 2.3 (0.2) and Keras 3 (1/6) save them.
struct Variant {
  const char* name;
  LstmOptions options;
  float hard_sigmoid_slope = 0.0f;  // 0: sigmoid gates
};
const Variant kVariants[] = {
    {"plain", {true, false, 0}},
    {"no bias", {false, false, 0}},
    {"peephole", {true, true, 0}},
    {"projection 3", {true, false, 3}},
    {"peephole and projection 5", {true, true, 5}},
    {"hard_sigmoid 0.2x+0.5", {true, false, 0}, 0.2f},
    {"peephole and projection 5, hard_sigmoid x/6+0.5", {true, true, 5}, 1.0f / 6.0f},
};

// An LSTM with the variant's weights and gates.
LstmSpec variant_lstm(std::mt19937& rng, std::uint32_t inputs, std::uint32_t hidden, const Variant& v) {
  LstmSpec lstm = random_lstm(rng, inputs, hidden, v.options);
  if (v.hard_sigmoid_slope > 0.0f) {
    lstm.gate_activation = GateActivation::kHardSigmoid;
    lstm.hard_sigmoid_slope = v.hard_sigmoid_slope;
    lstm.hard_sigmoid_offset = 0.5f;
  }
  return lstm;
}

double sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }
double hard_sigmoid(double v) { return v <= -2.5 ? 0.0 : v >= 2.5 ? 1.0 : 0.2 * v + 0.5; }

}  // namespace

TEST_CASE("Known values: a one-cell LSTM worked by hand, with peephole, projection and hard gates", "[lstm]") {
  // I = 1, H = 1: W = [0.5, -1, 2, 1] (i, f, g, o), R = [0.25, 0.5, -0.5, 1], bW = [0.1, 0.2, 0.3, 0.4], no bR.
  // x = 9 and -9 push i, f and o past both of hard_sigmoid's clip points (-2.5, 2.5).
  LstmSpec lstm;
  lstm.input_size = 1;
  lstm.hidden_size = 1;
  lstm.w = {0.5f, -1.0f, 2.0f, 1.0f};
  lstm.r = {0.25f, 0.5f, -0.5f, 1.0f};
  lstm.bias_w = {0.1f, 0.2f, 0.3f, 0.4f};
  for (int variant = 0; variant < 8; ++variant) {
    const bool hard = variant & 4, peephole = variant & 2, projection = variant & 1;
    LstmSpec layer = lstm;
    if (hard) layer.gate_activation = GateActivation::kHardSigmoid;  // slope 0.2, offset 0.5 by default
    auto gate = [hard](double v) { return hard ? hard_sigmoid(v) : sigmoid(v); };
    const double p[3] = {peephole ? 0.3 : 0.0, peephole ? -0.2 : 0.0, peephole ? 0.7 : 0.0};
    if (peephole) layer.peephole = {0.3f, -0.2f, 0.7f};
    const double scale = projection ? -1.5 : 1.0;
    if (projection) {
      layer.projection_size = 1;
      layer.projection = {-1.5f};
    }
    auto loaded = load_model(stacked_model(1, {{"", layer}}));
    double h = 0.0, c = 0.0;
    for (float x : {1.0f, -2.0f, 0.5f, 0.0f, 9.0f, -9.0f, 0.25f}) {
      const double i = gate(0.5 * x + 0.1 + 0.25 * h + p[0] * c);
      const double f = gate(-1.0 * x + 0.2 + 0.5 * h + p[1] * c);
      const double g = std::tanh(2.0 * x + 0.3 - 0.5 * h);
      c = f * c + i * g;
      const double o = gate(1.0 * x + 0.4 + 1.0 * h + p[2] * c);
      h = scale * o * std::tanh(c);
      float output = 0.0f;
      REQUIRE(loaded->session.step(&x, &output) == Status::kOk);
      INFO((hard ? "hard gates " : "") << (peephole ? "peephole " : "") << (projection ? "projection " : "")
                                       << "x=" << x);
      REQUIRE(output == Approx(h).margin(1e-6));
      float state[2];
      REQUIRE(loaded->session.read_state(state, 2) == Status::kOk);
      REQUIRE(state[0] == Approx(h).margin(1e-6));  // h first
      REQUIRE(state[1] == Approx(c).margin(1e-6));  // then c
    }
  }
}

TEST_CASE("LSTM gate kernel on every ISA equals the scalar one, with and without peephole and hard gates",
          "[kernels][lstm]") {
  const KernelTable& scalar = kernels::scalar_kernels();
  GateActivations keras2, keras3;  // sigmoid gates: GateActivations{}
  keras2.hard_gates = keras3.hard_gates = true;
  keras3.slope = 1.0f / 6.0f;
  const std::pair<const char*, GateActivations> gate_cases[] = {
      {"sigmoid", GateActivations{}}, {"hard_sigmoid 0.2x+0.5", keras2}, {"hard_sigmoid x/6+0.5", keras3}};
  for (Isa isa : simd_isas_to_test()) {
    const KernelTable& simd = *kernels::kernels_for(isa);
    for (std::size_t variant = 0; variant < 2 * std::size(gate_cases); ++variant) {
      const auto& [gate_name, a] = gate_cases[variant / 2];
      const bool with_peephole = variant % 2 == 1;
      for (std::uint32_t H : {1u, 3u, 4u, 5u, 7u, 8u, 9u, 13u, 16u, 17u, 31u, 33u, 64u, 100u}) {
        const std::uint32_t hp = (H + 15) / 16 * 16;
        std::mt19937 rng(H * 7 + with_peephole);
        Floats gx(4 * hp), gh(4 * hp), peephole(3 * hp), c(hp), c_scalar(hp), h(hp), h_scalar(hp);
        fill(rng, gx.data(), 4 * hp, 6.0f);  // well into saturation, past both hard_sigmoid clip points
        fill(rng, gh.data(), 4 * hp, 6.0f);
        fill(rng, peephole.data(), 3 * hp, 1.0f);
        fill(rng, c.data(), hp, 3.0f);
        std::copy(c.data(), c.data() + hp, c_scalar.data());
        const float* p = with_peephole ? peephole.data() : nullptr;
        scalar.lstm_update(gx.data(), gh.data(), p, hp, H, a, c_scalar.data(), h_scalar.data());
        simd.lstm_update(gx.data(), gh.data(), p, hp, H, a, c.data(), h.data());
        std::ostringstream context;
        context << isa_name(isa) << " " << gate_name << " H=" << H << (with_peephole ? " peephole" : "");
        require_near(c.data(), c_scalar.data(), H, 1e-6, context.str() + " c");
        require_near(h.data(), h_scalar.data(), H, 1e-6, context.str() + " h");
      }
    }
  }
}

TEST_CASE("LSTM hard_sigmoid gates clip at 0 and 1 and pass NaN on every ISA", "[kernels][lstm]") {
  // c starts at 0 and g = tanh(20) = 1 in float, so c' = i = hard_sigmoid(pre) and
  // h = o tanh(c') = tanh(c') with o = hard_sigmoid(20) = 1; f's pre-activation is
  // the same as i's, but multiplies c = 0 (NaN times 0 stays NaN).
  GateActivations a;
  a.hard_gates = true;
  for (Isa isa : every_isa()) {
    const KernelTable& k = isa == Isa::kScalar ? kernels::scalar_kernels() : *kernels::kernels_for(isa);
    Floats gx(64), gh(64), c(16), h(16), tanh_c(16);
    for (int j = 0; j < 16; ++j) {
      gx.data()[j] = gx.data()[16 + j] = kHardSigmoidInputs[j];  // i, f
      gx.data()[32 + j] = gx.data()[48 + j] = 20.0f;              // g, o
      for (int gate = 0; gate < 4; ++gate) gh.data()[16 * gate + j] = 0.0f;
      c.data()[j] = 0.0f;
    }
    k.lstm_update(gx.data(), gh.data(), nullptr, 16, 16, a, c.data(), h.data());
    require_keras2_hard_sigmoid(c.data(), isa_name(isa));
    for (int j = 0; j < 16; ++j) tanh_c.data()[j] = std::tanh(c.data()[j]);
    // The last input is NaN (c' checked above); h elsewhere within a tanh's rounding.
    require_near(h.data(), tanh_c.data(), kHardSigmoidCases - 1, 1e-6, std::string(isa_name(isa)) + " h = tanh(c')");
  }
}

TEST_CASE("LSTM: the scalar ISA equals the row-major float reference bit for bit", "[lstm]") {
  for (const Variant& v : kVariants) {
    for (std::uint32_t H : {1u, 7u, 17u, 40u}) {
      std::mt19937 rng(H * 10 + 3);
      const LstmSpec first = variant_lstm(rng, 3, H, v);
      const CanonicalModel model =
          stacked_model(3, {{"", first},
                            {"", variant_lstm(rng, first.output_size(), 6, v)},
                            {"", random_dense(rng, v.options.projection != 0 ? v.options.projection : 6, 4,
                                              Activation::kIdentity)}});
      const auto inputs = random_values(rng, 20 * 3, 2.0f);
      auto loaded = load_model(model, Isa::kScalar);
      INFO(v.name << " H=" << H);
      REQUIRE(run_steps(loaded->session, inputs, 3, 4) == row_major_float_outputs(model, inputs));
    }
  }
}

TEST_CASE("LSTM stacks, alone and mixed with GRUs, on every ISA match the double reference", "[lstm][kernels]") {
  struct Shape {
    std::uint32_t I, H1, H2;
    bool gru_below;  // a GRU(I -> H1) under the LSTM(H1 -> H2), else an LSTM under a GRU
  };
  const Shape shapes[] = {{1, 1, 0, false},  {1, 5, 0, false},  {3, 7, 0, false},   {16, 64, 0, false},
                          {5, 33, 9, false}, {2, 11, 17, true}, {4, 100, 31, false}, {1, 8, 8, true}};
  for (Isa isa : every_isa()) {
    for (const Variant& v : kVariants) {
      for (const Shape& s : shapes) {
        std::mt19937 rng(s.I * 100 + s.H1);
        std::vector<convert::LayerSpec> layers;
        std::uint32_t width = 0;
        if (s.H2 != 0 && s.gru_below) {
          layers.push_back({"", random_gru(rng, s.I, s.H1, true)});
          const LstmSpec lstm = variant_lstm(rng, s.H1, s.H2, v);
          layers.push_back({"", lstm});
          width = lstm.output_size();
        } else {
          const LstmSpec lstm = variant_lstm(rng, s.I, s.H1, v);
          layers.push_back({"", lstm});
          width = lstm.output_size();
          if (s.H2 != 0) {
            layers.push_back({"", random_gru(rng, width, s.H2, false)});
            width = s.H2;
          }
        }
        layers.push_back({"", random_dense(rng, width, 3, Activation::kIdentity)});
        const CanonicalModel model = stacked_model(s.I, layers);
        const auto inputs = random_values(rng, 24u * s.I, 1.5f);
        auto loaded = load_model(model, isa);
        REQUIRE(loaded->session.isa() == isa);
        std::ostringstream context;
        context << isa_name(isa) << " " << v.name << " I=" << s.I << " H=" << s.H1 << "," << s.H2
                << (s.gru_below ? " GRU below" : "");
        require_close(run_steps(loaded->session, inputs, s.I, 3), reference_outputs(model, inputs), 1e-5,
                      context.str());
      }
    }
  }
}

TEST_CASE("LSTM: run() equals repeated step() bit for bit on every ISA", "[lstm][kernels][run]") {
  for (Isa isa : every_isa()) {
    for (const Variant& v : kVariants) {
      std::mt19937 rng(11);
      const LstmSpec lstm = variant_lstm(rng, 4, 19, v);
      const CanonicalModel model =
          stacked_model(4, {{"", lstm}, {"", random_dense(rng, lstm.output_size(), 2, Activation::kIdentity)}});
      for (std::size_t steps : {1u, 3u, 4u, 5u, 9u}) {
        const auto inputs = random_values(rng, steps * 4, 1.5f);
        require_run_equals_steps(model, isa, inputs, steps, std::string(isa_name(isa)) + ", " + v.name);
      }
    }
  }
}

TEST_CASE("LSTM state: h then c per layer, in layer order, checkpoint, restore and reset", "[lstm][state]") {
  std::mt19937 rng(78);
  LstmOptions projected;
  projected.projection = 4;
  const CanonicalModel model = stacked_model(2, {{"", random_lstm(rng, 2, 6, projected)},
                                                 {"", random_gru(rng, 4, 5, true)},
                                                 {"", random_lstm(rng, 5, 3, {})},
                                                 {"", random_dense(rng, 3, 2, Activation::kIdentity)}});
  auto loaded = load_model(model);
  // LSTM h[4] c[6], GRU h[5], LSTM h[3] c[3].
  REQUIRE(loaded->model.state_size() == 4 + 6 + 5 + 3 + 3);
  const LayerView first = loaded->model.layer(0);
  REQUIRE(first.kind == LayerKind::kLstm);
  REQUIRE(std::string(layer_kind_name(LayerKind::kLstm)) == "lstm");
  REQUIRE(first.output_size == 4);
  REQUIRE(first.cell_size == 6);
  REQUIRE(first.parameters == 24u * 2 + 24u * 4 + 24 + 24 + 4u * 6);
  const auto inputs = random_values(rng, 2u * 10, 1.0f);
  ReferenceModel reference(model);
  std::vector<float> output(2);
  for (std::size_t t = 0; t < 10; ++t) {
    REQUIRE(loaded->session.step(&inputs[2 * t], output.data()) == Status::kOk);
    reference.step({inputs[2 * t], inputs[2 * t + 1]});
  }
  std::vector<float> state(21);
  REQUIRE(loaded->session.read_state(state.data(), state.size()) == Status::kOk);
  require_close(state, reference.state(), 1e-5, "state after 10 steps");
  auto restored = load_model(model);
  REQUIRE(restored->session.write_state(state.data(), state.size()) == Status::kOk);
  const float x[2] = {0.3f, -0.7f};
  std::vector<float> a(2), b(2);
  REQUIRE(loaded->session.step(x, a.data()) == Status::kOk);
  REQUIRE(restored->session.step(x, b.data()) == Status::kOk);
  REQUIRE(a == b);
  // A state written from the reference continues as the reference does.
  ReferenceModel from_state(model);
  std::vector<double> written(21);
  for (std::size_t i = 0; i < written.size(); ++i) written[i] = 0.1 * std::sin(static_cast<double>(i));
  from_state.set_state(written);
  const std::vector<float> written_f(written.begin(), written.end());
  REQUIRE(restored->session.write_state(written_f.data(), written_f.size()) == Status::kOk);
  REQUIRE(restored->session.step(x, b.data()) == Status::kOk);
  require_close(b, from_state.step({x[0], x[1]}), 1e-6, "step from a written state");
  REQUIRE(loaded->session.reset() == Status::kOk);
  REQUIRE(loaded->session.read_state(state.data(), state.size()) == Status::kOk);
  REQUIRE(state == std::vector<float>(21, 0.0f));
}

TEST_CASE("LSTM: the arena size the model states is what a session needs, and each variant differs", "[lstm]") {
  std::mt19937 rng(5);
  const auto inputs = random_values(rng, 10 * 3, 2.0f);
  std::vector<std::vector<float>> outputs;
  for (const Variant& v : kVariants) {
    std::mt19937 weights(9);
    const LstmSpec lstm = variant_lstm(weights, 3, 9, v);
    const CanonicalModel model = stacked_model(3, {{"", lstm}, {"", random_dense(weights, lstm.output_size(), 2,
                                                                                  Activation::kIdentity)}});
    auto loaded = load_model(model);
    Session short_arena;
    AlignedBytes arena(loaded->model.arena_bytes() - 64);
    INFO(v.name);
    REQUIRE(short_arena.init(loaded->model, arena.data(), arena.size()) == Status::kArenaTooSmall);
    outputs.push_back(run_steps(loaded->session, inputs, 3, 2));
  }
  for (std::size_t i = 1; i < outputs.size(); ++i) REQUIRE(outputs[i] != outputs[0]);
}
