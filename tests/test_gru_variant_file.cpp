// The GRU variant fields in the file: absent for a default GRU (old files and
// new ones of default GRUs stay byte-identical), read back into LayerView,
// and every value the runtime cannot run refused with the field's name.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>

#include "grurt/grurt_generated.h"
#include "grurt_convert/model_writer.hpp"
#include "support/load_result.hpp"
#include "support/random_models.hpp"

using namespace grurt;
using namespace grurt::test;

namespace {

GruSpec small_gru() {
  std::mt19937 rng(3);
  return random_gru(rng, 2, 5, true);
}

LoadResult load_gru(const GruSpec& gru) {
  return load_bytes(convert::serialize_model(single_layer_model(gru)));
}

const fb::GruLayer& stored_gru(const std::vector<std::uint8_t>& bytes) {
  return *fb::GetModel(bytes.data())->layers()->Get(0)->kind_as_GruLayer();
}

// Whether the table stores the field at all (a generated table privately is a flatbuffers::Table).
bool stored(const fb::GruLayer& gru, flatbuffers::voffset_t field) {
  return reinterpret_cast<const flatbuffers::Table*>(&gru)->CheckField(field);
}

}  // namespace

TEST_CASE("GRU variants: a default GRU stores none of the variant fields and loads as tanh/sigmoid", "[gru][variants][load]") {
  const auto bytes = convert::write_model(single_layer_model(small_gru()));
  const fb::GruLayer& gru = stored_gru(bytes);
  // Absent fields: the file is what a writer without the fields wrote.
  REQUIRE_FALSE(stored(gru, fb::GruLayer::VT_CANDIDATE_ACTIVATION));
  REQUIRE_FALSE(stored(gru, fb::GruLayer::VT_GATE_ACTIVATION));
  REQUIRE_FALSE(stored(gru, fb::GruLayer::VT_HARD_SIGMOID_SLOPE));
  REQUIRE_FALSE(stored(gru, fb::GruLayer::VT_HARD_SIGMOID_OFFSET));
  REQUIRE(stored(gru, fb::GruLayer::VT_RESET_AFTER) == false);  // the same rule for a field that predates them
  REQUIRE(stored(gru, fb::GruLayer::VT_W));                     // ... and a field that is written
  const LoadResult loaded = load_bytes(bytes);
  REQUIRE(loaded.status == Status::kOk);
  REQUIRE(loaded.first_layer.activation == Activation::kTanh);
  REQUIRE(loaded.first_layer.gate_activation == GateActivation::kSigmoid);
}

TEST_CASE("GRU variants: relu candidate and hard_sigmoid gates are stored and read back", "[gru][variants][load]") {
  GruSpec gru = small_gru();
  gru.candidate_activation = Activation::kRelu;
  gru.gate_activation = GateActivation::kHardSigmoid;
  gru.hard_sigmoid_slope = 1.0f / 6.0f;
  gru.hard_sigmoid_offset = 0.5f;
  const auto bytes = convert::write_model(single_layer_model(gru));
  REQUIRE(stored_gru(bytes).candidate_activation() == fb::Activation::Relu);
  REQUIRE(stored_gru(bytes).gate_activation() == fb::GateActivation::HardSigmoid);
  const LoadResult loaded = load_bytes(bytes);
  REQUIRE(loaded.status == Status::kOk);
  REQUIRE(loaded.first_layer.activation == Activation::kRelu);
  REQUIRE(loaded.first_layer.gate_activation == GateActivation::kHardSigmoid);
  REQUIRE(loaded.first_layer.hard_sigmoid_slope == 1.0f / 6.0f);
  REQUIRE(loaded.first_layer.hard_sigmoid_offset == 0.5f);

  // Keras 2's slope 0.2 equals the schema default: absent in the file, still read as 0.2.
  gru.hard_sigmoid_slope = 0.2f;
  const LoadResult keras2 = load_gru(gru);
  REQUIRE(keras2.status == Status::kOk);
  REQUIRE(keras2.first_layer.hard_sigmoid_slope == 0.2f);
}

TEST_CASE("GRU variants: candidate activations other than tanh and relu are refused by name", "[gru][variants][load]") {
  GruSpec gru = small_gru();
  for (Activation bad : {Activation::kSigmoid, Activation::kIdentity, Activation::kSoftmax}) {
    gru.candidate_activation = bad;
    const LoadResult result = load_gru(gru);
    REQUIRE(result.status == Status::kUnsupportedLayer);
    REQUIRE(result.message == std::string("layer 0 (gru): candidate_activation ") + activation_name(bad) +
                                  " is not allowed; a GRU's candidate activation is tanh or relu");
    REQUIRE_THROWS_WITH(convert::write_model(single_layer_model(gru)),
                        Catch::Contains("candidate activation must be tanh or relu"));
  }
  // A value from a newer schema (the writer cannot store it): the layer's table
  // by hand, sizes and the field only, which the loader checks before tensors.
  flatbuffers::FlatBufferBuilder b;
  fb::GruLayerBuilder raw(b);
  raw.add_input_size(2);
  raw.add_hidden_size(5);
  raw.add_candidate_activation(static_cast<fb::Activation>(42));
  const auto layer = fb::CreateLayer(b, fb::LayerKind::GruLayer, raw.Finish().Union());
  b.Finish(fb::CreateModel(b, kFormatVersion, 2, 5, b.CreateVector(&layer, 1)), fb::ModelIdentifier());
  const LoadResult result = load_bytes({b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize()});
  REQUIRE(result.status == Status::kUnsupportedLayer);
  REQUIRE(result.message ==
          "layer 0 (gru): candidate_activation 42 (unknown) is not allowed; a GRU's candidate activation is tanh or relu");
}

TEST_CASE("GRU variants: unknown gate activations and bad hard_sigmoid parameters are refused by name", "[gru][variants][load]") {
  GruSpec gru = small_gru();
  gru.gate_activation = static_cast<GateActivation>(7);
  LoadResult result = load_gru(gru);
  REQUIRE(result.status == Status::kUnsupportedLayer);
  REQUIRE(result.message ==
          "layer 0 (gru): gate_activation 7 is unknown; this runtime knows 0 (sigmoid) and 1 (hard_sigmoid)");
  REQUIRE_THROWS_WITH(convert::write_model(single_layer_model(gru)),
                      Catch::Contains("gate activation must be sigmoid or hard_sigmoid"));

  gru.gate_activation = GateActivation::kHardSigmoid;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  for (float slope : {0.0f, -0.2f, nan, inf}) {
    gru.hard_sigmoid_slope = slope;
    result = load_gru(gru);
    INFO("slope " << slope);
    REQUIRE(result.status == Status::kUnsupportedLayer);
    REQUIRE(result.message == "layer 0 (gru): hard_sigmoid_slope is not allowed: it must be finite and above 0");
    REQUIRE_THROWS_WITH(convert::write_model(single_layer_model(gru)),
                        Catch::Contains("hard_sigmoid slope must be finite and above 0"));
  }
  gru.hard_sigmoid_slope = 0.2f;
  for (float offset : {nan, -inf}) {
    gru.hard_sigmoid_offset = offset;
    result = load_gru(gru);
    REQUIRE(result.status == Status::kUnsupportedLayer);
    REQUIRE(result.message == "layer 0 (gru): hard_sigmoid_offset is not allowed: it must be finite");
  }
  // With sigmoid gates the slope and offset are neither written nor read.
  gru.gate_activation = GateActivation::kSigmoid;
  REQUIRE(load_gru(gru).status == Status::kOk);
}
