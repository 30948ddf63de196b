// The converter's side of the LSTM layer (nn.LSTM incl. proj_size,
// nn.LSTMCell, mixed LSTM/GRU stacks, mapping-file lstm layers): recognition,
// canonicalisation to LstmSpec, refusals, gate orders, and the double-precision
// evaluations checked against PyTorch's outputs. Expected values come from
// PyTorch (the fixtures) or from the schema's formulas written out here.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include "grurt_convert/conversion_check.hpp"
#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/layout_recognition.hpp"
#include "grurt_convert/mapping_file.hpp"
#include "grurt_convert/model_writer.hpp"
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

using Vec = std::vector<double>;

// nn.LSTM(I, H, proj_size=P, num_layers=layers) under `p`: weight_hr_l{k} [P, H],
// weight_hh_l{k} [4H, P], layers above the first read P.
TensorMap projected_lstm(const std::string& p, std::int64_t I, std::int64_t H, std::int64_t P, int layers) {
  TensorMap t;
  for (int k = 0; k < layers; ++k) {
    const std::string s = "_l" + std::to_string(k);
    add_random_tensor(t, p + "weight_ih" + s, {4 * H, k == 0 ? I : P}, 3);
    add_random_tensor(t, p + "weight_hh" + s, {4 * H, P}, 3);
    add_random_tensor(t, p + "bias_ih" + s, {4 * H}, 3);
    add_random_tensor(t, p + "bias_hh" + s, {4 * H}, 3);
    add_random_tensor(t, p + "weight_hr" + s, {P, H}, 3);
  }
  return t;
}

const SourceLstm& lstm_at(const SourceModel& m, std::size_t k) { return std::get<SourceLstm>(m.layers.at(k).layer); }

// The tensors of `t` as a mapping file's layer would name them, stored in another gate order:
// the [4H x cols] row blocks of PyTorch's i, f, g, o placed in `order` (grurt gate indices).
std::vector<float> permuted_blocks(const std::vector<float>& values, std::size_t H, std::size_t cols,
                                   const std::array<int, 4>& order) {
  std::vector<float> out;
  for (int g : order) {
    out.insert(out.end(), values.begin() + static_cast<std::ptrdiff_t>(g * H * cols),
               values.begin() + static_cast<std::ptrdiff_t>((g + 1) * H * cols));
  }
  return out;
}

SourceTensor tensor(std::vector<std::int64_t> shape, std::vector<float> values) {
  SourceTensor t;
  t.shape = std::move(shape);
  t.dtype = "F32";
  t.values = std::move(values);
  return t;
}

// [rows x cols] -> [cols x rows]
std::vector<float> transposed(const std::vector<float>& v, std::size_t rows, std::size_t cols) {
  std::vector<float> out(v.size());
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j) out[j * rows + i] = v[i * cols + j];
  return out;
}

}  // namespace

TEST_CASE("LSTM: nn.LSTM is recognised at any depth, with and without biases, gates as row blocks i f g o",
          "[lstm][recognition]") {
  TensorMap t = torch_recurrent_tensors("model.encoder.", 4, 5, 3, false, 4, 7);
  add_random_tensor(t, "model.head.weight", {2, 5});
  const SourceModel m = recognize_layout(t, {});
  REQUIRE(m.layout == "lstm");
  REQUIRE(m.prefix == "model.encoder.");
  REQUIRE(m.input_size == 4);
  REQUIRE(m.layers.size() == 4);
  for (std::size_t k = 0; k < 3; ++k) {
    const SourceLstm& l = lstm_at(m, k);
    const std::string s = std::to_string(k);
    REQUIRE(l.input_size == (k == 0 ? 4u : 5u));
    REQUIRE(l.hidden_size == 5);
    REQUIRE(l.projection_size == 0);
    REQUIRE(l.w[0].describe() == "model.encoder.weight_ih_l" + s + "[0:5, 0:" + (k ? "5" : "4") + "]");
    REQUIRE(l.w[1].describe() == "model.encoder.weight_ih_l" + s + "[5:10, 0:" + (k ? "5" : "4") + "]");
    REQUIRE(l.w[2].describe() == "model.encoder.weight_ih_l" + s + "[10:15, 0:" + (k ? "5" : "4") + "]");
    REQUIRE(l.w[3].describe() == "model.encoder.weight_ih_l" + s + "[15:20, 0:" + (k ? "5" : "4") + "]");
    REQUIRE(l.r[3].describe() == "model.encoder.weight_hh_l" + s + "[15:20, 0:5]");
    for (int g = 0; g < 4; ++g) REQUIRE_FALSE(l.bias_w[g]);
    REQUIRE_FALSE(l.projection);
    REQUIRE(state_width(m.layers[k]) == 10);  // h then c
  }
  REQUIRE(m.head == std::optional<std::string>("model.head."));
  REQUIRE(m.assumptions.empty());

  const TensorMap biased = torch_recurrent_tensors("", 1, 7, 1, true, 4, 7);
  const SourceModel biased_model = recognize_layout(biased, {});  // kept alive: lstm_at returns a reference into it
  const SourceLstm& l = lstm_at(biased_model, 0);
  REQUIRE(l.bias_w[2]->describe() == "bias_ih_l0[14:21, 0:1]");
  REQUIRE(l.bias_r[3]->describe() == "bias_hh_l0[21:28, 0:1]");
}

