// The converter's plumbing for readers to come: the layout registry, a
// SourceFile that declares its model (as ONNX and Keras readers will), and
// tensor slices that are transposed or share one tensor.
#include <catch2/catch.hpp>
#include <numeric>
#include <random>
#include <set>

#include "grurt_convert/conversion_check.hpp"
#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/layout_registry.hpp"
#include "grurt_convert/mapping_file.hpp"
#include "grurt_convert/model_writer.hpp"
#include "grurt_convert/source_file.hpp"

using namespace grurt::convert;

namespace {

// A tensor whose element k is `first + k` (so expected copies are easy to write), or random.
SourceTensor tensor(std::vector<std::int64_t> shape, float first, bool random = false) {
  SourceTensor t;
  t.shape = shape;
  t.dtype = "F32";
  t.values.resize(static_cast<std::size_t>(t.numel()));
  std::iota(t.values.begin(), t.values.end(), first);
  if (random) {
    std::mt19937 rng(static_cast<unsigned>(first));
    std::uniform_real_distribution<float> uniform(-0.6f, 0.6f);
    for (float& v : t.values) v = uniform(rng);
  }
  return t;
}

// Keras' GRU (reset_after=True): kernel [I, 3H], recurrent_kernel [H, 3H],
// bias [2, 3H] (input row, recurrent row); gate columns in z, r, n order;
// h' = z*h + (1-z)*n. Declared the way a Keras reader would: transposed slices.
SourceModel keras_gru(std::uint32_t I, std::uint32_t H) {
  SourceGru gru;
  gru.input_size = I;
  gru.hidden_size = H;
  const std::uint32_t column[3] = {H, 0, 2 * H};  // r, z, n in Keras' z, r, n columns
  for (int g = 0; g < 3; ++g) {
    gru.w[g] = {"kernel", 0, I, column[g], H, true};
    gru.r[g] = {"recurrent_kernel", 0, H, column[g], H, true};
    gru.bias_w[g] = TensorSlice{"bias", 0, 1, column[g], H, true};
    gru.bias_r[g] = TensorSlice{"bias", 1, 1, column[g], H, true};
  }
  SourceModel model;
  model.layout = "keras (declared)";
  model.input_size = I;
  model.layers.push_back({"gru0", gru});
  return model;
}

}  // namespace

TEST_CASE("Registry: every layout has one family, a help line, and is what --layout accepts", "[registry]") {
  std::set<std::string> names;
  for (const LayoutFamily& family : layout_registry()) {
    REQUIRE(family.find);
    REQUIRE(family.build);
    REQUIRE(family.reference);
    for (const LayoutName& name : family.names) {
      REQUIRE(names.insert(name.name).second);  // unique
      REQUIRE_FALSE(name.help.empty());
      REQUIRE(find_layout_family(name.name) == &family);
      REQUIRE_THAT(layout_help(), Catch::Contains("  " + name.name + " ") && Catch::Contains(name.help));
      REQUIRE_THAT(layout_names(), Catch::Contains(name.name));
    }
  }
  REQUIRE(names.count("gru"));
  REQUIRE(names.count("rnn"));
  REQUIRE(find_layout_family("mapping") == nullptr);
  RecognitionOptions unknown;
  unknown.layout = "nope";
  REQUIRE_THROWS_WITH(recognize_layout({}, unknown), "unknown layout 'nope'; known: " + layout_names());
}

TEST_CASE("SourceFile: a declared model is used as it is, without recognition", "[source-file]") {
  SourceFile file;
  file.format = "hand-made";
  file.tensors["kernel"] = tensor({3, 6}, 1, true);
  file.tensors["recurrent_kernel"] = tensor({2, 6}, 2, true);
  file.tensors["bias"] = tensor({2, 6}, 3, true);
  // Keras names are no layout the registry knows: recognition would refuse them.
  REQUIRE_THROWS_WITH(recognize_layout(file.tensors, {}), Catch::StartsWith("no known layout found"));
  REQUIRE_THROWS_WITH(source_model(file, {}), Catch::StartsWith("no known layout found"));
  file.declared = keras_gru(3, 2);
  const SourceModel model = source_model(file, {});
  REQUIRE(model.layout == "keras (declared)");
  REQUIRE(std::get<SourceGru>(model.layers[0].layer).w[0].describe() == "kernel[0:3, 2:4]^T");
  // The declared model converts and runs as the runtime: the check evaluates
  // its slices as declared (transposes included) against the written file.
  const CheckReport check = check_conversion(model, file.tensors, write_model(canonicalize(model, file.tensors)), 32);
  REQUIRE(check.max_difference < 1e-5);
  // And the check would see a slice taken untransposed-wrong: z and r swapped.
  SourceModel swapped = model;
  auto& gru = std::get<SourceGru>(swapped.layers[0].layer);
  std::swap(gru.w[0], gru.w[1]);
  const CheckReport bad = check_conversion(model, file.tensors, write_model(canonicalize(swapped, file.tensors)), 32);
  REQUIRE(bad.max_difference > 1e-3);
  REQUIRE_FALSE(bad.passed());
  // Options that steer recognition cannot apply to a declared model: refused, not ignored.
  RecognitionOptions steering;
  steering.layout = "gru";
  steering.head = "fc";
  REQUIRE_THROWS_WITH(source_model(file, steering),
                      "this hand-made file declares its architecture, so --layout --head (which steer recognition "
                      "from tensor names) do not apply; leave them out");
}

