// The converter's side of the plain RNN layer (nn.RNN, nn.RNNCell): recognition,
// canonicalisation to RnnSpec, mapping files and the double-precision reference,
// checked against PyTorch's outputs without the runtime (the conversion check
// runs the runtime on the written file; these tests do not need it).
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/layout_recognition.hpp"
#include "grurt_convert/mapping_file.hpp"
#include "grurt_convert/source_file.hpp"
#include "grurt_convert/source_reference.hpp"
#include "support/random_tensors.hpp"
#include "support/convert_fixture_files.hpp"
#include "support/reference_gru.hpp"

using namespace grurt::convert;
using grurt::test::max_difference_to_pytorch;
using grurt::test::read_convert_fixture;
using grurt::test::add_random_tensor;
using grurt::test::torch_recurrent_tensors;

namespace {

struct RnnFixture {
  const char* name;
  bool relu;
  std::uint32_t layers;
};

}  // namespace

TEST_CASE("RNN: nn.RNN is recognised at any depth, with and without biases, by a square weight_hh", "[rnn][recognition]") {
  TensorMap t = torch_recurrent_tensors("model.encoder.", 4, 6, 3, false, 1, 7);
  add_random_tensor(t, "model.head.weight", {2, 6});
  const SourceModel m = recognize_layout(t, {});
  REQUIRE(m.layout == "rnn");
  REQUIRE(m.prefix == "model.encoder.");
  REQUIRE(m.input_size == 4);
  REQUIRE(m.layers.size() == 4);
  for (int k = 0; k < 3; ++k) {
    const auto& rnn = std::get<SourceRnn>(m.layers[k].layer);
    REQUIRE(rnn.input_size == (k == 0 ? 4u : 6u));
    REQUIRE(rnn.hidden_size == 6);
    REQUIRE(rnn.activation == grurt::Activation::kTanh);
    REQUIRE(rnn.w.describe() == "model.encoder.weight_ih_l" + std::to_string(k) + "[0:6, 0:" + (k ? "6" : "4") + "]");
    REQUIRE(rnn.r.tensor == "model.encoder.weight_hh_l" + std::to_string(k));
    REQUIRE_FALSE(rnn.bias_w);
    REQUIRE_FALSE(rnn.bias_r);
  }
  REQUIRE(m.head == std::optional<std::string>("model.head."));
  // The nonlinearity is not in the file: the model says it was assumed.
  REQUIRE(m.assumptions.size() == 1);
  REQUIRE_THAT(m.assumptions[0], Catch::StartsWith("nonlinearity tanh (PyTorch's default") &&
                                     Catch::Contains("a state_dict does not record nn.RNN's nonlinearity"));
  RecognitionOptions relu;
  relu.rnn_activation = grurt::Activation::kRelu;
  const SourceModel r = recognize_layout(t, relu);
  REQUIRE(std::get<SourceRnn>(r.layers[2].layer).activation == grurt::Activation::kRelu);
  REQUIRE_THAT(r.assumptions[0], Catch::StartsWith("nonlinearity relu (from --rnn-nonlinearity"));
}

TEST_CASE("RNN: nn.RNNCell, nn.GRU and nn.LSTM share names and weight_hh's shape tells them apart", "[rnn][recognition]") {
  TensorMap cell;
  for (const auto& [name, shape] : std::vector<std::pair<std::string, std::vector<std::int64_t>>>{
           {"cell.weight_ih", {5, 3}}, {"cell.weight_hh", {5, 5}}, {"cell.bias_ih", {5}}, {"cell.bias_hh", {5}}}) {
    add_random_tensor(cell, name, shape);
  }
  const SourceModel m = recognize_layout(cell, {});
  REQUIRE(m.layout == "rnncell");
  const auto& rnn = std::get<SourceRnn>(m.layers[0].layer);
  REQUIRE(rnn.bias_w->describe() == "cell.bias_ih[0:5, 0:1]");
  REQUIRE(rnn.bias_r->tensor == "cell.bias_hh");

  REQUIRE(recognize_layout(torch_recurrent_tensors("", 2, 4, 2, true, 3, 7), {}).layout == "gru");
  REQUIRE(recognize_layout(torch_recurrent_tensors("", 3, 4, 1, true, 4, 7), {}).layout == "lstm");
  // One nn.GRU and one nn.RNN: each is found as what it is.
  TensorMap both = torch_recurrent_tensors("a.", 2, 4, 1, true, 3, 7);
  const TensorMap rnn_part = torch_recurrent_tensors("b.", 2, 4, 1, true, 1, 7);
  both.insert(rnn_part.begin(), rnn_part.end());
  REQUIRE_THROWS_WITH(recognize_layout(both, {}), Catch::Contains("gru under prefix 'a.'") &&
                                                      Catch::Contains("rnn under prefix 'b.'"));
  RecognitionOptions pick;
  pick.layout = "rnn";
  pick.allow_unused = true;
  REQUIRE(recognize_layout(both, pick).prefix == "b.");
  // An nn.LSTM beside an nn.GRU: both candidates; a map without a declaration order cannot chain them.
  TensorMap mixed = torch_recurrent_tensors("enc.", 2, 4, 1, true, 3, 7);
  const TensorMap lstm = torch_recurrent_tensors("dec.", 4, 4, 1, true, 4, 7);
  mixed.insert(lstm.begin(), lstm.end());
  REQUIRE_THROWS_WITH(recognize_layout(mixed, {}), Catch::Contains("lstm under prefix 'dec.'"));
  RecognitionOptions encoder;
  encoder.prefix = "enc.";
  encoder.allow_unused = true;
  REQUIRE(recognize_layout(mixed, encoder).layout == "gru");
  encoder.prefix = "dec.";
  REQUIRE(recognize_layout(mixed, encoder).layout == "lstm");
}