TEST_CASE("LSTM: nn.LSTMCell is recognised with its biases and an optional head", "[lstm][recognition]") {
  TensorMap t;
  for (const auto& [name, shape] : std::vector<std::pair<std::string, std::vector<std::int64_t>>>{
           {"cell.weight_ih", {24, 3}}, {"cell.weight_hh", {24, 6}}, {"cell.bias_ih", {24}}, {"cell.bias_hh", {24}},
           {"out.weight", {2, 6}}, {"out.bias", {2}}}) {
    add_random_tensor(t, name, shape);
  }
  const SourceModel m = recognize_layout(t, {});
  REQUIRE(m.layout == "lstmcell");
  REQUIRE(m.layers.size() == 2);
  const SourceLstm& l = lstm_at(m, 0);
  REQUIRE(l.input_size == 3);
  REQUIRE(l.hidden_size == 6);
  REQUIRE(l.r[1].describe() == "cell.weight_hh[6:12, 0:6]");
  REQUIRE(l.bias_w[0]->describe() == "cell.bias_ih[0:6, 0:1]");
  REQUIRE(m.head == std::optional<std::string>("out."));
  REQUIRE_THAT(describe(m.layers[0]), Catch::StartsWith("lstm 3 -> 6, gates i, f, g, o; state h then c\n") &&
                                          Catch::Contains("g cell.weight_ih[12:18, 0:3]"));
}

TEST_CASE("LSTM: proj_size gives weight_hh [4H, P], a projection [P, H] and P inputs above the first layer",
          "[lstm][recognition]") {
  TensorMap t = projected_lstm("lstm.", 2, 8, 3, 2);
  add_random_tensor(t, "fc.weight", {2, 3});
  const SourceModel m = recognize_layout(t, {});
  REQUIRE(m.layout == "lstm");
  REQUIRE(m.layers.size() == 3);
  for (std::size_t k = 0; k < 2; ++k) {
    const SourceLstm& l = lstm_at(m, k);
    REQUIRE(l.input_size == (k == 0 ? 2u : 3u));
    REQUIRE(l.hidden_size == 8);
    REQUIRE(l.projection_size == 3);
    REQUIRE(l.r[2].describe() == "lstm.weight_hh_l" + std::to_string(k) + "[16:24, 0:3]");
    REQUIRE(l.projection->describe() == "lstm.weight_hr_l" + std::to_string(k) + "[0:3, 0:8]");
    REQUIRE(output_width(m.layers[k]) == 3);
    REQUIRE(state_width(m.layers[k]) == 3 + 8);
  }
  REQUIRE(m.head == std::optional<std::string>("fc."));
  REQUIRE_THAT(describe(m.layers[0]), Catch::StartsWith("lstm 2 -> 8, projection to 3,") &&
                                          Catch::Contains("projection <- lstm.weight_hr_l0[0:3, 0:8]"));
}

