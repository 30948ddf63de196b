// Consecutive recurrent modules (self.gru1, self.gru2, ...) chained in the
// order the state_dict records (declaration order) or the order --chain names.
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <random>

#include "grurt_convert/conversion_check.hpp"
#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/layout_recognition.hpp"
#include "grurt_convert/model_writer.hpp"
#include "grurt_convert/source_file.hpp"
#include "support/convert_fixture_files.hpp"

using namespace grurt::convert;
using grurt::test::read_convert_fixture;

namespace {

// A state_dict in memory: the tensors and their names in declaration order.
struct StateDict {
  TensorMap tensors;
  std::vector<std::string> order;

  void add(const std::string& name, std::vector<std::int64_t> shape) {
    SourceTensor t;
    t.shape = shape;
    t.dtype = "F32";
    std::mt19937 rng(static_cast<unsigned>(order.size() + 1));
    std::uniform_real_distribution<float> uniform(-0.6f, 0.6f);
    t.values.resize(static_cast<std::size_t>(t.numel()));
    for (float& v : t.values) v = uniform(rng);
    tensors[name] = t;
    order.push_back(name);
  }
  // nn.GRU (gates = 3) or nn.RNN (gates = 1).
  void torch(const std::string& p, std::int64_t gates, std::int64_t I, std::int64_t H, int layers = 1) {
    for (int k = 0; k < layers; ++k) {
      const std::string s = "_l" + std::to_string(k);
      add(p + "weight_ih" + s, {gates * H, k == 0 ? I : H});
      add(p + "weight_hh" + s, {gates * H, H});
      add(p + "bias_ih" + s, {gates * H});
      add(p + "bias_hh" + s, {gates * H});
    }
  }
  void linear(const std::string& p, std::int64_t O, std::int64_t I) {
    add(p + "weight", {O, I});
    add(p + "bias", {O});
  }
};

double check(const SourceModel& model, const TensorMap& tensors) {
  return check_conversion(model, tensors, write_model(canonicalize(model, tensors)), 32).max_difference;
}

}  // namespace

TEST_CASE("Chaining: GRU(1,8) then GRU(8,8, num_layers=3) then a Linear, in declaration order", "[chain]") {
  StateDict sd;
  sd.torch("gru1.", 3, 1, 8);
  sd.torch("gru2.", 3, 8, 8, 3);
  sd.linear("fc.", 2, 8);
  const SourceModel m = recognize_layout(sd.tensors, {}, sd.order);
  REQUIRE(m.layout == "chain");
  REQUIRE(m.chain.size() == 2);
  REQUIRE(m.chain[0].prefix == "gru1.");
  REQUIRE(m.chain[1].layers == 3);
  REQUIRE(m.layers.size() == 5);  // 1 + 3 GRU layers and the head
  REQUIRE(m.head == std::optional<std::string>("fc."));
  REQUIRE(m.input_size == 1);
  REQUIRE(m.assumptions.at(0) ==
          "modules chained in declaration order (the state_dict's order; --chain sets another): "
          "'gru1.' (gru, 1 -> 8), 'gru2.' (gru, 3 layers, 8 -> 8)");
  REQUIRE(check(m, sd.tensors) < 1e-5);
}

TEST_CASE("Chaining: the file's order decides, not the names' alphabetical order", "[chain]") {
  StateDict sd;
  sd.torch("z.", 3, 2, 4);  // declared first, sorted last
  sd.torch("a.", 1, 4, 3);  // an nn.RNN reading z's state
  const SourceModel m = recognize_layout(sd.tensors, {}, sd.order);
  REQUIRE(m.chain.at(0).prefix == "z.");
  REQUIRE(m.chain.at(1).layout == "rnn");
  REQUIRE(m.input_size == 2);
  REQUIRE(check(m, sd.tensors) < 1e-5);
}

TEST_CASE("Chaining: the check follows the chain, so a wrong order is caught", "[chain]") {
  StateDict sd;
  sd.torch("first.", 3, 4, 4);
  sd.torch("second.", 3, 4, 4);
  const SourceModel right = recognize_layout(sd.tensors, {}, sd.order);
  RecognitionOptions swapped;
  swapped.chain = {"second", "first"};
  const SourceModel wrong = recognize_layout(sd.tensors, swapped, sd.order);
  REQUIRE(wrong.chain.at(0).prefix == "second.");
  const auto report = check_conversion(right, sd.tensors, write_model(canonicalize(wrong, sd.tensors)), 32);
  REQUIRE(report.max_difference > 1e-3);
}

