// The writer: consistency checks, alignment of weights, metadata round trip.
#include <catch2/catch.hpp>
#include <random>

#include "grurt/grurt_generated.h"
#include "grurt_convert/model_writer.hpp"
#include "support/random_models.hpp"

using namespace grurt;
using namespace grurt::test;

TEST_CASE("Every weight array starts 64-byte aligned inside the buffer", "[writer]") {
  std::mt19937 rng(1);
  // Odd sizes everywhere, so no array is a multiple of 64 bytes long.
  const auto bytes = convert::write_model(stacked_model(3, {{"a", random_gru(rng, 3, 5, true)},
                                                            {"b", random_gru(rng, 5, 7, false)},
                                                            {"c", random_dense(rng, 7, 3, Activation::kTanh)}}));
  REQUIRE(bytes.size() % 64 == 0);
  AlignedBytes aligned(bytes);
  const fb::Model* model = fb::GetModel(aligned.data());
  std::size_t arrays = 0;
  auto check = [&](const fb::Tensor* t) {
    if (t == nullptr) return;
    const std::size_t offset = t->data()->data() - aligned.data();
    INFO("array at offset " << offset);
    REQUIRE(offset % 64 == 0);
    ++arrays;
  };
  for (const fb::Layer* layer : *model->layers()) {
    if (const auto* gru = layer->kind_as_GruLayer()) {
      check(gru->w());
      check(gru->r());
      check(gru->bias_w());
      check(gru->bias_r());
    } else if (const auto* dense = layer->kind_as_DenseLayer()) {
      check(dense->weight());
      check(dense->bias());
    }
  }
  REQUIRE(arrays == 10);
}

TEST_CASE("RNN weights are packed as one block of panels, biases padded", "[writer][rnn]") {
  std::mt19937 rng(2);
  const std::uint32_t I = 2, H = 18;  // two panels, 14 padding rows
  const RnnSpec rnn = random_rnn(rng, I, H, Activation::kRelu);
  auto loaded = load_model(stacked_model(I, {{"rnn", rnn}}));
  const LayerView view = loaded->model.layer(0);
  REQUIRE(view.kind == LayerKind::kRnn);
  REQUIRE(view.activation == Activation::kRelu);
  REQUIRE(view.padded_output == 32);
  REQUIRE(view.weight.type == ElementType::kF32);
  REQUIRE(view.weight.rows == H);
  REQUIRE(view.weight.cols == I);
  REQUIRE(view.recurrent.cols == H);
  for (std::uint32_t i = 0; i < 32; ++i) {
    const std::uint32_t p = i / 16, j = i % 16;
    for (std::uint32_t k = 0; k < H; ++k) {
      INFO("row " << i << " col " << k);
      REQUIRE(view.recurrent.f32()[(p * H + k) * 16 + j] == (i < H ? rnn.r[i * H + k] : 0.0f));
      if (k < I) REQUIRE(view.weight.f32()[(p * I + k) * 16 + j] == (i < H ? rnn.w[i * I + k] : 0.0f));
    }
    REQUIRE(view.bias[i] == (i < H ? rnn.bias_w[i] : 0.0f));
    REQUIRE(view.recurrent_bias[i] == (i < H ? rnn.bias_r[i] : 0.0f));
  }
}

