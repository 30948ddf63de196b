// The GRU variant fields in the file: absent for a default GRU (old files and
// new ones of default GRUs stay byte-identical), read back into LayerView,
// and every value the runtime cannot run refused with the field's name.
#include <catch2/catch.hpp>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>

#include "grurt/grurt_generated.h"
#include "grurt_convert/model_writer.hpp"
#include "support/gate_checks.hpp"
#include "support/load_result.hpp"
#include "support/random_models.hpp"
#include "support/stored_fields.hpp"

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

}  // namespace

TEST_CASE("GRU variants: a default GRU stores none of the variant fields and loads as tanh/sigmoid", "[gru][variants][load]") {
  const auto bytes = convert::write_model(single_layer_model(small_gru()));
  const fb::GruLayer& gru = first_layer_table<fb::GruLayer>(bytes);
  // Absent fields: the file is what a writer without the fields wrote.
  REQUIRE_FALSE(stored(gru, fb::GruLayer::VT_CANDIDATE_ACTIVATION));
  require_no_gate_fields(gru);
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
  REQUIRE(first_layer_table<fb::GruLayer>(bytes).candidate_activation() == fb::Activation::Relu);
  REQUIRE(first_layer_table<fb::GruLayer>(bytes).gate_activation() == fb::GateActivation::HardSigmoid);
  const LoadResult loaded = load_bytes(bytes);
  require_hard_gates_loaded(loaded, 1.0f / 6.0f, 0.5f);
  REQUIRE(loaded.first_layer.activation == Activation::kRelu);

  // Keras 2's slope 0.2 equals the schema default: absent in the file, still read as 0.2.
  gru.hard_sigmoid_slope = 0.2f;
  require_hard_gates_loaded(load_gru(gru), 0.2f, 0.5f);
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
  require_gate_fields_refused(small_gru(), "gru", [](const GruSpec& gru) { return single_layer_model(gru); });
}
