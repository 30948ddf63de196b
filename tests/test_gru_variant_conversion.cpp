// GRU activation variants in the converter: mapping-file keys (type-checked,
// errors naming the key), the report line, and the PyTorch variant fixtures
// (make_variant_fixtures.py) through the source reference and the canonical
// model, each of which must fail when the variant is dropped.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include "grurt_convert/mapping_file.hpp"
#include "grurt_convert/source_file.hpp"
#include "grurt_convert/source_model.hpp"
#include "grurt_convert/source_reference.hpp"
#include "support/reference_gru.hpp"
#include "support/convert_fixture_files.hpp"

using namespace grurt::convert;
using grurt::test::max_difference_to_pytorch;
using grurt::test::read_convert_fixture;
using grurt::test::read_text_file;
using grurt::Activation;
using grurt::GateActivation;

namespace {

void add(TensorMap& tensors, const std::string& name, std::vector<std::int64_t> shape) {
  SourceTensor t;
  t.shape = shape;
  t.dtype = "F32";
  std::mt19937 rng(3 + static_cast<unsigned>(tensors.size()));
  std::uniform_real_distribution<float> uniform(-0.5f, 0.5f);
  t.values.resize(static_cast<std::size_t>(t.numel()));
  for (float& v : t.values) v = uniform(rng);
  tensors[name] = t;
}

// nn.GRU(2, 3)'s tensors.
TensorMap torch_gru() {
  TensorMap t;
  add(t, "weight_ih_l0", {9, 2});
  add(t, "weight_hh_l0", {9, 3});
  return t;
}

// A one-GRU mapping whose gates slice nn.GRU's tensors, plus `extra` keys.
std::string gru_mapping(const std::string& extra) {
  std::string gates[2];
  const char* tensors[2] = {"weight_ih_l0", "weight_hh_l0"};
  for (int m = 0; m < 2; ++m) {
    const char* names[3] = {"r", "z", "n"};
    for (int g = 0; g < 3; ++g) {
      gates[m] += std::string(g ? ", " : "") + "\"" + names[g] + "\": {\"tensor\": \"" + tensors[m] +
                  "\", \"rows\": [" + std::to_string(3 * g) + ", " + std::to_string(3 * g + 3) + "]}";
    }
  }
  return R"({"input_size": 2, "layers": [{"type": "gru", "hidden_size": 3, "W": {)" + gates[0] + "}, \"R\": {" +
         gates[1] + "}" + extra + "}]}";
}

const SourceGru& first_gru(const SourceModel& model) { return std::get<SourceGru>(model.layers[0].layer); }

// The fixture's difference to PyTorch through the source reference and through
// the canonical model's independent double reference (tests/support/reference_gru.cpp).
std::pair<double, double> differences(const std::string& name, const SourceModel& source, const TensorMap& tensors) {
  const auto reference = make_source_reference(source, tensors);
  const double source_difference =
      max_difference_to_pytorch(name, [&](const std::vector<double>& x) { return reference->step(x); });
  const CanonicalModel model = canonicalize(source, tensors);  // outlives the reference, which keeps a reference
  grurt::test::ReferenceModel canonical(model);
  const double canonical_difference =
      max_difference_to_pytorch(name, [&](const std::vector<double>& x) { return canonical.step(x); });
  return {source_difference, canonical_difference};
}

}  // namespace

TEST_CASE("GRU variants: mapping keys set the candidate and gate activations, defaults tanh and sigmoid",
          "[gru][variants][mapping]") {
  const TensorMap t = torch_gru();
  const SourceModel plain_model = read_mapping(gru_mapping(""), t);  // kept alive: first_gru returns a reference into it
  const SourceGru& plain = first_gru(plain_model);
  REQUIRE(plain.candidate_activation == Activation::kTanh);
  REQUIRE(plain.gate_activation == GateActivation::kSigmoid);

  const SourceModel model = read_mapping(
      gru_mapping(R"(, "candidate_activation": "relu", "gate_activation": "hard_sigmoid", )"
                  R"("hard_sigmoid_slope": 0.16666666666666666, "hard_sigmoid_offset": 0.5)"),
      t);
  const SourceGru& gru = first_gru(model);
  REQUIRE(gru.candidate_activation == Activation::kRelu);
  REQUIRE(gru.gate_activation == GateActivation::kHardSigmoid);
  REQUIRE(gru.hard_sigmoid_slope == 1.0f / 6.0f);
  REQUIRE(gru.hard_sigmoid_offset == 0.5f);
  // ... carried to the canonical model the writer stores.
  const CanonicalModel canonical = canonicalize(model, t);
  const auto& spec = std::get<GruSpec>(canonical.layers[0].layer);
  REQUIRE(spec.candidate_activation == Activation::kRelu);
  REQUIRE(spec.gate_activation == GateActivation::kHardSigmoid);
  REQUIRE(spec.hard_sigmoid_slope == 1.0f / 6.0f);
  REQUIRE(spec.hard_sigmoid_offset == 0.5f);
}