TEST_CASE("LSTM: canonicalisation keeps PyTorch's gate order i f g o and copies the projection", "[lstm][canonical]") {
  const TensorMap t = projected_lstm("", 3, 5, 2, 2);
  const CanonicalModel model = canonicalize(recognize_layout(t, {}), t);
  REQUIRE(model.layers.size() == 2);
  for (int k = 0; k < 2; ++k) {
    const std::string s = "_l" + std::to_string(k);
    const auto& l = std::get<LstmSpec>(model.layers[k].layer);
    REQUIRE(l.input_size == (k == 0 ? 3u : 2u));
    REQUIRE(l.hidden_size == 5);
    REQUIRE(l.projection_size == 2);
    REQUIRE(l.w == t.at("weight_ih" + s).values);
    REQUIRE(l.r == t.at("weight_hh" + s).values);
    REQUIRE(l.bias_w == t.at("bias_ih" + s).values);
    REQUIRE(l.bias_r == t.at("bias_hh" + s).values);
    REQUIRE(l.projection == t.at("weight_hr" + s).values);
    REQUIRE(l.peephole.empty());
  }
  const TensorMap bare = torch_recurrent_tensors("", 2, 3, 1, false, 4, 7);
  const CanonicalModel bare_model = canonicalize(recognize_layout(bare, {}), bare);
  const auto& l = std::get<LstmSpec>(bare_model.layers[0].layer);
  REQUIRE(l.bias_w.empty());
  REQUIRE(l.bias_r.empty());
  REQUIRE(l.projection.empty());
  REQUIRE(l.projection_size == 0);
}

TEST_CASE("LSTM: wrong shapes, missing tensors, projection mismatches and bidirectional modules are refused",
          "[lstm][recognition]") {
  auto refuses = [](const TensorMap& t, const std::string& message) {
    INFO(message);
    REQUIRE_THROWS_WITH(recognize_layout(t, {}), message);
  };
  TensorMap t = torch_recurrent_tensors("lstm.", 3, 5, 2, true, 4, 7);
  add_random_tensor(t, "lstm.weight_hh_l0", {20, 4});
  refuses(t, "tensor 'lstm.weight_hh_l0' has shape [20, 4], expected [4*H, H] = [20, 5]");
  t = torch_recurrent_tensors("lstm.", 3, 5, 2, true, 4, 7);
  t.erase("lstm.weight_hh_l1");
  refuses(t, "tensor 'lstm.weight_hh_l1' is missing; expected [4*H, H] = [20, 5]");
  t = torch_recurrent_tensors("lstm.", 3, 5, 2, true, 4, 7);
  add_random_tensor(t, "lstm.weight_ih_l1", {20, 3});
  refuses(t, "tensor 'lstm.weight_ih_l1' has shape [20, 3], expected [4*H, H of layer 0] = [20, 5]");
  t = torch_recurrent_tensors("lstm.", 3, 5, 1, true, 4, 7);
  add_random_tensor(t, "lstm.bias_ih_l0", {15});
  refuses(t, "tensor 'lstm.bias_ih_l0' has shape [15], expected [4*H] = [20]");
  t = torch_recurrent_tensors("lstm.", 3, 5, 1, true, 4, 7);
  add_random_tensor(t, "lstm.weight_ih_l0_reverse", {20, 3});
  refuses(t, "'lstm.' is a bidirectional nn.LSTM; streaming runs forward only, so it cannot be converted");

  // Projections: weight_hh must be [4H, P]; every layer projects to the same P; weight_hr is [P, H].
  t = projected_lstm("lstm.", 2, 8, 3, 1);
  add_random_tensor(t, "lstm.weight_hh_l0", {32, 8});
  refuses(t, "tensor 'lstm.weight_hh_l0' has shape [32, 8], expected [4*H, P] = [32, 3]");
  t = projected_lstm("lstm.", 2, 8, 3, 1);
  add_random_tensor(t, "lstm.weight_hr_l0", {3, 7});
  refuses(t, "tensor 'lstm.weight_hr_l0' has shape [3, 7], expected [P, H] with H = 8 (weight_ih's rows / 4)");
  t = projected_lstm("lstm.", 2, 8, 3, 2);
  add_random_tensor(t, "lstm.weight_hr_l1", {4, 8});
  refuses(t, "tensor 'lstm.weight_hr_l1' has shape [4, 8], expected [P, H] = [3, 8]: layer 0 of 'lstm.' projects to 3, "
             "and nn.LSTM's proj_size applies to every layer");
  t = projected_lstm("lstm.", 2, 8, 3, 2);
  t.erase("lstm.weight_hr_l1");
  refuses(t, "tensor 'lstm.weight_hr_l1' is missing; expected [P, H] = [3, 8] (layer 0 of 'lstm.' has a projection, "
             "and nn.LSTM's proj_size applies to every layer)");
  t = projected_lstm("lstm.", 2, 8, 3, 2);
  add_random_tensor(t, "lstm.weight_ih_l1", {32, 8});
  refuses(t, "tensor 'lstm.weight_ih_l1' has shape [32, 8], expected [4*H, P of layer 0] = [32, 3]");
  t = projected_lstm("lstm.", 2, 8, 3, 1);
  add_random_tensor(t, "lstm.weight_ih_l0", {30, 2});
  refuses(t, "tensor 'lstm.weight_ih_l0' has 30 rows, not a multiple of 4 (4*H)");
}

