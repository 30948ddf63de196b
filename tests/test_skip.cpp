// Skip connections (schema/grurt.fbs, table Skip): output[j] += source[first_channel + j],
// the source being the model input or an earlier layer's output. Values by hand,
// against the double reference on every ISA, run() against step(), and every bad skip refused.
#include <catch2/catch.hpp>
#include <cstring>
#include <random>
#include <sstream>
#include <string>

#include "grurt/grurt_generated.h"
#include "support/compare.hpp"
#include "support/random_models.hpp"
#include "support/reference_gru.hpp"

using namespace grurt;
using namespace grurt::test;
using convert::SkipSpec;

namespace {

CanonicalModel with_skip(CanonicalModel model, SkipSpec skip) {
  model.skip = skip;
  return model;
}

SkipSpec from_layer(std::uint32_t layer, std::uint32_t first_channel = 0) { return {false, layer, first_channel}; }

DenseSpec dense(std::uint32_t inputs, std::vector<float> weight, std::vector<float> bias = {}) {
  DenseSpec d;
  d.input_size = inputs;
  d.output_size = static_cast<std::uint32_t>(weight.size() / inputs);
  d.weight = std::move(weight);
  d.bias = std::move(bias);
  return d;
}

// The amp models' shape: GRU(1, H) -> Linear(H, 1), plus x[0].
CanonicalModel amp_model(unsigned seed, std::uint32_t hidden) {
  std::mt19937 rng(seed);
  return with_skip(stacked_model(1, {{"rec", random_gru(rng, 1, hidden, true)},
                                     {"lin", random_dense(rng, hidden, 1, Activation::kIdentity)}}),
                   SkipSpec{});
}

std::vector<Isa> every_isa() {
  std::vector<Isa> isas = isas_to_test();
  return isas;
}

struct LoadResult {
  Status status;
  std::string message;
};

LoadResult load_bytes(const std::vector<std::uint8_t>& bytes) {
  AlignedBytes aligned(bytes);
  Model model;
  const Status status = model.load(aligned.data(), aligned.size());
  return {status, model.error()};
}

// Three activation layers of width 3 (no tensors), with any Skip table, even
// one the writer would refuse: the loader is what is tested.
std::vector<std::uint8_t> raw_skip_model(std::uint8_t source, std::uint32_t layer, std::uint32_t first_channel) {
  flatbuffers::FlatBufferBuilder b;
  std::vector<flatbuffers::Offset<fb::Layer>> layers;
  for (int i = 0; i < 3; ++i) {
    const auto act = fb::CreateActivationLayer(b, 3, fb::Activation::Relu);
    layers.push_back(fb::CreateLayer(b, fb::LayerKind::ActivationLayer, act.Union()));
  }
  const auto vector = b.CreateVector(layers);
  const auto skip = fb::CreateSkip(b, static_cast<fb::SkipSource>(source), layer, first_channel);
  b.Finish(fb::CreateModel(b, kFormatVersion, 3, 3, vector, 0, skip), fb::ModelIdentifier());
  return {b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize()};
}

}  // namespace

TEST_CASE("Skip by hand: the input's channel, the whole input, an earlier layer's output", "[skip]") {
  SECTION("y = 2a + 3b + 0.5 + b: one output plus input channel 1") {
    auto loaded = load_model(with_skip(stacked_model(2, {{"", dense(2, {2.0f, 3.0f}, {0.5f})}}), {true, 0, 1}));
    const float x[2] = {1.0f, 2.0f};
    float y = 0.0f;
    REQUIRE(loaded->session.step(x, &y) == Status::kOk);
    REQUIRE(y == 10.5f);  // 2 + 6 + 0.5, plus 2
  }
  SECTION("y = relu(x) + x when input and output widths match") {
    auto loaded = load_model(with_skip(stacked_model(3, {{"", ActivationSpec{3, Activation::kRelu}}}), SkipSpec{}));
    const float x[3] = {-1.0f, 2.0f, 0.5f};
    float y[3] = {};
    REQUIRE(loaded->session.step(x, y) == Status::kOk);
    REQUIRE(y[0] == -1.0f);
    REQUIRE(y[1] == 4.0f);
    REQUIRE(y[2] == 1.0f);
  }
  SECTION("y = sum(relu(u)) + u[2] with u = (x, 2x, 3x) the output of layer 0") {
    auto loaded = load_model(with_skip(stacked_model(1, {{"", dense(1, {1.0f, 2.0f, 3.0f})},
                                                         {"", ActivationSpec{3, Activation::kRelu}},
                                                         {"", dense(3, {1.0f, 1.0f, 1.0f})}}),
                                       from_layer(0, 2)));
    const SkipView skip = loaded->model.skip();
    REQUIRE(skip.present);
    REQUIRE_FALSE(skip.from_input);
    REQUIRE(skip.layer == 0);
    REQUIRE(skip.first_channel == 2);
    float y = 0.0f;
    const float minus_one = -1.0f, two = 2.0f;
    REQUIRE(loaded->session.step(&minus_one, &y) == Status::kOk);
    REQUIRE(y == -3.0f);  // relu clears the sum; u[2] = -3 is added
    REQUIRE(loaded->session.step(&two, &y) == Status::kOk);
    REQUIRE(y == 18.0f);  // 2 + 4 + 6, plus 6
  }
}

