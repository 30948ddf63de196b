// The conversion check must refuse every wrong canonicalisation (each planted
// here by converting a deliberately wrong SourceModel while the reference
// evaluates the right one) at its default tolerance, and pass right ones.
// Several planted errors are well below 1.0, so a default tolerance raised
// to 1.0 would fail this file.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "aligned_bytes.hpp"
#include "grurt/owned_session.hpp"
#include "grurt_convert/conversion_check.hpp"
#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/layout_recognition.hpp"
#include "grurt_convert/model_writer.hpp"
#include "grurt_convert/stated_layers.hpp"

using namespace grurt::convert;

namespace {

void add(TensorMap& tensors, const std::string& name, std::vector<std::int64_t> shape, float scale = 0.5f) {
  SourceTensor t;
  t.shape = shape;
  t.dtype = "F32";
  std::mt19937 rng(7 + static_cast<unsigned>(tensors.size()));
  std::uniform_real_distribution<float> uniform(-scale, scale);
  t.values.resize(static_cast<std::size_t>(t.numel()));
  for (float& v : t.values) v = uniform(rng);
  tensors[name] = t;
}

// nn.GRU(3, 6) with an nn.Linear(6, 2) head named fc.
TensorMap torch_gru_with_head() {
  TensorMap t;
  add(t, "rnn.weight_ih_l0", {18, 3});
  add(t, "rnn.weight_hh_l0", {18, 6});
  add(t, "rnn.bias_ih_l0", {18});
  add(t, "rnn.bias_hh_l0", {18});
  add(t, "fc.weight", {2, 6});
  add(t, "fc.bias", {2});
  return t;
}

CheckReport check(const SourceModel& reference, const SourceModel& converted, const TensorMap& t) {
  return check_conversion(reference, t, write_model(canonicalize(converted, t)), 64);
}

SourceGru& gru_of(SourceModel& model) { return std::get<SourceGru>(model.layers.at(0).layer); }

}  // namespace

TEST_CASE("Check: a right conversion passes far below the default tolerance", "[check]") {
  const TensorMap t = torch_gru_with_head();
  const SourceModel right = recognize_layout(t, {});
  const CheckReport report = check(right, right, t);
  REQUIRE(report.passed());
  REQUIRE(report.steps == 64);
  REQUIRE(report.max_difference < 1e-5);
  REQUIRE(kDefaultCheckTolerance <= 1e-4);
}

TEST_CASE("Check: every planted wrong canonicalisation is refused within two steps", "[check]") {
  const TensorMap t = torch_gru_with_head();
  const SourceModel right = recognize_layout(t, {});
  SourceModel wrong = right;
  SECTION("gate order r and z swapped") {
    std::swap(gru_of(wrong).w[0], gru_of(wrong).w[1]);
    std::swap(gru_of(wrong).r[0], gru_of(wrong).r[1]);
    std::swap(gru_of(wrong).bias_w[0], gru_of(wrong).bias_w[1]);
    std::swap(gru_of(wrong).bias_r[0], gru_of(wrong).bias_r[1]);
  }
  SECTION("z inverted (the other update convention)") { gru_of(wrong).update_keeps_state = false; }
  SECTION("reset applied before R instead of after") { gru_of(wrong).reset_after = false; }
  SECTION("a transposed recurrent slice") {
    gru_of(wrong).r[2].transposed = true;
    // Seen first in the state, at step 2 (R acts on the zero state of step 1).
    const CheckReport early = check(right, wrong, t);
    REQUIRE(early.mismatch->what == "state of layer 0 'gru0', unit");
    REQUIRE(describe_mismatch(*early.mismatch, 1e-4).find("step 2, state of layer 0 'gru0', unit ") == 0);
  }
  SECTION("a slice shifted by one row") { gru_of(wrong).w[2].row -= 1; }
  SECTION("a missing recurrent bias of the new gate") { gru_of(wrong).bias_r[2].reset(); }
  SECTION("a missing head bias") { std::get<SourceDense>(wrong.layers.at(1).layer).bias.reset(); }
  const CheckReport report = check(right, wrong, t);
  REQUIRE_FALSE(report.passed());
  REQUIRE(report.mismatch->step <= 1);  // R acts on the zero state of step 0: its errors show at step 1
  INFO("difference " << report.max_difference);
  REQUIRE(report.max_difference > 10 * kDefaultCheckTolerance);
}