TEST_CASE("LSTM: the PyTorch fixtures are reproduced by the layout reference, the slice evaluation and the canonical model",
          "[lstm][reference]") {
  struct Fixture {
    const char* name;
    std::vector<std::string> chain;  // the modules' order, which a safetensors file does not keep
  };
  const Fixture fixtures[] = {{"lstm_i1_h5", {}},
                              {"lstm_l2_i3_h7_fc2", {}},
                              {"lstm_l3_i2_h11_nobias", {}},
                              {"lstm_proj_i2_h8_p3_fc2", {}},
                              {"lstm_proj_l2_i1_h8_p3", {}},
                              {"lstmcell_i4_h6_fc3", {}},
                              {"lstmcell_i1_h9", {}},
                              {"stack_lstm_i2_h6_gru_h5_fc2", {"lstm", "gru"}},
                              {"stack_gru_i3_h4_lstm_l2_h7", {"gru", "lstm"}},
                              {"stack_gru_i1_h6_lstm_h8_p3_fc1", {"gru", "lstm"}}};
  for (const Fixture& f : fixtures) {
    for (const char* format : {".pt", ".safetensors"}) {
      INFO(f.name << format);
      const SourceFile file = read_convert_fixture(std::string(f.name) + format);
      RecognitionOptions options;
      options.chain = f.chain;
      const SourceModel source = source_model(file, options);
      // The family's own formulas on the whole tensors (a chain: each module's).
      const auto reference = make_source_reference(source, file.tensors);
      REQUIRE(max_difference_to_pytorch(f.name, [&](const Vec& x) { return reference->step(x); }) < 1e-6);
      // The slices as declared, evaluated by the source layer kinds (as a mapping file's model is).
      SourceModel sliced = source;
      sliced.layout = "mapping";
      sliced.chain.clear();
      const auto slices = make_source_reference(sliced, file.tensors);
      REQUIRE(max_difference_to_pytorch(f.name, [&](const Vec& x) { return slices->step(x); }) < 1e-6);
      // The canonical arrays under the schema's formulas.
      const CanonicalModel canonical = canonicalize(source, file.tensors);
      grurt::test::ReferenceModel evaluator(canonical);  // tests/support: the schema's formulas
      REQUIRE(max_difference_to_pytorch(f.name, [&](const Vec& x) { return evaluator.step(x); }) < 1e-6);
    }
  }
}

TEST_CASE("LSTM: a .pt keeps the modules' declaration order, a safetensors file needs --chain", "[lstm][chain]") {
  const SourceFile pt = read_convert_fixture("stack_lstm_i2_h6_gru_h5_fc2.pt");
  const SourceModel m = source_model(pt, {});
  REQUIRE(m.layout == "chain");
  REQUIRE(m.chain.size() == 2);
  REQUIRE(m.chain[0].prefix == "lstm.");
  REQUIRE(m.chain[1].prefix == "gru.");
  REQUIRE(std::holds_alternative<SourceLstm>(m.layers[0].layer));
  REQUIRE(std::holds_alternative<SourceGru>(m.layers[1].layer));
  REQUIRE_THAT(m.assumptions.at(0), Catch::Contains("'lstm.' (lstm, 2 -> 6), 'gru.' (gru, 6 -> 5)"));
  const SourceFile st = read_convert_fixture("stack_lstm_i2_h6_gru_h5_fc2.safetensors");
  REQUIRE_THROWS_WITH(source_model(st, {}), Catch::StartsWith("ambiguous: several recurrent modules found:") &&
                                                Catch::Contains("--chain FIRST,SECOND"));
  // The wrong order does not chain: the LSTM takes 2 inputs, the GRU before it gives 5.
  RecognitionOptions reversed;
  reversed.chain = {"gru", "lstm"};
  REQUIRE_THROWS_WITH(source_model(pt, reversed), Catch::StartsWith("the recurrent modules do not chain in the order --chain gives"));
}