TEST_CASE("Packed weights: each gate padded to 16 rows, panels k-major, padding zero", "[writer]") {
  std::mt19937 rng(3);
  const std::uint32_t I = 3, H = 20;  // Hp = 32: two panels per gate, 12 padding rows
  const GruSpec gru = random_gru(rng, I, H, true);
  auto loaded = load_model(single_layer_model(gru));
  const LayerView view = loaded->model.layer(0);
  REQUIRE(view.padded_output == 32);
  for (std::uint32_t g = 0; g < 3; ++g) {
    for (std::uint32_t i = 0; i < 32; ++i) {
      const std::uint32_t p = i / 16, j = i % 16;
      for (std::uint32_t k = 0; k < I; ++k) {
        const float stored = view.weight.f32()[((g * 2 + p) * I + k) * 16 + j];
        const float expected = i < H ? gru.w[(g * H + i) * I + k] : 0.0f;
        INFO("gate " << g << " row " << i << " col " << k);
        REQUIRE(stored == expected);
      }
      REQUIRE(view.bias[g * 32 + i] == (i < H ? gru.bias_w[g * H + i] : 0.0f));
    }
  }
  // pack_panel16 itself on a 2-block, 3-column matrix of 2 rows per block.
  const std::vector<float> m = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  const auto packed = convert::pack_panel16(m, 4, 3, 2);
  REQUIRE(packed.size() == 2 * 16 * 3);
  REQUIRE(packed[0] == 1);        // block 0, row 0, col 0
  REQUIRE(packed[1] == 4);        // block 0, row 1, col 0
  REQUIRE(packed[16] == 2);       // block 0, row 0, col 1
  REQUIRE(packed[48] == 7);       // block 1, row 0, col 0
  REQUIRE(packed[48 + 33] == 12); // block 1, row 1, col 2
  REQUIRE(packed[2] == 0);        // padding row
}

TEST_CASE("Metadata, names and layer descriptions survive the round trip", "[writer]") {
  std::mt19937 rng(3);
  CanonicalModel spec = stacked_model(2, {{"encoder", random_gru(rng, 2, 4, false, false)},
                                          {"", ActivationSpec{4, Activation::kRelu}},
                                          {"head", random_dense(rng, 4, 1, Activation::kSigmoid)}});
  spec.metadata = {"grurt tests 1.0", "model.pt", "a description"};
  auto loaded = load_model(spec);
  const Model& model = loaded->model;
  REQUIRE(std::string(model.producer()) == "grurt tests 1.0");
  REQUIRE(std::string(model.source()) == "model.pt");
  REQUIRE(std::string(model.description()) == "a description");
  REQUIRE(model.format_version() == 1);
  REQUIRE(model.num_layers() == 3);
  REQUIRE(model.state_size() == 4);
  const LayerView gru = model.layer(0);
  REQUIRE(gru.kind == LayerKind::kGru);
  REQUIRE(std::string(gru.name) == "encoder");
  REQUIRE_FALSE(gru.reset_after);
  REQUIRE(gru.bias == nullptr);
  REQUIRE(gru.parameters == 12 * 2 + 12 * 4);
  REQUIRE(model.layer(1).kind == LayerKind::kActivation);
  REQUIRE(model.layer(1).activation == Activation::kRelu);
  const LayerView head = model.layer(2);
  REQUIRE(head.kind == LayerKind::kDense);
  REQUIRE(head.activation == Activation::kSigmoid);
  REQUIRE(head.parameters == 5);
  REQUIRE(model.parameters() == 72 + 5);
  REQUIRE_FALSE(model.layer(3).weight);  // out of range: empty view
}

TEST_CASE("The writer refuses inconsistent models and says what is wrong", "[writer]") {
  std::mt19937 rng(4);
  GruSpec gru = random_gru(rng, 3, 4, true);
  gru.w.pop_back();
  gru.bias_r.resize(5);
  CanonicalModel spec = stacked_model(2, {{"", gru}, {"", random_dense(rng, 5, 1, Activation::kIdentity)}});
  const std::string problems = convert::find_inconsistencies(spec);
  REQUIRE_THAT(problems, Catch::Contains("layer 0 (gru): W has 35 values, expected 3*H*I = 36"));
  REQUIRE_THAT(problems, Catch::Contains("layer 0 (gru): bR has 5 values, expected 3*H = 12 (or none)"));
  REQUIRE_THAT(problems, Catch::Contains("layer 0 (gru): input size 3, but the previous output is 2"));
  REQUIRE_THAT(problems, Catch::Contains("layer 1 (dense): input size 5, but the previous output is 4"));
  REQUIRE_THROWS_WITH(convert::write_model(spec), Catch::StartsWith("inconsistent model:"));
  REQUIRE_THAT(convert::find_inconsistencies(CanonicalModel{}), Catch::Contains("model: input size is 0") &&
                                                                    Catch::Contains("model: no layers"));
}