TEST_CASE("GRU variants: mapping keys are type-checked and errors name the key", "[gru][variants][mapping]") {
  const TensorMap t = torch_gru();
  const std::string at = "mapping: layer 0 (gru): ";
  REQUIRE_THROWS_WITH(read_mapping(gru_mapping(R"(, "candidate_activation": "sigmoid")"), t),
                      at + "\"candidate_activation\" must be \"tanh\" or \"relu\", not \"sigmoid\"");
  REQUIRE_THROWS_WITH(read_mapping(gru_mapping(R"(, "candidate_activation": 3)"), t),
                      at + "\"candidate_activation\" must be a string, not 3");
  REQUIRE_THROWS_WITH(read_mapping(gru_mapping(R"(, "gate_activation": "hard_tanh")"), t),
                      at + "\"gate_activation\" must be \"sigmoid\" or \"hard_sigmoid\", not \"hard_tanh\"");
  REQUIRE_THROWS_WITH(read_mapping(gru_mapping(R"(, "gate_activation": "hard_sigmoid", "hard_sigmoid_offset": 0.5)"), t),
                      at + "\"hard_sigmoid_slope\" must be a number with \"gate_activation\": \"hard_sigmoid\"");
  REQUIRE_THROWS_WITH(read_mapping(gru_mapping(R"(, "gate_activation": "hard_sigmoid", "hard_sigmoid_slope": 0.2)"), t),
                      at + "\"hard_sigmoid_offset\" must be a number with \"gate_activation\": \"hard_sigmoid\"");
  REQUIRE_THROWS_WITH(
      read_mapping(gru_mapping(R"(, "gate_activation": "hard_sigmoid", "hard_sigmoid_slope": "0.2", "hard_sigmoid_offset": 0.5)"), t),
      at + "\"hard_sigmoid_slope\" must be a number, not \"0.2\"");
  REQUIRE_THROWS_WITH(
      read_mapping(gru_mapping(R"(, "gate_activation": "hard_sigmoid", "hard_sigmoid_slope": 0, "hard_sigmoid_offset": 0.5)"), t),
      Catch::StartsWith(at + "\"hard_sigmoid_slope\" must be above 0"));
  // A slope without hard_sigmoid gates would be silently unused: refused.
  REQUIRE_THROWS_WITH(read_mapping(gru_mapping(R"(, "hard_sigmoid_slope": 0.2)"), t),
                      at + "\"hard_sigmoid_slope\" needs \"gate_activation\": \"hard_sigmoid\"");
}

TEST_CASE("GRU variants: the conversion report describes the activations of a variant layer", "[gru][variants][mapping]") {
  const TensorMap t = torch_gru();
  const std::string plain = describe(read_mapping(gru_mapping(""), t).layers[0]);
  REQUIRE(plain.find("hard_sigmoid") == std::string::npos);
  REQUIRE(plain.find("relu") == std::string::npos);
  const std::string variant = describe(
      read_mapping(gru_mapping(R"(, "candidate_activation": "relu", "gate_activation": "hard_sigmoid", )"
                               R"("hard_sigmoid_slope": 0.2, "hard_sigmoid_offset": 0.5)"),
                   t)
          .layers[0]);
  REQUIRE_THAT(variant, Catch::Contains("n = relu(..), r and z = hard_sigmoid clip(0.2 x + 0.5, 0, 1)"));
}

TEST_CASE("GRU variants: the PyTorch fixtures match through their mapping files, and not without the variant",
          "[gru][variants][mapping]") {
  for (const char* name : {"rnnoise_relu_i3_h8_fc2", "hardsig_keras2_i2_h6_fc1", "hardsig_keras3_l2_i3_h5"}) {
    INFO(name);
    const SourceFile file = read_convert_fixture(std::string(name) + ".pt");
    const std::string mapping = read_text_file(std::string(GRURT_CONVERT_FIXTURES) + "/mappings/" + name + ".json");
    const SourceModel source = read_mapping(mapping, file.tensors);
    const auto matched = differences(name, source, file.tensors);
    REQUIRE(matched.first < 1e-6);
    REQUIRE(matched.second < 1e-6);

    // The same mapping with the variant dropped (tanh, sigmoid): both references
    // must then disagree with PyTorch, so the fixture really exercises the variant.
    SourceModel dropped = source;
    for (SourceLayer& layer : dropped.layers) {
      if (auto* gru = std::get_if<SourceGru>(&layer.layer)) {
        gru->candidate_activation = Activation::kTanh;
        gru->gate_activation = GateActivation::kSigmoid;
      }
    }
    const auto wrong = differences(name, dropped, file.tensors);
    REQUIRE(wrong.first > 1e-3);
    REQUIRE(wrong.second > 1e-3);
  }
}

TEST_CASE("GRU variants: the hard_sigmoid fixtures' two conventions are told apart", "[gru][variants][mapping]") {
  // Keras 2's slope on the Keras 3 fixture (and the reverse) must not pass: the
  // fixtures' gates leave the linear part, where the conventions differ.
  for (const char* name : {"hardsig_keras2_i2_h6_fc1", "hardsig_keras3_l2_i3_h5"}) {
    INFO(name);
    const SourceFile file = read_convert_fixture(std::string(name) + ".pt");
    SourceModel source =
        read_mapping(read_text_file(std::string(GRURT_CONVERT_FIXTURES) + "/mappings/" + name + ".json"), file.tensors);
    for (SourceLayer& layer : source.layers) {
      if (auto* gru = std::get_if<SourceGru>(&layer.layer)) {
        gru->hard_sigmoid_slope = gru->hard_sigmoid_slope == 0.2f ? 1.0f / 6.0f : 0.2f;
      }
    }
    REQUIRE(differences(name, source, file.tensors).first > 1e-3);
  }
}