TEST_CASE("LSTM: the conversion check passes a right conversion and refuses a wrong gate order or a missing bias",
          "[lstm][check]") {
  TensorMap t = projected_lstm("lstm.", 3, 6, 4, 2);
  add_random_tensor(t, "fc.weight", {2, 4}, 3);
  const SourceModel right = recognize_layout(t, {});
  const auto good = check_conversion(right, t, write_model(canonicalize(right, t)), 16);
  REQUIRE(good.passed());
  REQUIRE(good.max_difference < 1e-5);

  SourceModel swapped = right;  // f and g exchanged, as a wrong mapping would
  std::swap(std::get<SourceLstm>(swapped.layers[1].layer).w[1], std::get<SourceLstm>(swapped.layers[1].layer).w[2]);
  std::swap(std::get<SourceLstm>(swapped.layers[1].layer).r[1], std::get<SourceLstm>(swapped.layers[1].layer).r[2]);
  const auto bad = check_conversion(right, t, write_model(canonicalize(swapped, t)), 16);
  REQUIRE_FALSE(bad.passed());
  REQUIRE(bad.max_difference > 1e-3);
  // The state is compared first and named as h or c of the LSTM layer (layer 1: h is its first P = 4 values).
  REQUIRE_THAT(bad.mismatch->what, Catch::Matches("state [hc] of layer 1 'lstm1', unit"));

  SourceModel no_bias = right;  // bR dropped for gate o of layer 0
  std::get<SourceLstm>(no_bias.layers[0].layer).bias_r[3].reset();
  REQUIRE_FALSE(check_conversion(right, t, write_model(canonicalize(no_bias, t)), 16).passed());
}

TEST_CASE("LSTM: mapping files with Keras's and ONNX's gate orders equal the PyTorch-order conversion", "[lstm][mapping]") {
  const std::size_t I = 3, H = 4;
  const TensorMap torch = torch_recurrent_tensors("", I, H, 1, true, 4, 11);
  const LstmSpec expected = std::get<LstmSpec>(canonicalize(recognize_layout(torch, {}), torch).layers[0].layer);
  const auto& w = torch.at("weight_ih_l0").values;
  const auto& r = torch.at("weight_hh_l0").values;
  const auto& bw = torch.at("bias_ih_l0").values;
  const auto& br = torch.at("bias_hh_l0").values;

  SECTION("Keras: kernel [I, 4H] and recurrent_kernel [H, 4H] in i, f, c, o, one bias") {
    // Keras keeps one bias: here bW, with bR given per gate from a second tensor to test both forms.
    TensorMap keras;
    keras["kernel"] = tensor({static_cast<std::int64_t>(I), 4 * static_cast<std::int64_t>(H)}, transposed(w, 4 * H, I));
    keras["recurrent_kernel"] = tensor({static_cast<std::int64_t>(H), 4 * static_cast<std::int64_t>(H)}, transposed(r, 4 * H, H));
    keras["bias"] = tensor({4 * static_cast<std::int64_t>(H)}, bw);
    keras["bias_r"] = tensor({4 * static_cast<std::int64_t>(H)}, br);
    const std::string json = R"({"input_size": 3, "layers": [{"type": "lstm", "hidden_size": 4, "gates": ["i", "f", "c", "o"],
      "W": {"tensor": "kernel", "transpose": true}, "R": {"tensor": "recurrent_kernel", "transpose": true},
      "bW": "bias",
      "bR": {"i": {"tensor": "bias_r", "rows": [0, 4]}, "f": {"tensor": "bias_r", "rows": [4, 8]},
             "c": {"tensor": "bias_r", "rows": [8, 12]}, "o": {"tensor": "bias_r", "rows": [12, 16]}}}]})";
    const SourceModel m = read_mapping(json, keras);
    const LstmSpec got = std::get<LstmSpec>(canonicalize(m, keras).layers[0].layer);
    REQUIRE(got.w == expected.w);
    REQUIRE(got.r == expected.r);
    REQUIRE(got.bias_w == expected.bias_w);
    REQUIRE(got.bias_r == expected.bias_r);
    REQUIRE(check_conversion(m, keras, write_model(canonicalize(m, keras)), 16).passed());
  }

  SECTION("ONNX: W, R in i, o, f, c and B [8H] = bW then bR") {
    const std::array<int, 4> iofc = {0, 3, 1, 2};
    TensorMap onnx;
    onnx["W"] = tensor({4 * static_cast<std::int64_t>(H), static_cast<std::int64_t>(I)}, permuted_blocks(w, H, I, iofc));
    onnx["R"] = tensor({4 * static_cast<std::int64_t>(H), static_cast<std::int64_t>(H)}, permuted_blocks(r, H, H, iofc));
    std::vector<float> b = permuted_blocks(bw, H, 1, iofc);
    const std::vector<float> b_r = permuted_blocks(br, H, 1, iofc);
    b.insert(b.end(), b_r.begin(), b_r.end());
    onnx["B"] = tensor({1, 8 * static_cast<std::int64_t>(H)}, b);
    const std::string json = R"({"input_size": 3, "layers": [{"type": "lstm", "hidden_size": 4, "gates": ["i", "o", "f", "c"],
      "W": "W", "R": "R", "bW": {"tensor": "B", "cols": [0, 16]}, "bR": {"tensor": "B", "cols": [16, 32]}}]})";
    const LstmSpec got = std::get<LstmSpec>(canonicalize(read_mapping(json, onnx), onnx).layers[0].layer);
    REQUIRE(got.w == expected.w);
    REQUIRE(got.r == expected.r);
    REQUIRE(got.bias_w == expected.bias_w);
    REQUIRE(got.bias_r == expected.bias_r);
  }
}