TEST_CASE("Chaining: a custom cell layout chains with a torch module", "[chain]") {
  StateDict sd;
  sd.torch("enc.", 3, 2, 5);
  for (int l = 0; l < 2; ++l) {  // the chunked-cell stack, 2 cells of H = 4
    const std::string cell = "dec.rnn_cell_list." + std::to_string(l) + ".";
    sd.linear(cell + "input.", 12, l == 0 ? 5 : 4);
    sd.linear(cell + "hidden.", 12, 4);
  }
  sd.linear("fc.", 1, 4);
  const SourceModel m = recognize_layout(sd.tensors, {}, sd.order);
  REQUIRE(m.chain.at(1).layout == "chunked-cell");
  REQUIRE(m.layers.size() == 4);
  REQUIRE(check(m, sd.tensors) < 1e-5);
}

TEST_CASE("Chaining: refused when the order is unknown or the sizes do not chain", "[chain]") {
  StateDict sd;
  sd.torch("core.", 3, 8, 8, 2);
  sd.torch("pre.", 3, 1, 8);
  // No order (a safetensors file): say so, and how to give one.
  REQUIRE_THROWS_WITH(recognize_layout(sd.tensors, {}),
                      Catch::StartsWith("ambiguous: several recurrent modules found:\n  gru under prefix 'core.'") &&
                          Catch::Contains("does not record the order") && Catch::Contains("--chain FIRST,SECOND"));
  // Declaration order core, pre: pre takes 1 input, core gives 8.
  REQUIRE_THROWS_WITH(recognize_layout(sd.tensors, {}, sd.order),
                      Catch::StartsWith("the recurrent modules do not chain in declaration order: 'pre.' (gru, 1 -> 8) "
                                        "takes 1 inputs, but 'core.' (gru, 2 layers, 8 -> 8) before it gives 8 (its "
                                        "output width: the hidden size, or an LSTM's projection size)"));
  RecognitionOptions options;
  options.chain = {"pre.", "core"};  // with or without the '.'
  const SourceModel m = recognize_layout(sd.tensors, options);
  REQUIRE(m.chain.at(0).prefix == "pre.");
  REQUIRE(m.assumptions.at(0) == "modules chained in the order --chain gave: 'pre.' (gru, 1 -> 8), "
                                 "'core.' (gru, 2 layers, 8 -> 8)");
  REQUIRE(check(m, sd.tensors) < 1e-5);
  options.chain = {"pre", "nope"};
  REQUIRE_THROWS_WITH(recognize_layout(sd.tensors, options),
                      Catch::StartsWith("--chain: no recurrent module 'nope.' in the file; the modules found are:"));
  options.chain = {"pre", "pre"};
  REQUIRE_THROWS_WITH(recognize_layout(sd.tensors, options), "--chain: module 'pre.' is named twice");
  // --chain names a subset: the rest is unused, as for --prefix.
  options.chain = {"pre"};
  REQUIRE_THROWS_WITH(recognize_layout(sd.tensors, options),
                      Catch::StartsWith("the chained modules do not use these tensors:"));
}

TEST_CASE("Chaining: an nn.LSTM among the modules chains like the others", "[chain]") {
  StateDict sd;
  sd.torch("gru.", 3, 2, 4);
  sd.torch("lstm.", 4, 4, 5);
  sd.linear("fc.", 2, 5);
  const SourceModel m = recognize_layout(sd.tensors, {}, sd.order);
  REQUIRE(m.layout == "chain");
  REQUIRE(m.chain.size() == 2);
  REQUIRE(m.chain[1].layout == "lstm");
  REQUIRE(m.head == std::optional<std::string>("fc."));
  REQUIRE(check(m, sd.tensors) < 1e-5);
}

TEST_CASE("Chaining: a .pt file keeps the state_dict's order, a safetensors file none", "[chain]") {
  // Declared core (nn.GRU(8, 8, 2)), then pre (nn.GRU(1, 8)), then fc; forward() calls pre first.
  const SourceFile pt = read_convert_fixture("chain_called_pre_i1_h8_core_l2_h8_fc2.pt");
  REQUIRE(pt.order.size() == pt.tensors.size());
  REQUIRE(pt.order.front() == "core.weight_ih_l0");  // sorted, it would be core.bias_hh_l0
  REQUIRE(pt.order.back() == "fc.bias");             // sorted, it would be pre.weight_ih_l0
  REQUIRE_THROWS_WITH(source_model(pt, {}), Catch::StartsWith("the recurrent modules do not chain in declaration order"));
  RecognitionOptions options;
  options.chain = {"pre", "core"};
  REQUIRE(source_model(pt, options).chain.at(1).prefix == "core.");
  const SourceFile st = read_convert_fixture("chain_called_pre_i1_h8_core_l2_h8_fc2.safetensors");
  REQUIRE(st.order.empty());
  REQUIRE_THROWS_WITH(source_model(st, {}), Catch::Contains("does not record the order they were declared in"));
  REQUIRE(source_model(st, options).layers.size() == 4);  // 1 + 2 GRU layers and the head
}