TEST_CASE("RNN: wrong shapes and misplaced options name what is wrong", "[rnn][recognition]") {
  TensorMap t = torch_recurrent_tensors("rnn.", 3, 5, 2, true, 1, 7);
  add_random_tensor(t, "rnn.weight_hh_l0", {5, 4});
  REQUIRE_THROWS_WITH(recognize_layout(t, {}), "tensor 'rnn.weight_hh_l0' has shape [5, 4], expected [H, H] = [5, 5]");
  t = torch_recurrent_tensors("rnn.", 3, 5, 2, true, 1, 7);
  add_random_tensor(t, "rnn.weight_ih_l1", {5, 3});
  REQUIRE_THROWS_WITH(recognize_layout(t, {}),
                      "tensor 'rnn.weight_ih_l1' has shape [5, 3], expected [H, H of layer 0] = [5, 5]");
  t = torch_recurrent_tensors("rnn.", 3, 5, 1, true, 1, 7);
  add_random_tensor(t, "rnn.bias_hh_l0", {4});
  REQUIRE_THROWS_WITH(recognize_layout(t, {}), "tensor 'rnn.bias_hh_l0' has shape [4], expected [H] = [5]");
  t = torch_recurrent_tensors("rnn.", 3, 5, 1, true, 1, 7);
  add_random_tensor(t, "rnn.weight_ih_l0_reverse", {5, 3});
  REQUIRE_THROWS_WITH(recognize_layout(t, {}), Catch::Contains("bidirectional nn.RNN"));
  RecognitionOptions relu;
  relu.rnn_activation = grurt::Activation::kRelu;
  REQUIRE_THROWS_WITH(recognize_layout(torch_recurrent_tensors("", 2, 4, 1, true, 3, 7), relu),
                      "--rnn-nonlinearity applies to nn.RNN and nn.RNNCell layouts only (layout 'gru')");
}

TEST_CASE("RNN: canonicalisation copies W, R and the biases as they are", "[rnn][canonical]") {
  const TensorMap t = torch_recurrent_tensors("", 3, 4, 2, true, 1, 7);
  const CanonicalModel model = canonicalize(recognize_layout(t, {}), t);
  REQUIRE(model.layers.size() == 2);
  for (int k = 0; k < 2; ++k) {
    const std::string s = "_l" + std::to_string(k);
    const auto& rnn = std::get<RnnSpec>(model.layers[k].layer);
    REQUIRE(rnn.input_size == (k == 0 ? 3u : 4u));
    REQUIRE(rnn.hidden_size == 4);
    REQUIRE(rnn.activation == grurt::Activation::kTanh);
    REQUIRE(rnn.w == t.at("weight_ih" + s).values);
    REQUIRE(rnn.r == t.at("weight_hh" + s).values);
    REQUIRE(rnn.bias_w == t.at("bias_ih" + s).values);
    REQUIRE(rnn.bias_r == t.at("bias_hh" + s).values);
  }
  const TensorMap nobias = torch_recurrent_tensors("", 3, 4, 1, false, 1, 7);
  const CanonicalModel bare_model = canonicalize(recognize_layout(nobias, {}), nobias);
  const auto& bare = std::get<RnnSpec>(bare_model.layers[0].layer);
  REQUIRE(bare.bias_w.empty());
  REQUIRE(bare.bias_r.empty());
}