TEST_CASE("LSTM: mapping-file peepholes follow the gates order and match the schema's formulas", "[lstm][mapping]") {
  // ONNX stores P [3H] as i, o, f: with "gates" i, o, f, c the whole vector is cut in that order.
  const std::size_t I = 2, H = 3;
  TensorMap t = torch_recurrent_tensors("", I, H, 1, true, 4, 5);
  add_random_tensor(t, "P", {3 * static_cast<std::int64_t>(H)}, 5);
  const auto& p = t.at("P").values;
  const std::string json = R"({"input_size": 2, "layers": [{"type": "lstm", "hidden_size": 3, "gates": ["i", "o", "f", "c"],
    "W": {"i": {"tensor": "weight_ih_l0", "rows": [0, 3]}, "f": {"tensor": "weight_ih_l0", "rows": [3, 6]},
          "c": {"tensor": "weight_ih_l0", "rows": [6, 9]}, "o": {"tensor": "weight_ih_l0", "rows": [9, 12]}},
    "R": {"i": {"tensor": "weight_hh_l0", "rows": [0, 3]}, "f": {"tensor": "weight_hh_l0", "rows": [3, 6]},
          "g": {"tensor": "weight_hh_l0", "rows": [6, 9]}, "o": {"tensor": "weight_hh_l0", "rows": [9, 12]}},
    "bW": {"f": {"tensor": "bias_ih_l0", "rows": [3, 6]}},
    "peephole": "P"}]})";
  const SourceModel m = read_mapping(json, t);
  const LstmSpec l = std::get<LstmSpec>(canonicalize(m, t).layers[0].layer);
  // Canonical p_i, p_f, p_o from stored i, o, f.
  const std::vector<float> want = {p[0], p[1], p[2], p[6], p[7], p[8], p[3], p[4], p[5]};
  REQUIRE(l.peephole == want);
  REQUIRE(l.w == t.at("weight_ih_l0").values);
  // Only f's input bias given: the others are zeros, and no recurrent bias at all.
  REQUIRE(l.bias_w.size() == 4 * H);
  REQUIRE(l.bias_w[0] == 0.0f);
  REQUIRE(l.bias_w[H] == t.at("bias_ih_l0").values[H]);
  REQUIRE(l.bias_r.empty());
  REQUIRE_THAT(describe(m.layers[0]), Catch::Contains("peephole <- i P[0:3, 0:1] | f P[6:9, 0:1] | o P[3:6, 0:1]"));

  // The slice evaluation against the schema's formulas written out here, and the runtime through the check.
  CanonicalModel canonical = canonicalize(m, t);
  grurt::test::ReferenceModel evaluator(canonical);  // tests/support: the schema's formulas
  const auto reference = make_source_reference(m, t);
  std::mt19937 rng(3);
  std::normal_distribution<double> normal;
  for (int step = 0; step < 20; ++step) {
    const Vec x = {normal(rng), normal(rng)};
    const Vec a = reference->step(x), b = evaluator.step(x);
    for (std::size_t j = 0; j < H; ++j) REQUIRE(a[j] == Approx(b[j]).margin(1e-12));
  }
  REQUIRE(check_conversion(m, t, write_model(canonical), 32).passed());

  // Per gate: i, f, o named, g has none.
  const std::string per_gate = R"({"input_size": 2, "layers": [{"type": "lstm", "hidden_size": 3, "W": "weight_ih_l0",
    "R": "weight_hh_l0", "peephole": {"o": {"tensor": "P", "rows": [0, 3]}}}]})";
  const LstmSpec o_only = std::get<LstmSpec>(canonicalize(read_mapping(per_gate, t), t).layers[0].layer);
  REQUIRE(o_only.peephole == std::vector<float>{0, 0, 0, 0, 0, 0, p[0], p[1], p[2]});
}

