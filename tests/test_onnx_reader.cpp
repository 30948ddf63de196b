// The ONNX reader: what it makes of the committed fixtures (gate order, reset
// placement, front door), and a readable error for each kind of graph it must
// refuse, built here with the ONNX project's protobuf classes.
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>

#include <onnx/onnx_pb.h>

#include "grurt_convert/conversion_check.hpp"
#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/model_writer.hpp"
#include "grurt_convert/onnx_reader.hpp"
#include "grurt_convert/source_file.hpp"

using namespace grurt::convert;

namespace {

std::vector<std::uint8_t> fixture(const std::string& name) {
  std::ifstream in(std::string(GRURT_ONNX_FIXTURES) + "/" + name, std::ios::binary);
  REQUIRE(in);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A graph x [T, 1, I] -> GRU (I = 2, H = 3) -> Squeeze(axis 1) -> y, to which
// each test adds or changes one thing.
struct Graph {
  onnx::ModelProto model;
  onnx::GraphProto* graph = model.mutable_graph();

  Graph() {
    auto* opset = model.add_opset_import();
    opset->set_domain("");
    opset->set_version(13);
    auto* x = graph->add_input();
    x->set_name("x");
    auto* shape = x->mutable_type()->mutable_tensor_type()->mutable_shape();
    shape->add_dim()->set_dim_param("T");
    shape->add_dim()->set_dim_value(1);
    shape->add_dim()->set_dim_value(2);
    graph->add_output()->set_name("y");
    floats("W", {1, 9, 2});
    floats("R", {1, 9, 3});
    ints("axes1", {1});
    auto& gru = node("GRU", "gru0", {"x", "W", "R"}, {"Y"});
    set_int(gru, "hidden_size", 3);
    node("Squeeze", "squeeze", {"Y", "axes1"}, {"y"});
  }

  void floats(const std::string& name, const std::vector<std::int64_t>& dims) {
    auto* t = graph->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    std::int64_t count = 1;
    for (const auto d : dims) {
      t->add_dims(d);
      count *= d;
    }
    for (std::int64_t i = 0; i < count; ++i) t->add_float_data(0.01f * static_cast<float>(i % 7));
  }
  void ints(const std::string& name, const std::vector<std::int64_t>& values) {
    auto* t = graph->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::INT64);
    t->add_dims(static_cast<std::int64_t>(values.size()));
    for (const auto v : values) t->add_int64_data(v);
  }
  onnx::NodeProto& node(const std::string& op, const std::string& name, const std::vector<std::string>& inputs,
                        const std::vector<std::string>& outputs) {
    auto* n = graph->add_node();
    n->set_op_type(op);
    n->set_name(name);
    for (const auto& i : inputs) n->add_input(i);
    for (const auto& o : outputs) n->add_output(o);
    return *n;
  }
  static void set_int(onnx::NodeProto& n, const std::string& name, std::int64_t value) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(value);
  }
  // A graph input (a state tensor the caller feeds); no dims: no declared shape.
  void input(const std::string& name, const std::vector<std::int64_t>& dims, bool shaped = true) {
    auto* in = graph->add_input();
    in->set_name(name);
    auto* type = in->mutable_type()->mutable_tensor_type();
    type->set_elem_type(onnx::TensorProto::FLOAT);
    if (!shaped) return;
    auto* shape = type->mutable_shape();
    for (const auto d : dims) shape->add_dim()->set_dim_value(d);
  }
  // Sets input `index` of node `node`, adding empty inputs before it as needed.
  void set_input(int node, int index, const std::string& name) {
    auto* n = graph->mutable_node(node);
    while (n->input_size() <= index) n->add_input("");
    n->set_input(index, name);
  }
  void add_output(const std::string& name) { graph->add_output()->set_name(name); }
  // Renames the graph's output.
  void output(const std::string& name) { graph->mutable_output(0)->set_name(name); }
  // The Squeeze then writes 's', for the nodes a test appends after it (the last writes 'y').
  void squeeze_to_s() { graph->mutable_node(1)->set_output(0, "s"); }