TEST_CASE("Check: small planted errors (well below 1.0) are refused, so the tolerance cannot be 1.0", "[check]") {
  // A missing n-gate recurrent bias: an error of a few hundredths, which a
  // tolerance of 1.0 would accept.
  const TensorMap t = torch_gru_with_head();
  const SourceModel right = recognize_layout(t, {});
  SourceModel wrong = right;
  gru_of(wrong).bias_r[2].reset();
  const CheckReport report = check(right, wrong, t);
  REQUIRE_FALSE(report.passed());
  REQUIRE(report.max_difference < 1.0);
  REQUIRE(std::string(describe_mismatch(*report.mismatch, kDefaultCheckTolerance)).find("step 1, ") == 0);
}

TEST_CASE("Check: the concat and per-gate cells' conventions are checked against their own formulas", "[check]") {
  TensorMap t;
  for (const char* gate : {"reset_gate", "update_gate", "hidden_transform"}) {
    add(t, std::string(gate) + ".weight", {5, 8});
    add(t, std::string(gate) + ".bias", {5});
  }
  const SourceModel right = recognize_layout(t, {});
  REQUIRE(check(right, right, t).passed());
  SourceModel wrong = right;
  SECTION("reset after instead of before") { gru_of(wrong).reset_after = true; }
  SECTION("z not inverted") { gru_of(wrong).update_keeps_state = true; }
  SECTION("x and h columns swapped") { gru_of(wrong).r[1].col = 0; }
  REQUIRE_FALSE(check(right, wrong, t).passed());
}

TEST_CASE("Check: a stated activation is in the reference, so a model converted without it is refused",
          "[check][stated]") {
  const TensorMap t = torch_gru_with_head();
  const SourceModel plain = recognize_layout(t, {});
  SourceModel stated = plain;
  add_stated_layers(stated, {grurt::Activation::kRelu, std::nullopt});
  REQUIRE(stated.layers.size() == 3);
  REQUIRE(std::holds_alternative<ActivationSpec>(stated.layers[1].layer));
  REQUIRE(check(stated, stated, t).passed());
  REQUIRE_FALSE(check(stated, plain, t).passed());
  REQUIRE_FALSE(check(plain, stated, t).passed());
  SourceModel after = plain;
  add_stated_layers(after, {std::nullopt, grurt::Activation::kSigmoid});
  REQUIRE(std::get<ActivationSpec>(after.layers.back().layer).size == 2);
  REQUIRE(check(after, after, t).passed());
  REQUIRE_FALSE(check(after, plain, t).passed());
}

TEST_CASE("Check: --activation-before-head needs a head, and unknown names are refused", "[check][stated]") {
  TensorMap t;
  add(t, "weight_ih_l0", {9, 2});
  add(t, "weight_hh_l0", {9, 3});
  SourceModel bare = recognize_layout(t, {});
  REQUIRE_THROWS_WITH(add_stated_layers(bare, {grurt::Activation::kRelu, std::nullopt}),
                      Catch::StartsWith("--activation-before-head: the model has no Linear head"));
  REQUIRE_THROWS_WITH(parse_activation_name("gelu", "--activation-after-head"),
                      "--activation-after-head 'gelu' is not one of identity, tanh, sigmoid, relu, softmax");
}

TEST_CASE("Check: chaotic dynamics do not compound, each step starts from the reference's state", "[check]") {
  // Recurrent weights of +-4 make two float32 runs of this GRU disagree by
  // O(1) within a few hundred steps; stepping from the reference's own state
  // keeps every step's difference at float32's rounding.
  TensorMap t;
  add(t, "weight_ih_l0", {48, 1}, 3.0f);
  add(t, "weight_hh_l0", {48, 16}, 4.0f);
  add(t, "bias_ih_l0", {48});
  add(t, "bias_hh_l0", {48});
  const SourceModel right = recognize_layout(t, {});
  CheckOptions options;
  options.random_steps = 3000;
  const CheckReport report = check_conversion(right, t, write_model(canonicalize(right, t)), options);
  REQUIRE(report.passed());
  REQUIRE(report.steps == 3000);
  REQUIRE(report.max_difference < 1e-5);
}

TEST_CASE("Check: given inputs are used row by row and must have the model's width", "[check]") {
  const TensorMap t = torch_gru_with_head();
  const SourceModel right = recognize_layout(t, {});
  CheckOptions options;
  options.inputs = {{0.1f, -0.2f, 0.3f}, {1.0f, 0.0f, -1.0f}};
  const auto bytes = write_model(canonicalize(right, t));
  REQUIRE(check_conversion(right, t, bytes, options).steps == 2);
  options.inputs.push_back({1.0f, 2.0f});
  REQUIRE_THROWS_WITH(check_conversion(right, t, bytes, options),
                      "check input row 3 has 2 values; the model takes 3");
}