TEST_CASE("RNN: the reference and the canonical model both reproduce PyTorch's nn.RNN and nn.RNNCell fixtures",
          "[rnn][reference]") {
  const RnnFixture fixtures[] = {{"rnn_tanh_i3_h8_fc2", false, 1},
                                 {"rnn_relu_nobias_l2_i4_h6", true, 2},
                                 {"rnn_nested_l3_i2_h5_fc3", false, 3},
                                 {"rnncell_i5_h7_classifier3", false, 1},
                                 {"rnncell_relu_i2_h4_classifier2", true, 1}};
  for (const RnnFixture& f : fixtures) {
    for (const char* format : {".pt", ".safetensors"}) {
      INFO(f.name << format);
      const SourceFile file = read_convert_fixture(std::string(f.name) + format);
      RecognitionOptions options;
      if (f.relu) options.rnn_activation = grurt::Activation::kRelu;
      const SourceModel source = source_model(file, options);
      std::size_t rnn_layers = 0;
      for (const SourceLayer& layer : source.layers) rnn_layers += std::holds_alternative<SourceRnn>(layer.layer);
      REQUIRE(rnn_layers == f.layers);
      const auto reference = make_source_reference(source, file.tensors);
      REQUIRE(max_difference_to_pytorch(f.name, [&](const std::vector<double>& x) { return reference->step(x); }) < 1e-6);
      const CanonicalModel canonical = canonicalize(source, file.tensors);
      grurt::test::ReferenceModel evaluator(canonical);  // tests/support: the schema's formulas
      REQUIRE(max_difference_to_pytorch(f.name, [&](const std::vector<double>& x) { return evaluator.step(x); }) < 1e-6);
      // The wrong nonlinearity is visibly wrong: the fixtures tell tanh from relu.
      RecognitionOptions other;
      other.rnn_activation = f.relu ? grurt::Activation::kTanh : grurt::Activation::kRelu;
      const SourceModel wrong = source_model(file, other);
      const auto wrong_reference = make_source_reference(wrong, file.tensors);
      REQUIRE(max_difference_to_pytorch(f.name, [&](const std::vector<double>& x) { return wrong_reference->step(x); }) >
              1e-3);
    }
  }
}

TEST_CASE("RNN: mapping files describe rnn layers and the slice reference reproduces PyTorch", "[rnn][mapping]") {
  for (const char* name : {"rnn_tanh_i3_h8_fc2", "rnncell_relu_i2_h4_classifier2"}) {
    INFO(name);
    const SourceFile file = read_convert_fixture(std::string(name) + ".pt");
    std::ifstream in(std::string(GRURT_CONVERT_FIXTURES) + "/mappings/" + name + ".json");
    const std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const SourceModel source = read_mapping(json, file.tensors);
    REQUIRE(source.layout == "mapping");
    const auto reference = make_source_reference(source, file.tensors);
    REQUIRE(max_difference_to_pytorch(name, [&](const std::vector<double>& x) { return reference->step(x); }) < 1e-6);
    const CanonicalModel canonical = canonicalize(source, file.tensors);
    grurt::test::ReferenceModel evaluator(canonical);  // tests/support: the schema's formulas
    REQUIRE(max_difference_to_pytorch(name, [&](const std::vector<double>& x) { return evaluator.step(x); }) < 1e-6);
  }
}

TEST_CASE("RNN: mapping-file rnn layers are type-checked, errors name the layer and field", "[rnn][mapping]") {
  const TensorMap t = torch_recurrent_tensors("", 2, 3, 1, true, 1, 7);
  auto rnn = [](const std::string& body) {
    return R"({"input_size": 2, "layers": [{"type": "rnn", "hidden_size": 3, )" + body + "}]}";
  };
  const std::string wr = R"("W": "weight_ih_l0", "R": "weight_hh_l0")";
  const SourceModel m = read_mapping(rnn(wr + R"(, "bR": "bias_hh_l0", "activation": "relu")"), t);
  const auto& layer = std::get<SourceRnn>(m.layers[0].layer);
  REQUIRE(layer.activation == grurt::Activation::kRelu);
  REQUIRE_FALSE(layer.bias_w);
  REQUIRE(layer.bias_r->tensor == "bias_hh_l0");
  REQUIRE(std::get<SourceRnn>(read_mapping(rnn(wr), t).layers[0].layer).activation == grurt::Activation::kTanh);
  REQUIRE_THROWS_WITH(read_mapping(rnn(wr + R"(, "activation": "sigmoid")"), t),
                      "mapping: layer 0 (rnn): \"activation\" must be \"tanh\" or \"relu\", not \"sigmoid\"");
  REQUIRE_THROWS_WITH(read_mapping(rnn(wr + R"(, "activation": 1)"), t),
                      "mapping: layer 0 (rnn): \"activation\" must be \"tanh\" or \"relu\", not 1");
  REQUIRE_THROWS_WITH(read_mapping(rnn(R"("W": "weight_ih_l0")"), t),
                      "mapping: layer 0 (rnn): \"R\" (one slice: an rnn has no gates) is required");
  REQUIRE_THROWS_WITH(read_mapping(rnn(R"("W": {"r": "weight_ih_l0"}, "R": "weight_hh_l0")"), t),
                      Catch::StartsWith("mapping: layer 0 (rnn) W: expected a tensor name"));
  REQUIRE_THROWS_WITH(read_mapping(rnn(R"("W": "weight_hh_l0", "R": "weight_hh_l0")"), t),
                      "mapping: layer 0 (rnn) W: the slice of 'weight_hh_l0' is [3 x 3], expected [3 x 2]");
  REQUIRE_THROWS_WITH(read_mapping(rnn(wr + R"(, "bW": "weight_ih_l0")"), t),
                      "mapping: layer 0 (rnn) bW: the slice of 'weight_ih_l0' is [3 x 2], expected [3 x 1]");
  REQUIRE_THROWS_WITH(read_mapping(R"({"input_size": 2, "layers": [{"type": "rnn", "W": "weight_ih_l0"}]})", t),
                      Catch::Contains("layer 0 (rnn): \"hidden_size\" must be a size"));
}
