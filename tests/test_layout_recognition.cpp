// Layout recognition and mapping files on in-memory tensor maps.
#include <catch2/catch.hpp>
#include <random>

#include "grurt_convert/conversion_check.hpp"
#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/layout_recognition.hpp"
#include "grurt_convert/mapping_file.hpp"
#include "grurt_convert/model_writer.hpp"
#include "support/random_tensors.hpp"

using namespace grurt::convert;
using grurt::test::add_random_tensor;
using grurt::test::torch_recurrent_tensors;

namespace {

TensorMap concat_cell(const std::string& p, std::int64_t I, std::int64_t H) {
  TensorMap t;
  for (const char* gate : {"reset_gate", "update_gate", "hidden_transform"}) {
    add_random_tensor(t, p + gate + ".weight", {H, I + H});
    add_random_tensor(t, p + gate + ".bias", {H});
  }
  return t;
}

}  // namespace

TEST_CASE("Recognition: nn.GRU under a nested prefix, with a head found by shape", "[recognition]") {
  TensorMap t = torch_recurrent_tensors("model.encoder.", 4, 6, 2, true, 3);
  add_random_tensor(t, "model.classifier.weight", {3, 6});
  add_random_tensor(t, "model.classifier.bias", {3});
  const SourceModel m = recognize_layout(t, {});
  REQUIRE(m.layout == "gru");
  REQUIRE(m.prefix == "model.encoder.");
  REQUIRE(m.input_size == 4);
  REQUIRE(m.layers.size() == 3);
  REQUIRE(m.head == std::optional<std::string>("model.classifier."));
  const auto& layer1 = std::get<SourceGru>(m.layers[1].layer);
  REQUIRE(layer1.input_size == 6);
  REQUIRE(layer1.w[1].describe() == "model.encoder.weight_ih_l1[6:12, 0:6]");
}

TEST_CASE("Recognition: wrong shapes name the tensor, formula and both shapes", "[recognition]") {
  TensorMap t = torch_recurrent_tensors("", 2, 5, 2, true, 3);
  add_random_tensor(t, "weight_ih_l1", {15, 4});  // layer 1 must read layer 0's 5 outputs
  REQUIRE_THROWS_WITH(recognize_layout(t, {}),
                      "tensor 'weight_ih_l1' has shape [15, 4], expected [3*H, H of layer 0] = [15, 5]");
  t = torch_recurrent_tensors("", 2, 5, 1, true, 3);
  add_random_tensor(t, "weight_ih_l0", {16, 2});
  REQUIRE_THROWS_WITH(recognize_layout(t, {}), Catch::Contains("has 16 rows, not a multiple of 3"));
  t = torch_recurrent_tensors("", 2, 5, 1, true, 3);
  add_random_tensor(t, "bias_hh_l0", {14});
  REQUIRE_THROWS_WITH(recognize_layout(t, {}), "tensor 'bias_hh_l0' has shape [14], expected [3*H] = [15]");
  t = concat_cell("gru.", 3, 4);
  add_random_tensor(t, "gru.update_gate.weight", {4, 8});
  REQUIRE_THROWS_WITH(recognize_layout(t, {}),
                      "tensor 'gru.update_gate.weight' has shape [4, 8], expected [H, I+H] = [4, 7]");
}

TEST_CASE("Recognition: bidirectional GRUs, unknown layouts and empty files are refused", "[recognition]") {
  TensorMap t = torch_recurrent_tensors("rnn.", 2, 3, 1, true, 3);
  add_random_tensor(t, "rnn.weight_ih_l0_reverse", {9, 2});
  REQUIRE_THROWS_WITH(recognize_layout(t, {}), Catch::Contains("bidirectional"));
  TensorMap lstm;
  add_random_tensor(lstm, "lstm.weight_ih_l0x", {16, 2});
  REQUIRE_THROWS_WITH(recognize_layout(lstm, {}),
                      Catch::StartsWith("no known layout found") && Catch::Contains("lstm.weight_ih_l0x [16, 2] F32") &&
                          Catch::Contains("mapping file"));
  REQUIRE_THROWS_WITH(recognize_layout(t, {"nope"}), Catch::StartsWith("unknown layout 'nope'"));
}

TEST_CASE("Recognition: options choose among candidates", "[recognition]") {
  TensorMap t = torch_recurrent_tensors("enc.", 2, 3, 1, true, 3);
  const TensorMap cell = concat_cell("dec.", 3, 3);
  t.insert(cell.begin(), cell.end());
  REQUIRE_THROWS_WITH(recognize_layout(t, {}), Catch::Contains("ambiguous") && Catch::Contains("concat-cell under prefix 'dec.'"));
  RecognitionOptions options;
  options.layout = "concat-cell";
  options.allow_unused = true;
  options.head = "none";
  const SourceModel m = recognize_layout(t, options);
  REQUIRE(m.layout == "concat-cell");
  REQUIRE_FALSE(m.head);
  const auto& gru = std::get<SourceGru>(m.layers[0].layer);
  REQUIRE_FALSE(gru.reset_after);
  REQUIRE_FALSE(gru.update_keeps_state);
  REQUIRE(gru.r[2].describe() == "dec.hidden_transform.weight[0:3, 3:6]");
}

