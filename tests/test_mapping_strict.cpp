// Mapping files are strict: an unknown key anywhere is refused with the
// nearest known one (a typo must not silently become a default), a shape that
// fits transposed says so, and any one row or column of a 2-D tensor can be a
// bias (Keras stores reset_after biases as [2, 3H]).
#include <catch2/catch.hpp>

#include "grurt_convert/conversion_check.hpp"
#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/mapping_file.hpp"
#include "grurt_convert/model_writer.hpp"
#include "../converter/src/source_layers/mapping_fields.hpp"

using namespace grurt::convert;

namespace {

// Values 0.01 * (1 + index), distinct so a misplaced element is seen.
void add(TensorMap& tensors, const std::string& name, std::vector<std::int64_t> shape) {
  SourceTensor t;
  t.shape = shape;
  t.dtype = "F32";
  t.values.resize(static_cast<std::size_t>(t.numel()));
  for (std::size_t i = 0; i < t.values.size(); ++i) t.values[i] = 0.01f * static_cast<float>(i + 1) * (i % 2 ? -1 : 1);
  tensors[name] = t;
}

// A Keras-style GRU, I = 2, H = 3: kernel [I, 3H], recurrent_kernel [H, 3H],
// bias [2, 3H] (row 0 input biases, row 1 recurrent ones), gates z, r, n.
TensorMap keras_gru() {
  TensorMap t;
  add(t, "kernel", {2, 9});
  add(t, "recurrent_kernel", {3, 9});
  add(t, "bias", {2, 9});
  add(t, "fc.weight", {1, 3});
  return t;
}

// Gate g of a [rows, 3H] Keras tensor (z = 0, r = 1, n = 2), as used.
std::string gate(const char* tensor, int g, bool transpose = true) {
  return std::string(R"({"tensor": ")") + tensor + R"(", "cols": [)" + std::to_string(3 * g) + ", " +
         std::to_string(3 * g + 3) + "]" + (transpose ? R"(, "transpose": true})" : "}");
}
std::string bias(int row, int g) {
  return R"({"tensor": "bias", "rows": [)" + std::to_string(row) + ", " + std::to_string(row + 1) + R"(], "cols": [)" +
         std::to_string(3 * g) + ", " + std::to_string(3 * g + 3) + "]}";
}

// The whole Keras mapping; `extra` is spliced into the gru layer object.
std::string keras_mapping(const std::string& extra = "", const std::string& w_r = gate("kernel", 1)) {
  return R"({"input_size": 2, "layers": [{"type": "gru", "hidden_size": 3, "update": "z*h + (1-z)*n", )" + extra +
         R"("W": {"r": )" + w_r + R"(, "z": )" + gate("kernel", 0) + R"(, "n": )" + gate("kernel", 2) + "}, " +
         R"("R": {"r": )" + gate("recurrent_kernel", 1) + R"(, "z": )" + gate("recurrent_kernel", 0) + R"(, "n": )" +
         gate("recurrent_kernel", 2) + "}, " + R"("bW": {"r": )" + bias(0, 1) + R"(, "z": )" + bias(0, 0) +
         R"(, "n": )" + bias(0, 2) + "}, " + R"("bR": {"r": )" + bias(1, 1) + R"(, "z": )" + bias(1, 0) +
         R"(, "n": )" + bias(1, 2) + "}}, " + R"({"type": "dense", "output_size": 1, "weight": "fc.weight"}]})";
}

}  // namespace

TEST_CASE("Mapping files: the nearest known key ignores case first", "[mapping]") {
  REQUIRE(source_layers::nearest_key("bw", {"W", "R", "bW", "bR"}) == "bW");
  REQUIRE(source_layers::nearest_key("rest", {"type", "reset", "R", "update"}) == "reset");
  REQUIRE(source_layers::nearest_key("N", {"r", "z", "n"}) == "n");
}

TEST_CASE("Mapping files: unknown keys are refused at every level, naming the nearest", "[mapping]") {
  const TensorMap t = keras_gru();
  REQUIRE(read_mapping(keras_mapping(), t).layers.size() == 2);
  // A layer object: "bw" would have left the input biases at zero.
  std::string text = keras_mapping(R"("bw": {}, )");
  REQUIRE_THROWS_WITH(read_mapping(text, t),
                      Catch::StartsWith("mapping: unknown key \"bw\" in layer 0 (gru); did you mean \"bW\"?"));
  // "rest" would have left the reset mode at its default.
  REQUIRE_THROWS_WITH(read_mapping(keras_mapping(R"("rest": "before", )"), t),
                      Catch::StartsWith("mapping: unknown key \"rest\" in layer 0 (gru); did you mean \"reset\"?"));
  // The top level.
  text = keras_mapping();
  text.insert(1, R"("input_sise": 2, )");
  REQUIRE_THROWS_WITH(read_mapping(text, t),
                      Catch::StartsWith("mapping: unknown key \"input_sise\" in the top level; did you mean \"input_size\"?"));
  // A slice object: "row" would have taken every row.
  const std::string row_typo = R"({"tensor": "kernel", "row": [0, 2], "cols": [3, 6], "transpose": true})";
  REQUIRE_THROWS_WITH(read_mapping(keras_mapping("", row_typo), t),
                      Catch::StartsWith("mapping: unknown key \"row\" in layer 0 (gru) W.r; did you mean \"rows\"?"));
  // A per-gate object.
  text = keras_mapping();
  text.replace(text.find(R"("z": )" + bias(0, 0)), 3, R"("Z")");
  REQUIRE_THROWS_WITH(read_mapping(text, t),
                      Catch::StartsWith("mapping: unknown key \"Z\" in layer 0 (gru) bW; did you mean \"z\"?"));
  // The other layer kinds.
  text = keras_mapping();
  text.replace(text.find(R"("weight": "fc.weight")"), 8, R"("wieght")");
  REQUIRE_THROWS_WITH(read_mapping(text, t),
                      Catch::StartsWith("mapping: unknown key \"wieght\" in layer 1 (dense); did you mean \"weight\"?"));
  TensorMap rnn;
  add(rnn, "w", {4, 2});
  add(rnn, "r", {4, 4});
  REQUIRE_THROWS_WITH(
      read_mapping(R"({"input_size": 2, "layers": [{"type": "rnn", "hidden_size": 4, "W": "w", "R": "r", "activaton": "relu"}]})", rnn),
      Catch::StartsWith("mapping: unknown key \"activaton\" in layer 0 (rnn); did you mean \"activation\"?"));
}

TEST_CASE("Mapping files: a per-gate field that is not an object is refused, not ignored", "[mapping]") {
  // "bW": "bias" (one tensor for all gates) used to give zero biases silently.
  std::string text = keras_mapping();
  const std::size_t begin = text.find(R"("bW": )");
  text.replace(begin, text.find(R"("bR": )") - begin, R"("bW": "bias", )");
  REQUIRE_THROWS_WITH(read_mapping(text, keras_gru()),
                      Catch::StartsWith("mapping: layer 0 (gru): \"bW\" must be an object of per-gate slices"));
}

TEST_CASE("Mapping files: a shape that fits transposed says so", "[mapping]") {
  const TensorMap t = keras_gru();
  REQUIRE_THROWS_WITH(read_mapping(keras_mapping("", gate("kernel", 1, false)), t),
                      Catch::StartsWith("mapping: layer 0 (gru) W.r: the slice of 'kernel' is [2 x 3], expected [3 x 2]; "
                                        "it fits transposed") &&
                          Catch::Contains("\"transpose\": true"));
  // A shape that does not fit either way gets no such hint.
  const std::string wrong = R"({"tensor": "kernel", "cols": [0, 4], "transpose": true})";
  REQUIRE_THROWS_WITH(read_mapping(keras_mapping("", wrong), t),
                      "mapping: layer 0 (gru) W.r: the slice of 'kernel' is [4 x 2] (transposed), expected [3 x 2]");
}

TEST_CASE("Mapping files: one row or one column of a 2-D tensor is a bias", "[mapping]") {
  const TensorMap t = keras_gru();
  const SourceModel model = read_mapping(keras_mapping(), t);
  const CanonicalModel canonical = canonicalize(model, t);
  const auto& gru = std::get<GruSpec>(canonical.layers.at(0).layer);
  const std::vector<float>& stored = t.at("bias").values;  // [2, 9], gates z, r, n
  // Canonical order r, z, n; bW from row 0, bR from row 1.
  for (int g = 0; g < 3; ++g) {
    const int keras_gate = g == 0 ? 1 : g == 1 ? 0 : 2;
    for (int i = 0; i < 3; ++i) {
      REQUIRE(gru.bias_w.at(3 * g + i) == stored.at(3 * keras_gate + i));
      REQUIRE(gru.bias_r.at(3 * g + i) == stored.at(9 + 3 * keras_gate + i));
    }
  }
  // The kernels transposed: canonical W_r row i = kernel column 3 + i.
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 2; ++j) REQUIRE(gru.w.at(2 * i + j) == t.at("kernel").values.at(9 * j + 3 + i));
  }
  // The source formulas evaluate the same slices: the check agrees.
  REQUIRE(check_conversion(model, t, write_model(canonical), 8).max_difference < 1e-6);

  // A column works as well; a block wider than one row or column does not.
  TensorMap columns = t;
  add(columns, "bias_t", {9, 2});
  std::string text = keras_mapping();
  text.replace(text.find(bias(0, 1)), bias(0, 1).size(), R"({"tensor": "bias_t", "rows": [3, 6], "cols": [0, 1]})");
  REQUIRE(std::get<GruSpec>(canonicalize(read_mapping(text, columns), columns).layers.at(0).layer).bias_w.at(0) ==
          columns.at("bias_t").values.at(6));
  text = keras_mapping();
  text.replace(text.find(bias(0, 1)), bias(0, 1).size(), R"({"tensor": "bias", "cols": [3, 6]})");
  REQUIRE_THROWS_WITH(read_mapping(text, t),
                      "mapping: layer 0 (gru) bW.r: the slice of 'bias' is [2 x 3], expected [3 x 1]");
  // An explicit "transpose": false is obeyed, and the error says what fits.
  text = keras_mapping();
  std::string row = bias(0, 1);
  row.insert(row.size() - 1, R"(, "transpose": false)");
  text.replace(text.find(bias(0, 1)), bias(0, 1).size(), row);
  REQUIRE_THROWS_WITH(read_mapping(text, t), Catch::Contains("is [1 x 3], expected [3 x 1]") &&
                                                 Catch::Contains("it fits transposed"));
}

TEST_CASE("Mapping files: initial_h names a trained h0, stored as the layer's initial state and checked",
          "[mapping][initial_state]") {
  TensorMap t = keras_gru();
  add(t, "h0", {1, 3});  // a trained h0 [1, H]
  const SourceModel model = read_mapping(keras_mapping(R"("initial_h": "h0", )"), t);
  REQUIRE(model.layers.at(0).initial_state.size() == 1);
  CHECK(model.layers.at(0).initial_state[0]->describe() == "h0[0:1, 0:3]^T");  // a row used as a column
  CanonicalModel canonical = canonicalize(model, t);
  const auto& gru = std::get<GruSpec>(canonical.layers.at(0).layer);
  CHECK(gru.initial_state == t.at("h0").values);
  CHECK(check_conversion(model, t, write_model(canonical), 8).passed());
  // The wrong width is refused where it is named.
  add(t, "h0_wide", {1, 4});
  REQUIRE_THROWS_WITH(read_mapping(keras_mapping(R"("initial_h": "h0_wide", )"), t),
                      Catch::Contains("layer 0 (gru) initial_h"));
}