TEST_CASE("LSTM: a mapping-file projection and its errors", "[lstm][mapping]") {
  const TensorMap t = projected_lstm("", 2, 5, 3, 1);
  const std::string body = R"("W": "weight_ih_l0", "R": "weight_hh_l0", "bW": "bias_ih_l0", "bR": "bias_hh_l0")";
  auto lstm = [](const std::string& fields) {
    return R"({"input_size": 2, "layers": [{"type": "lstm", "hidden_size": 5, )" + fields + "}]}";
  };
  const SourceModel m = read_mapping(lstm(body + R"(, "projection_size": 3, "projection": "weight_hr_l0")"), t);
  REQUIRE(lstm_at(m, 0).projection_size == 3);
  REQUIRE(output_width(m.layers[0]) == 3);
  const LstmSpec expected = std::get<LstmSpec>(canonicalize(recognize_layout(t, {}), t).layers[0].layer);
  const LstmSpec got = std::get<LstmSpec>(canonicalize(m, t).layers[0].layer);
  REQUIRE(got.projection == expected.projection);
  REQUIRE(got.r == expected.r);
  REQUIRE_THROWS_WITH(read_mapping(lstm(body + R"(, "projection": "weight_hr_l0")"), t),
                      "mapping: layer 0 (lstm): \"projection_size\" and \"projection\" ([P x H], PyTorch's "
                      "weight_hr_l{k}) go together");
  REQUIRE_THROWS_WITH(read_mapping(lstm(body), t),
                      "mapping: layer 0 (lstm) R: the slice of 'weight_hh_l0' is [20 x 3], expected [20 x 5]");
  REQUIRE_THROWS_WITH(read_mapping(lstm(body + R"(, "projection_size": 4, "projection": "weight_hr_l0")"), t),
                      "mapping: layer 0 (lstm) projection: the slice of 'weight_hr_l0' is [3 x 5], expected [4 x 5]");
}

TEST_CASE("LSTM: mapping-file lstm layers are strict and name what is wrong", "[lstm][mapping]") {
  const TensorMap t = torch_recurrent_tensors("", 2, 3, 1, true, 4, 7);
  auto lstm = [](const std::string& fields) {
    return R"({"input_size": 2, "layers": [{"type": "lstm", "hidden_size": 3, )" + fields + "}]}";
  };
  const std::string wr = R"("W": "weight_ih_l0", "R": "weight_hh_l0")";
  REQUIRE(read_mapping(lstm(wr), t).layers.size() == 1);
  REQUIRE_THROWS_WITH(read_mapping(lstm(wr + R"(, "peepholes": "bias_ih_l0")"), t),
                      Catch::StartsWith("mapping: unknown key \"peepholes\" in layer 0 (lstm); did you mean \"peephole\"?"));
  REQUIRE_THROWS_WITH(read_mapping(lstm(wr + R"(, "gates": ["i", "f", "g", "g"])"), t),
                      Catch::StartsWith("mapping: layer 0 (lstm): \"gates\" must name i, f, g (or c) and o once each") &&
                          Catch::EndsWith("not [\"i\",\"f\",\"g\",\"g\"]"));
  REQUIRE_THROWS_WITH(read_mapping(lstm(wr + R"(, "gates": ["i", "f", "c", "g"])"), t),
                      Catch::Contains("\"gates\" must name i, f, g (or c) and o once each"));
  REQUIRE_THROWS_WITH(read_mapping(lstm(wr + R"(, "gates": "ifgo")"), t), Catch::Contains("\"gates\" must name"));
  REQUIRE_THROWS_WITH(read_mapping(lstm(R"("W": "weight_ih_l0")"), t),
                      Catch::StartsWith("mapping: layer 0 (lstm): \"R\" is required: a whole [4*H x cols] slice"));
  REQUIRE_THROWS_WITH(
      read_mapping(lstm(R"("W": {"i": "weight_ih_l0"}, "R": "weight_hh_l0")"), t),
      "mapping: layer 0 (lstm) W.i: the slice of 'weight_ih_l0' is [12 x 2], expected [3 x 2]");
  const std::string three = R"("W": {"i": {"tensor": "weight_ih_l0", "rows": [0, 3]}, "f": {"tensor": "weight_ih_l0", "rows": [3, 6]}, "o": {"tensor": "weight_ih_l0", "rows": [9, 12]}}, "R": "weight_hh_l0")";
  REQUIRE_THROWS_WITH(read_mapping(lstm(three), t), "mapping: layer 0 (lstm): W has no gate \"g\" (or \"c\")");
  REQUIRE_THROWS_WITH(read_mapping(lstm(R"("W": {"z": "weight_ih_l0"}, "R": "weight_hh_l0")"), t),
                      Catch::StartsWith("mapping: unknown key \"z\" in layer 0 (lstm) W;"));
  REQUIRE_THROWS_WITH(
      read_mapping(lstm(wr + R"(, "bW": {"g": {"tensor": "bias_ih_l0", "rows": [0, 3]}, "c": {"tensor": "bias_ih_l0", "rows": [0, 3]}})"), t),
      "mapping: layer 0 (lstm) bW: names gate g twice, as \"g\" and as \"c\"");
  REQUIRE_THROWS_WITH(read_mapping(lstm(wr + R"(, "peephole": {"g": "bias_ih_l0"})"), t),
                      Catch::StartsWith("mapping: unknown key \"g\" in layer 0 (lstm) peephole;"));
  REQUIRE_THROWS_WITH(read_mapping(lstm(R"("W": "weight_hh_l0", "R": "weight_hh_l0")"), t),
                      "mapping: layer 0 (lstm) W: the slice of 'weight_hh_l0' is [12 x 3], expected [12 x 2]");
  REQUIRE_THROWS_WITH(read_mapping(lstm(wr + R"(, "bW": "bias_ih_l0", "peephole": "bias_hh_l0")"), t),
                      "mapping: layer 0 (lstm) peephole: the slice of 'bias_hh_l0' is [12 x 1], expected [9 x 1]");
  REQUIRE_THROWS_WITH(read_mapping(R"({"input_size": 2, "layers": [{"type": "lstm", "W": "weight_ih_l0"}]})", t),
                      Catch::Contains("layer 0 (lstm): \"hidden_size\" must be a size"));
}