  SourceFile read() const {
    const std::string bytes = model.SerializeAsString();
    return read_onnx(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
};

// The test graph with an LSTM (I = 2, H = 3: W [1, 12, 2], R [1, 12, 3]) in place of its GRU.
Graph lstm_graph() {
  Graph g;
  auto* node = g.graph->mutable_node(0);
  node->set_op_type("LSTM");
  node->set_name("lstm0");
  for (int i : {0, 1}) {
    auto* t = g.graph->mutable_initializer(i);
    const std::int64_t cols = t->dims(2);
    t->clear_dims();
    t->clear_float_data();
    for (std::int64_t d : {std::int64_t{1}, std::int64_t{12}, cols}) t->add_dims(d);
    for (std::int64_t k = 0; k < 12 * cols; ++k) t->add_float_data(0.01f * static_cast<float>(k % 5));
  }
  return g;
}

// The LSTM test graph with its Y_h and Y_c outputs named.
Graph lstm_graph_with_y_h_and_y_c() {
  Graph g = lstm_graph();
  g.graph->mutable_node(0)->add_output("Y_h");
  g.graph->mutable_node(0)->add_output("Y_c");
  return g;
}

void refused(const Graph& g, const std::string& text) {
  REQUIRE_THROWS_WITH(g.read(), Catch::Contains(text));
}

}  // namespace

TEST_CASE("An ONNX model is told from its content, whatever its name", "[onnx]") {
  const auto bytes = fixture("torch_gru_i3_h8_fc2.onnx");
  CHECK(looks_like_onnx(bytes.data(), bytes.size()));
  const SourceFile file = read_source_file(bytes.data(), bytes.size());
  CHECK(file.format == "ONNX");
  REQUIRE(file.declared);
  REQUIRE(file.declared->layers.size() == 2);
  CHECK(std::holds_alternative<SourceGru>(file.declared->layers[0].layer));
  CHECK(std::holds_alternative<SourceDense>(file.declared->layers[1].layer));
  CHECK(file.declared->input_size == 3);
  // A .pt file read as ONNX says so rather than guessing.
  const std::uint8_t zip[] = {'P', 'K', 3, 4, 0, 0};
  CHECK_FALSE(looks_like_onnx(zip, sizeof zip));
  REQUIRE_THROWS_WITH(read_source_file(zip, sizeof zip, SourceFormat::kOnnx), Catch::Contains("not a readable ModelProto"));
}

TEST_CASE("ONNX GRU gates z, r, h become r, z, n and linear_before_reset sets where the reset applies", "[onnx]") {
  for (const int lbr : {0, 1}) {
    const auto bytes = fixture("hand_gru_lbr" + std::to_string(lbr) + "_i3_h4.onnx");
    const SourceFile file = read_onnx(bytes.data(), bytes.size());
    const auto& gru = std::get<SourceGru>(file.declared->layers.at(0).layer);
    CHECK(gru.reset_after == (lbr == 1));
    CHECK(gru.update_keeps_state);
    CHECK(gru.w[static_cast<int>(Gate::kReset)].row == 4);
    CHECK(gru.w[static_cast<int>(Gate::kUpdate)].row == 0);
    CHECK(gru.w[static_cast<int>(Gate::kNew)].row == 8);
    CHECK(gru.bias_r[static_cast<int>(Gate::kReset)]->row == 12 + 4);
    CHECK(file.tensors.at("W").shape == std::vector<std::int64_t>{12, 3});  // the direction axis dropped
  }
}

TEST_CASE("ONNX LSTM gates i, o, f, c become i, f, g, o and peepholes i, o, f become p_i, p_f, p_o", "[onnx][lstm]") {
  const auto bytes = fixture("hand_lstm_peephole_i3_h5.onnx");
  const SourceFile file = read_onnx(bytes.data(), bytes.size());
  const auto& lstm = std::get<SourceLstm>(file.declared->layers.at(0).layer);
  CHECK(lstm.hidden_size == 5);
  CHECK(lstm.projection_size == 0);
  const std::uint32_t expected_rows[4] = {0, 10, 15, 5};  // i, f, g, o in ONNX's i, o, f, c blocks of H = 5
  for (int g = 0; g < 4; ++g) {
    INFO("gate " << g);
    CHECK(lstm.w[g].row == expected_rows[g]);
    CHECK(lstm.r[g].row == expected_rows[g]);
    CHECK(lstm.bias_w[g]->row == expected_rows[g]);
    CHECK(lstm.bias_r[g]->row == 20 + expected_rows[g]);
  }
  CHECK(lstm.peephole[0]->row == 0);   // p_i
  CHECK(lstm.peephole[1]->row == 10);  // p_f: ONNX's third block
  CHECK(lstm.peephole[2]->row == 5);   // p_o: ONNX's second block
}

TEST_CASE("A constant ONNX initial_c becomes the LSTM's stored initial state, initial h left zeros", "[onnx][lstm]") {
  Graph g = lstm_graph();
  g.floats("c0", {1, 1, 3});  // 0.01 * (i % 7): not all zero
  auto* lstm = g.graph->mutable_node(0);
  for (const char* input : {"", "", "", "c0"}) lstm->add_input(input);
  const SourceFile file = g.read();
  const SourceLayer& layer = file.declared->layers.at(0);
  REQUIRE(layer.initial_state.size() == 2);
  CHECK_FALSE(layer.initial_state[0].has_value());
  REQUIRE(layer.initial_state[1].has_value());
  CHECK(layer.initial_state[1]->tensor == "c0");
  CHECK(layer.initial_state[1]->rows == 3);
}

TEST_CASE("ONNX LSTM graphs grurt cannot stream are refused with the node and the reason", "[onnx][lstm]") {
  REQUIRE(std::holds_alternative<SourceLstm>(lstm_graph().read().declared->layers.at(0).layer));
  SECTION("an initial_c per batch item (grurt stores one per layer)") {
    Graph g = lstm_graph();
    g.floats("c0", {1, 2, 3});  // 0.01 * (i % 7): not all zero
    auto* lstm = g.graph->mutable_node(0);
    for (const char* input : {"", "", "", "c0"}) lstm->add_input(input);
    refused(g, "node 'lstm0' (LSTM): initial_c 'c0' has shape [1, 2, 3]: one initial state per batch item; grurt "
               "stores one per layer, so it must be [1, 1, 3]");
  }
  SECTION("peepholes of the wrong size") {
    Graph g = lstm_graph();
    g.floats("P", {1, 6});
    auto* lstm = g.graph->mutable_node(0);
    for (const char* input : {"", "", "", "", "P"}) lstm->add_input(input);
    refused(g, "node 'lstm0' (LSTM): P has shape [6] (direction axis dropped), expected [9] (3*hidden_size");
  }
  SECTION("the cell state Y_c as the graph's output") {
    Graph g = lstm_graph_with_y_h_and_y_c();
    g.output("Y_c");
    refused(g, "output 'Y_c': reads 'Y_c', which holds an LSTM's cell state (Y_c); grurt streams h (Y or Y_h)");
  }
  SECTION("the cell state Y_c streamed through a node") {
    Graph g = lstm_graph_with_y_h_and_y_c();
    g.graph->mutable_node(1)->set_input(0, "Y_c");
    refused(g, "output 'y': reads 'y', which holds an LSTM's cell state (Y_c)");
  }
  SECTION("the cell state Y_c read by a layer") {
    Graph g = lstm_graph_with_y_h_and_y_c();
    g.squeeze_to_s();
    g.floats("head", {3, 2});
    g.node("MatMul", "head_on_c", {"Y_c", "head"}, {"y"});
    refused(g, "node 'head_on_c' (MatMul): reads 'Y_c', which holds an LSTM's cell state (Y_c)");
  }
  SECTION("LSTM inputs on a GRU node") {
    Graph g;
    auto* gru = g.graph->mutable_node(0);
    for (const char* input : {"", "", "", "axes1"}) gru->add_input(input);
    refused(g, "node 'gru0' (GRU): LSTM inputs on a GRU/RNN node");
  }
  SECTION("a Concat of the data stream") {
    Graph g;
    g.squeeze_to_s();
    auto& concat = g.node("Concat", "twice", {"s", "s"}, {"y"});
    Graph::set_int(concat, "axis", -1);
    refused(g, "node 'twice' (Concat): reads the data stream; grurt reads Concat only off it");
  }
}

TEST_CASE("The ONNX test graph converts as built", "[onnx]") {
  const SourceFile file = Graph().read();
  REQUIRE(file.declared->layers.size() == 1);
  CHECK(file.declared->input_size == 2);
}

TEST_CASE("An ONNX Gather of the last step after the recurrence converts and is noted in the report", "[onnx]") {
  Graph g;
  g.squeeze_to_s();
  auto* index = g.graph->add_initializer();  // a scalar index drops the sequence axis
  index->set_name("last");
  index->set_data_type(onnx::TensorProto::INT64);
  index->add_int64_data(-1);
  g.node("Gather", "last_step", {"s", "last"}, {"y"});
  const SourceFile file = g.read();
  REQUIRE(file.declared->assumptions.size() == 1);
  CHECK_THAT(file.declared->assumptions[0], Catch::Contains("grurt gives every step's output"));
}

TEST_CASE("ONNX state tensors the session state cannot stand for are refused with the reason", "[onnx][state_tensors]") {
  SECTION("a state input without a declared shape") {
    Graph g;
    g.input("h_in", {}, false);
    g.set_input(0, 5, "h_in");
    refused(g, "state input 'h_in': declares no shape; grurt needs it to tell which of its elements belong to which layer");
  }
  SECTION("two inputs that both reach a recurrent node's X") {
    Graph g;
    g.input("x2", {1, 1, 2});
    g.node("GRU", "gru_b", {"x2", "W", "R"}, {"Y_b"});
    refused(g, "graph: has 2 inputs ('x', 'x2'), of which 2 reach a recurrent node's X; grurt streams one data input");
  }
  SECTION("a state input of the wrong size for the layer") {
    Graph g;
    g.input("h_in", {2, 1, 3});
    g.set_input(0, 5, "h_in");
    refused(g, "node 'gru0' (GRU): initial_h 'h_in', taken from state input 'h_in', has shape [2, 1, 3]; expected 3 "
               "values (hidden_size): one layer's state for one stream");
  }
  SECTION("one state element starting two state vectors") {
    Graph g = lstm_graph();
    g.input("s_in", {1, 1, 3});
    g.set_input(0, 5, "s_in");
    g.set_input(0, 6, "s_in");
    refused(g, "state input 's_in': element 0 starts both layer 0 'lstm0' h unit 0 and layer 0 'lstm0' c unit 0");
  }
  SECTION("a state input that reaches no initial state") {
    Graph g;
    g.input("h_in", {1, 1, 3});
    g.node("Shape", "shape_of_state", {"h_in"}, {"unused"});
    refused(g, "state input 'h_in': reaches no recurrent node's initial_h or initial_c");
  }
  SECTION("an output that is neither the stream nor recurrent state") {
    Graph g;
    g.node("Shape", "shape_of_x", {"x"}, {"x_shape"});
    g.add_output("x_shape");
    refused(g, "output 'x_shape': is neither the data stream ('y') nor recurrent state (Y_h, Y_c or a Concat of them)");
  }
}

TEST_CASE("ONNX state tensors: one handed back, one not handed back and a Y_h read-out all convert",
          "[onnx][state_tensors]") {
  for (const bool fed : {true, false}) {
    for (const bool handed_back : {true, false}) {
      if (!fed && !handed_back) continue;
      Graph g;
      if (fed) {
        g.input("h_in", {1, 1, 3});
        g.set_input(0, 5, "h_in");
      }
      if (handed_back) {
        g.graph->mutable_node(0)->add_output("Y_h");
        g.add_output("Y_h");
      }
      const SourceFile file = g.read();
      const auto& tensors = file.declared->state_tensors;
      REQUIRE(tensors.size() == 1);
      CHECK(tensors[0].input == (fed ? "h_in" : ""));
      CHECK(tensors[0].output == (handed_back ? "Y_h" : ""));
      REQUIRE(tensors[0].runs.size() == 1);
      CHECK(tensors[0].runs[0].part == StatePart{0, 0});
      CHECK(tensors[0].runs[0].first == 0);
      CHECK(tensors[0].runs[0].stride == 1);
    }
  }
}

TEST_CASE("A non-zero constant initial state sliced per layer becomes the stored initial state", "[onnx][initial_state]") {
  Graph g;
  g.floats("h_all", {2, 1, 3});  // 0.01 * (i % 7): layer 1's part is elements 3..5
  g.ints("from", {1});
  g.ints("to", {2});
  g.ints("axis0", {0});
  g.node("Slice", "second_layer", {"h_all", "from", "to", "axis0"}, {"h1"});
  for (int i = g.graph->node_size() - 1; i > 0; --i) g.graph->mutable_node()->SwapElements(i, i - 1);  // first
  g.set_input(1, 5, "h1");
  const SourceFile file = g.read();
  const auto& initial = file.declared->layers.at(0).initial_state;
  REQUIRE(initial.size() == 1);
  REQUIRE(initial[0]);
  const SourceTensor& values = file.tensors.at(initial[0]->tensor);
  CHECK(values.values == std::vector<float>{0.01f * 3.0f, 0.01f * 4.0f, 0.01f * 5.0f});
}

TEST_CASE("ONNX graphs grurt cannot stream are refused with the node and the reason", "[onnx]") {
  SECTION("an operator set older than 7") {
    Graph g;
    g.model.mutable_opset_import(0)->set_version(6);
    refused(g, "operator set 6 is older than 7");
  }
  SECTION("weights computed from the input") {
    Graph g;
    g.graph->mutable_node(0)->set_input(1, "x");
    refused(g, "node 'gru0' (GRU): W 'x' must be an initializer or a Constant node's output");
  }
  SECTION("a W of the wrong shape") {
    Graph g;
    g.graph->mutable_initializer(0)->add_dims(1);
    refused(g, "node 'gru0' (GRU): W 'W' has shape [1, 9, 2, 1], expected 2 axes");
  }
  SECTION("a hidden_size that does not match W") {
    Graph g;
    g.graph->mutable_node(0)->mutable_attribute(0)->set_i(4);
    refused(g, "node 'gru0' (GRU): W has shape [9, 2] (direction axis dropped), expected [3*hidden_size, input_size] = [12, I]");
  }
  SECTION("sequence_lens") {
    Graph g;
    auto* gru = g.graph->mutable_node(0);
    gru->add_input("");
    gru->add_input("axes1");
    refused(g, "node 'gru0' (GRU): has sequence_lens");
  }
  SECTION("a Squeeze of the features") {
    Graph g;
    g.squeeze_to_s();
    g.ints("axes2", {2});
    g.node("Squeeze", "squeeze_features", {"s", "axes2"}, {"y"});
    refused(g, "node 'squeeze_features' (Squeeze): removes axis 2, which is not a unit axis");
  }
  SECTION("a Softmax over the sequence") {
    Graph g;
    g.squeeze_to_s();
    auto& softmax = g.node("Softmax", "softmax_steps", {"s"}, {"y"});
    Graph::set_int(softmax, "axis", 0);
    refused(g, "node 'softmax_steps' (Softmax): normalises over more than the features");
  }
  SECTION("a Reshape that changes the features") {
    Graph g;
    g.squeeze_to_s();
    g.ints("shape", {-1, 1});
    g.node("Reshape", "flatten", {"s", "shape"}, {"y"});
    refused(g, "node 'flatten' (Reshape): must keep the 3 features as its last axis, found 1");
  }
  SECTION("a graph that branches") {
    Graph g;
    g.squeeze_to_s();
    g.node("Relu", "left", {"s"}, {"a"});
    g.node("Tanh", "right", {"s"}, {"y"});
    refused(g, "node 'right' (Tanh): reads 's', which another node reads too");
  }
  SECTION("a second recurrence over the batch axis") {
    Graph g;
    g.squeeze_to_s();
    auto& transpose = g.node("Transpose", "swap", {"s"}, {"st"});
    auto* perm = transpose.add_attribute();
    perm->set_name("perm");
    perm->set_type(onnx::AttributeProto::INTS);
    for (const int p : {1, 0, 2}) perm->add_ints(p);
    g.floats("W1", {1, 9, 3});
    auto& gru1 = g.node("GRU", "gru1", {"st", "W1", "R"}, {"y"});
    Graph::set_int(gru1, "hidden_size", 3);
    refused(g, "node 'gru1' (GRU): runs over a different axis of the input than the recurrent node before it");
  }
  SECTION("a Slice of the steps before a recurrence") {
    Graph g;
    g.ints("starts", {-1});
    g.ints("ends", {1000});
    g.ints("axes0", {0});
    g.node("Slice", "last_step", {"x", "starts", "ends", "axes0"}, {"x_last"});
    g.graph->mutable_node(0)->set_input(0, "x_last");
    std::swap(*g.graph->mutable_node(0), *g.graph->mutable_node(2));  // Slice, Squeeze, GRU
    std::swap(*g.graph->mutable_node(1), *g.graph->mutable_node(2));  // Slice, GRU, Squeeze
    refused(g, "node 'gru0' (GRU): a Slice or Gather before it picks steps of the sequence it runs over");
  }
  SECTION("a graph whose output is not computed from its input") {
    Graph g;
    g.output("W");
    refused(g, "output 'W': does not come from the graph's input through the supported ops");
  }
  SECTION("a Constant node without a tensor") {
    Graph g;
    g.node("Constant", "empty_constant", {}, {"c"});
    refused(g, "node 'empty_constant' (Constant): only Constant nodes with a tensor 'value' are read");
  }
  SECTION("an element type grurt does not read") {
    Graph g;
    g.graph->mutable_initializer(1)->set_data_type(onnx::TensorProto::STRING);
    refused(g, "initializer 'R': has element type 8");
  }
  SECTION("raw data of the wrong length") {
    Graph g;
    auto* r = g.graph->mutable_initializer(1);
    r->clear_float_data();
    r->set_raw_data(std::string(10, '\0'));
    refused(g, "initializer 'R': raw_data has 10 bytes, expected 27 elements of 4 bytes");
  }
  SECTION("no graph") {
    onnx::ModelProto empty;
    const std::string bytes = empty.SerializeAsString();
    REQUIRE_THROWS_WITH(read_onnx(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()),
                        Catch::Contains("ONNX: the model has no graph"));
  }
}

TEST_CASE("The conversion check compares the written initial state with the source's before the first step",
          "[onnx][initial_state]") {
  const auto bytes = fixture("hand_lstm_initial_hc_peephole_i3_h4.onnx");
  const SourceFile file = read_source_file(bytes.data(), bytes.size());
  const SourceModel& source = *file.declared;
  CanonicalModel model = canonicalize(source, file.tensors);
  auto& lstm = std::get<LstmSpec>(model.layers.at(0).layer);
  REQUIRE(lstm.initial_state.size() == 8);  // h [4] then c [4]
  CHECK(check_conversion(source, file.tensors, write_model(model), 8).passed());

  lstm.initial_state[6] += 0.01f;  // c, unit 2
  const CheckReport wrong = check_conversion(source, file.tensors, write_model(model), 8);
  REQUIRE_FALSE(wrong.passed());
  CHECK_THAT(describe_mismatch(*wrong.mismatch, kDefaultCheckTolerance),
             Catch::StartsWith("the start (before step 1), initial state c of layer 0 'lstm0', unit 2: expected"));
}