TEST_CASE("Check: a value near zero made of large terms is measured against what float32 can do to it",
          "[check]") {
  // Units come in identical pairs (same W, R and bias rows), so h[k] == h[k+H/2]
  // exactly, and the head weighs them +4000 and -4000: the exact output is 0,
  // but a float32 evaluation leaves the roundings of 128 products of ~2000.
  // The pairs are H/2 apart, not neighbours: summed in order, neighbours
  // cancel exactly (a + b - b), as the scalar and AVX-512 kernels showed.
  const std::int64_t H = 256;
  TensorMap t;
  add(t, "weight_ih_l0", {3 * H, 1});
  add(t, "weight_hh_l0", {3 * H, H});
  add(t, "bias_ih_l0", {3 * H});
  add(t, "bias_hh_l0", {3 * H});
  for (const char* name : {"weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"}) {
    SourceTensor& tensor = t[name];
    const std::size_t width = tensor.shape.size() == 2 ? static_cast<std::size_t>(tensor.shape[1]) : 1;
    for (std::size_t row = 0; row < static_cast<std::size_t>(3 * H); ++row) {
      if (row % H < H / 2) continue;
      for (std::size_t col = 0; col < width; ++col) tensor.values[row * width + col] = tensor.values[(row - H / 2) * width + col];
    }
  }
  add(t, "fc.weight", {1, H});
  for (std::size_t j = 0; j < static_cast<std::size_t>(H); ++j) t["fc.weight"].values[j] = j < H / 2 ? 4000.0f : -4000.0f;
  const SourceModel right = recognize_layout(t, {});
  const auto bytes = write_model(canonicalize(right, t));

  // The runtime's float32 output is further from 0 than the tolerance times
  // max(1, |0|) would accept...
  grurt::tools::AlignedBytes buffer(bytes);
  grurt::Model model;
  REQUIRE(model.load(buffer.data(), buffer.size()) == grurt::Status::kOk);
  grurt::OwnedSession session;
  REQUIRE(session.init(model) == grurt::Status::kOk);
  double worst = 0.0;
  std::mt19937 rng(3);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (int step = 0; step < 64; ++step) {
    float x = normal(rng), y = 0.0f;
    session.step(&x, &y);
    worst = std::fmax(worst, std::fabs(y));
  }
  INFO("largest |float32 output| for an exact 0: " << worst);
  REQUIRE(worst > kDefaultCheckTolerance);
  // ...and the check, measuring it against float32's reach there, passes it,
  // while still refusing a wrong canonicalisation of the same model.
  const CheckReport report = check(right, right, t);
  INFO("scaled difference " << report.max_difference);
  REQUIRE(report.passed());
  SourceModel wrong = right;
  gru_of(wrong).bias_r[2].reset();
  REQUIRE_FALSE(check(right, wrong, t).passed());
}

TEST_CASE("Check: a diverging ReLU RNN is compared up to float32's range, then restarted from zero", "[check]") {
  // Recurrent weights of +-3 make h grow ~10x per step: past FLT_MAX within
  // ~40 steps. float32 rightly gives infinity there; the check accepts an
  // infinity of the right sign for a value float32 cannot hold, and both sides
  // go on from a zero state.
  TensorMap t;
  add(t, "weight_ih_l0", {8, 2}, 3.0f);
  add(t, "weight_hh_l0", {8, 8}, 3.0f);
  RecognitionOptions relu;
  relu.rnn_activation = grurt::Activation::kRelu;
  const SourceModel right = recognize_layout(t, relu);
  const auto bytes = write_model(canonicalize(right, t));
  CheckOptions options;
  options.inputs.assign(200, {1.0f, 1.0f});
  // It does diverge: run freely, float32's state reaches infinity.
  grurt::tools::AlignedBytes buffer(bytes);
  grurt::Model model;
  REQUIRE(model.load(buffer.data(), buffer.size()) == grurt::Status::kOk);
  grurt::OwnedSession session;
  REQUIRE(session.init(model) == grurt::Status::kOk);
  bool reached_infinity = false;
  std::vector<float> y(8);
  for (const auto& x : options.inputs) {
    session.step(x.data(), y.data());
    for (float v : y) reached_infinity = reached_infinity || std::isinf(v);
  }
  REQUIRE(reached_infinity);
  const CheckReport report = check_conversion(right, t, bytes, options);
  INFO("scaled difference " << report.max_difference);
  REQUIRE(report.passed());
  REQUIRE(report.steps == 200);
  SourceModel wrong = right;
  std::get<SourceRnn>(wrong.layers[0].layer).r.transposed = true;
  REQUIRE_FALSE(check_conversion(right, t, write_model(canonicalize(wrong, t)), options).passed());
}