TEST_CASE("LSTM hard_sigmoid gates: the conversion check's double reference applies them to i, f and o",
          "[lstm][gates]") {
  // An nn.LSTM's slices evaluated as a declared model (a Keras reader's way:
  // the per-layer double reference, not the PyTorch layout's), its weights
  // scaled to [-3, 3] so that gate pre-activations pass the clip points.
  TensorMap t = torch_recurrent_tensors("", 3, 6, 1, true, 4, 29);
  for (auto& named : t) {
    for (float& v : named.second.values) v *= 6.0f;
  }
  SourceModel sigmoid_gates = recognize_layout(t, {});
  sigmoid_gates.layout = "declared";
  auto with_gates = [&](float slope) {
    SourceModel m = sigmoid_gates;
    auto& lstm = std::get<SourceLstm>(m.layers.at(0).layer);
    lstm.gate_activation = grurt::GateActivation::kHardSigmoid;
    lstm.hard_sigmoid_slope = slope;
    lstm.hard_sigmoid_offset = 0.5f;
    return m;
  };
  const SourceModel keras2 = with_gates(0.2f), keras3 = with_gates(1.0f / 6.0f);
  const LstmSpec spec = std::get<LstmSpec>(canonicalize(keras3, t).layers.at(0).layer);
  REQUIRE(spec.gate_activation == grurt::GateActivation::kHardSigmoid);
  REQUIRE(spec.hard_sigmoid_slope == 1.0f / 6.0f);
  REQUIRE(spec.hard_sigmoid_offset == 0.5f);
  REQUIRE(describe(keras2.layers.at(0)).find("i, f and o = hard_sigmoid clip(0.2 x + 0.5, 0, 1)") != std::string::npos);
  REQUIRE(describe(sigmoid_gates.layers.at(0)).find("hard_sigmoid") == std::string::npos);
  for (const SourceModel& m : {sigmoid_gates, keras2, keras3}) {
    REQUIRE(check_conversion(m, t, write_model(canonicalize(m, t)), 16).passed());
  }
  // A file whose gates are not the source's fails the check, either way round.
  REQUIRE_FALSE(check_conversion(keras2, t, write_model(canonicalize(sigmoid_gates, t)), 16).passed());
  REQUIRE_FALSE(check_conversion(sigmoid_gates, t, write_model(canonicalize(keras2, t)), 16).passed());
  REQUIRE_FALSE(check_conversion(keras3, t, write_model(canonicalize(keras2, t)), 16).passed());
}