TEST_CASE("A model without a skip reports none", "[skip]") {
  auto loaded = load_model(two_gru_layers_and_head(3));
  REQUIRE_FALSE(loaded->model.skip().present);
}

TEST_CASE("Skip models on every ISA match the double reference, and run() equals step() bit for bit", "[skip][kernels]") {
  std::mt19937 rng(11);
  struct Case {
    const char* name;
    CanonicalModel model;
  };
  const Case cases[] = {
      {"amp GRU(1,8)+Linear(8,1)+x[0]", amp_model(5, 8)},
      {"amp GRU(1,40)+Linear(40,1)+x[0]", amp_model(6, 40)},
      // Layer 1 outputs the second GRU's state (5 wide): channels 3 and 4 are added to the 2 outputs.
      {"two GRUs and head, skip from layer 1 channel 3", with_skip(two_gru_layers_and_head(8), from_layer(1, 3))},
      // Layer 0 is the block-stepped first layer of run().
      {"two GRUs and head, skip from layer 0", with_skip(two_gru_layers_and_head(9), from_layer(0))},
      // No recurrent first layer: run() steps layer by layer.
      {"dense, GRU, head, input skip from channel 1",
       with_skip(stacked_model(4, {{"", random_dense(rng, 4, 6, Activation::kTanh)},
                                   {"", random_gru(rng, 6, 7, false)},
                                   {"", random_dense(rng, 7, 3, Activation::kIdentity)}}),
                 SkipSpec{true, 0, 1})},
  };
  for (Isa isa : every_isa()) {
    for (const Case& c : cases) {
      std::ostringstream context;
      context << isa_name(isa) << ": " << c.name;
      INFO(context.str());
      const std::uint32_t I = c.model.input_size, O = c.model.output_size();
      const auto inputs = random_values(rng, 70u * I, 1.0f);  // more steps than one run() block
      auto stepped = load_model(c.model, isa);
      REQUIRE(stepped->model.skip().present);
      const std::vector<float> outputs = run_steps(stepped->session, inputs, I, O);
      require_close(outputs, reference_outputs(c.model, inputs), 1e-5, context.str());
      auto batched = load_model(c.model, isa);
      std::vector<float> run_outputs(outputs.size());
      REQUIRE(batched->session.run(inputs.data(), run_outputs.data(), 70) == Status::kOk);
      REQUIRE(std::memcmp(run_outputs.data(), outputs.data(), outputs.size() * sizeof(float)) == 0);
    }
  }
}

TEST_CASE("The skip does not depend on the output buffer: step(x, x) equals step(x, y)", "[skip]") {
  const CanonicalModel model = with_skip(stacked_model(2, {{"", ActivationSpec{2, Activation::kTanh}}}), SkipSpec{});
  auto loaded = load_model(model);
  float in_place[2] = {0.75f, -1.5f};
  const float x[2] = {0.75f, -1.5f};
  float y[2] = {};
  REQUIRE(loaded->session.step(x, y) == Status::kOk);
  REQUIRE(loaded->session.step(in_place, in_place) == Status::kOk);
  REQUIRE(std::memcmp(in_place, y, sizeof y) == 0);
  REQUIRE(y[0] == Approx(std::tanh(0.75) + 0.75).margin(1e-6));
}