TEST_CASE("Recognition: a tensor with an integer dtype cannot be a weight", "[recognition]") {
  TensorMap t = torch_recurrent_tensors("", 1, 2, 1, true, 3);
  t["weight_hh_l0"].is_float = false;
  t["weight_hh_l0"].dtype = "I64";
  REQUIRE_THROWS_WITH(recognize_layout(t, {}), Catch::Contains("has dtype I64; weights must be floating point"));
}

TEST_CASE("Mapping files: errors name the layer, field, gate and tensor", "[mapping]") {
  const TensorMap t = torch_recurrent_tensors("", 2, 3, 1, true, 3);
  const std::string w = R"("W": {"r": {"tensor": "weight_ih_l0", "rows": [0, 3]}, "z": {"tensor": "weight_ih_l0", "rows": [3, 6]}, "n": {"tensor": "weight_ih_l0", "rows": [6, 9]}})";
  const std::string r = R"("R": {"r": {"tensor": "weight_hh_l0", "rows": [0, 3]}, "z": {"tensor": "weight_hh_l0", "rows": [3, 6]}, "n": {"tensor": "weight_hh_l0", "rows": [6, 9]}})";
  auto gru = [&](const std::string& body) { return R"({"input_size": 2, "layers": [{"type": "gru", "hidden_size": 3, )" + body + "}]}"; };
  REQUIRE(read_mapping(gru(w + ", " + r), t).layers.size() == 1);
  REQUIRE_THROWS_WITH(read_mapping("{", t), Catch::StartsWith("mapping: not valid JSON"));
  REQUIRE_THROWS_WITH(read_mapping(R"({"layers": []})", t), Catch::Contains("expected {\"input_size\""));
  REQUIRE_THROWS_WITH(read_mapping(gru(w), t), Catch::Contains("\"R\" {\"r\", \"z\", \"n\"} is required"));
  std::string bad = w;
  bad.replace(bad.find("[6, 9]"), 6, "[6, 10]");
  REQUIRE_THROWS_WITH(read_mapping(gru(bad + ", " + r), t),
                      "mapping: layer 0 (gru) W.n: \"rows\" [6,10] is outside [0, 9)");
  bad = w;
  bad.replace(bad.find("[0, 3]"), 6, "[0, 2]");
  REQUIRE_THROWS_WITH(read_mapping(gru(bad + ", " + r), t),
                      "mapping: layer 0 (gru) W.r: the slice of 'weight_ih_l0' is [2 x 2], expected [3 x 2]");
  bad = w;
  bad.replace(bad.find("weight_ih_l0"), 12, "nowhere");
  REQUIRE_THROWS_WITH(read_mapping(gru(bad + ", " + r), t), Catch::Contains("tensor 'nowhere' is not in the file"));
  REQUIRE_THROWS_WITH(read_mapping(gru(w + ", " + r + R"(, "update": "z*n")"), t), Catch::Contains("\"update\" must be"));
  REQUIRE_THROWS_WITH(read_mapping(R"({"input_size": 2, "layers": [{"type": "conv1d"}]})", t),
                      Catch::Contains("unknown type 'conv1d'; expected one of gru, rnn, lstm, dense, activation"));
}

TEST_CASE("The conversion check catches a wrong canonicalisation", "[check]") {
  // The concat cell updates with (1-z)*h + z*n; canonicalising it as if it
  // used z*h + (1-z)*n must be caught by comparing against the cell's formulas.
  const TensorMap t = concat_cell("", 3, 5);
  const SourceModel right = recognize_layout(t, {});
  const auto good = check_conversion(right, t, write_model(canonicalize(right, t)), 16);
  REQUIRE(good.max_difference < 1e-6);
  SourceModel wrong = right;
  std::get<SourceGru>(wrong.layers[0].layer).update_keeps_state = true;
  const auto bad = check_conversion(right, t, write_model(canonicalize(wrong, t)), 16);
  REQUIRE(bad.max_difference > 1e-2);
  REQUIRE_FALSE(bad.passed());
}

TEST_CASE("Mapping files: fields of the wrong JSON type are errors, not library exceptions", "[mapping]") {
  // Found by the mapping fuzz target (tests/fuzz/regressions/mapping/reset_is_a_number.json).
  const TensorMap t = torch_recurrent_tensors("", 2, 3, 1, true, 3);
  auto gru = [](const std::string& field) {
    return R"({"input_size": 2, "layers": [{"type": "gru", "hidden_size": 3, )" + field + "}]}";
  };
  REQUIRE_THROWS_WITH(read_mapping(gru(R"("reset": 3)"), t),
                      "mapping: layer 0 (gru): \"reset\" must be a string, not 3");
  REQUIRE_THROWS_WITH(read_mapping(gru(R"("update": ["z"])"), t),
                      "mapping: layer 0 (gru): \"update\" must be a string, not [\"z\"]");
  REQUIRE_THROWS_WITH(read_mapping(R"({"input_size": 2, "layers": [{"type": "gru", "name": {}}]})", t),
                      "mapping: layer 0: \"name\" must be a string, not {}");
  // A layer's field indexed as an object when it is an array: still a ConversionError.
  REQUIRE_THROWS_AS(read_mapping(gru(R"("W": {"r": [1], "z": [2], "n": [3]}, "R": {"r": 1, "z": 2, "n": 3})"), t),
                    ConversionError);
}