TEST_CASE("TensorSlice: a transposed slice is copied as the block's transpose", "[slices]") {
  TensorMap t;
  t["kernel"] = tensor({3, 6}, 0);             // kernel[i][j] = 6 i + j
  t["recurrent_kernel"] = tensor({2, 6}, 100);  // 100 + 6 i + j
  t["bias"] = tensor({2, 6}, 200);
  const GruSpec gru = std::get<GruSpec>(canonicalize(keras_gru(3, 2), t).layers[0].layer);
  // W_r[h][i] = kernel[i][2 + h]; then z from columns 0..1, n from 4..5.
  REQUIRE(gru.w == std::vector<float>{2, 8, 14, 3, 9, 15, 0, 6, 12, 1, 7, 13, 4, 10, 16, 5, 11, 17});
  REQUIRE(gru.r == std::vector<float>{102, 108, 103, 109, 100, 106, 101, 107, 104, 110, 105, 111});
  REQUIRE(gru.bias_w == std::vector<float>{202, 203, 200, 201, 204, 205});
  REQUIRE(gru.bias_r == std::vector<float>{208, 209, 206, 207, 210, 211});
  const TensorSlice slice{"kernel", 0, 3, 2, 2, true};
  REQUIRE(slice.used_rows() == 2);
  REQUIRE(slice.used_cols() == 3);
}

TEST_CASE("TensorSlice: two slices of one 1 x 6H tensor give bW and bR (ONNX's B)", "[slices]") {
  // ONNX GRU: W [3H, I], R [3H, H], B [1, 6H] = [Wb | Rb], gates z, r, h.
  const std::uint32_t I = 2, H = 3;
  TensorMap t;
  t["W"] = tensor({3 * H, I}, 11, true);
  t["R"] = tensor({3 * H, H}, 12, true);
  t["B"] = tensor({1, 6 * H}, 0);
  SourceGru gru;
  gru.input_size = I;
  gru.hidden_size = H;
  const std::uint32_t gate[3] = {1, 0, 2};  // r, z, n in ONNX's z, r, h order
  for (int g = 0; g < 3; ++g) {
    gru.w[g] = {"W", gate[g] * H, H, 0, I};
    gru.r[g] = {"R", gate[g] * H, H, 0, H};
    gru.bias_w[g] = TensorSlice{"B", 0, 1, gate[g] * H, H, true};
    gru.bias_r[g] = TensorSlice{"B", 0, 1, 3 * H + gate[g] * H, H, true};
  }
  SourceModel model;
  model.layout = "onnx (declared)";
  model.input_size = I;
  model.layers.push_back({"gru0", gru});
  REQUIRE(used_tensors(model) == std::vector<std::string>{"B", "R", "W"});
  const GruSpec spec = std::get<GruSpec>(canonicalize(model, t).layers[0].layer);
  REQUIRE(spec.bias_w == std::vector<float>{3, 4, 5, 0, 1, 2, 6, 7, 8});
  REQUIRE(spec.bias_r == std::vector<float>{12, 13, 14, 9, 10, 11, 15, 16, 17});
  t["B"] = tensor({1, 6 * H}, 13, true);
  REQUIRE(check_conversion(model, t, write_model(canonicalize(model, t)), 32).max_difference < 1e-5);
}

TEST_CASE("Mapping files: transpose reads a slice as its transpose", "[mapping][slices]") {
  TensorMap t;
  t["kernel"] = tensor({3, 6}, 0);
  const std::string w = R"({"tensor": "kernel", "cols": [0, 2], "transpose": true})";
  const std::string layers = R"({"input_size": 3, "layers": [{"type": "rnn", "hidden_size": 2, "W": )";
  t["rk"] = tensor({2, 2}, 50);
  const SourceModel m = read_mapping(layers + w + R"(, "R": "rk"}]})", t);
  const SourceRnn& rnn = std::get<SourceRnn>(m.layers[0].layer);
  REQUIRE(rnn.w.transposed);
  REQUIRE(rnn.w.describe() == "kernel[0:3, 0:2]^T");
  REQUIRE(std::get<RnnSpec>(canonicalize(m, t).layers[0].layer).w == std::vector<float>{0, 6, 12, 1, 7, 13});
  REQUIRE_THROWS_WITH(read_mapping(layers + R"({"tensor": "kernel", "cols": [0, 2], "transpose": "yes"}, "R": "rk"}]})", t),
                      "mapping: layer 0 (rnn) W: \"transpose\" must be true or false, not \"yes\"");
  REQUIRE_THROWS_WITH(read_mapping(layers + R"({"tensor": "kernel", "cols": [0, 2]}, "R": "rk"}]})", t),
                      Catch::StartsWith("mapping: layer 0 (rnn) W: the slice of 'kernel' is [3 x 2], expected [2 x 3]; "
                                        "it fits transposed"));
  REQUIRE_THROWS_WITH(read_mapping(layers + R"({"tensor": "kernel", "cols": [0, 3], "transpose": true}, "R": "rk"}]})", t),
                      "mapping: layer 0 (rnn) W: the slice of 'kernel' is [3 x 3] (transposed), expected [2 x 3]");
}