TEST_CASE("Bad skips are refused at load with a message", "[skip][load]") {
  constexpr std::uint8_t kInput = 0, kLayer = 1;
  SECTION("baseline: a good skip from layer 1 loads") {
    REQUIRE(load_bytes(raw_skip_model(kLayer, 1, 0)).status == Status::kOk);
  }
  SECTION("the last layer's own output") {
    const LoadResult r = load_bytes(raw_skip_model(kLayer, 2, 0));
    REQUIRE(r.status == Status::kInvalidModel);
    REQUIRE(r.message == "skip reads layer 2; it must be a layer before the last (2)");
  }
  SECTION("a layer that does not exist") {
    const LoadResult r = load_bytes(raw_skip_model(kLayer, 4000000000u, 0));
    REQUIRE(r.status == Status::kInvalidModel);
    REQUIRE_THAT(r.message, Catch::Contains("skip reads layer 4000000000"));
  }
  SECTION("channels past the input's width") {
    const LoadResult r = load_bytes(raw_skip_model(kInput, 0, 1));
    REQUIRE(r.status == Status::kDimensionMismatch);
    REQUIRE(r.message == "skip adds 3 channels from channel 1 of a source of width 3");
  }
  SECTION("channels past a layer's width") {
    const LoadResult r = load_bytes(raw_skip_model(kLayer, 0, 2));
    REQUIRE(r.status == Status::kDimensionMismatch);
    REQUIRE(r.message == "skip adds 3 channels from channel 2 of a source of width 3");
  }
  SECTION("a first channel so large the sum would overflow 32 bits") {
    const LoadResult r = load_bytes(raw_skip_model(kInput, 0, 0xFFFFFFFFu));
    REQUIRE(r.status == Status::kDimensionMismatch);
  }
  SECTION("a source this runtime does not know") {
    const LoadResult r = load_bytes(raw_skip_model(7, 0, 0));
    REQUIRE(r.status == Status::kInvalidModel);
    REQUIRE(r.message == "skip source 7 is unknown to this runtime");
  }
  SECTION("an input narrower than the output, written without the writer's checks") {
    std::mt19937 rng(2);
    const CanonicalModel model =
        with_skip(stacked_model(1, {{"", random_dense(rng, 1, 2, Activation::kIdentity)}}), SkipSpec{});
    const LoadResult r = load_bytes(convert::serialize_model(model));
    REQUIRE(r.status == Status::kDimensionMismatch);
    REQUIRE(r.message == "skip adds 2 channels from channel 0 of a source of width 1");
  }
}

TEST_CASE("The writer refuses the skips the loader would refuse", "[skip][writer]") {
  std::mt19937 rng(3);
  const CanonicalModel base = stacked_model(1, {{"", random_gru(rng, 1, 4, true)},
                                                {"", random_dense(rng, 4, 2, Activation::kIdentity)}});
  REQUIRE_THROWS_WITH(convert::write_model(with_skip(base, SkipSpec{})),
                      Catch::Contains("skip adds 2 channels from channel 0 of a source 1 wide"));
  REQUIRE_THROWS_WITH(convert::write_model(with_skip(base, from_layer(1))),
                      Catch::Contains("skip reads layer 1, which is not an earlier layer than the last (1)"));
  REQUIRE_THROWS_WITH(convert::write_model(with_skip(base, from_layer(0, 3))),
                      Catch::Contains("skip adds 2 channels from channel 3 of a source 4 wide"));
  REQUIRE_NOTHROW(convert::write_model(with_skip(base, from_layer(0, 2))));
}

TEST_CASE("A model without a skip is written without a Skip table: the bytes are those of before", "[skip][writer]") {
  // The writer leaves the table out; a model with one differs only by it.
  const CanonicalModel plain = two_gru_layers_and_head(4);
  const auto bytes = convert::write_model(plain);
  const fb::Model* root = fb::GetModel(bytes.data());
  REQUIRE(root->skip() == nullptr);
  const auto skipped = convert::write_model(with_skip(plain, from_layer(0)));
  REQUIRE(fb::GetModel(skipped.data())->skip() != nullptr);
  REQUIRE(fb::GetModel(skipped.data())->skip()->source() == fb::SkipSource::LayerOutput);
}
