// Walks an ONNX graph from its data input to its data output, turning the
// recurrent nodes (GRU, LSTM, RNN) and the head ops exporters emit around them into
// a declared SourceModel; state tensors the graph passes in and out go to
// onnx_state, which maps them to the session state. Values carry axis labels so that ops which only move
// the batch and sequence axes pass through while anything that would mix the
// features with them, or run the recurrence over the wrong axis, is refused.
#include "grurt_convert/onnx_reader.hpp"

#include <algorithm>
#include <climits>
#include <map>
#include <set>

#include <onnx/onnx_pb.h>

#include "grurt_convert/conversion_error.hpp"
#include "onnx_axes.hpp"
#include "onnx_state.hpp"
#include "onnx_tensors.hpp"

namespace grurt::convert {
namespace {

using onnx_axes::axis_index;
using onnx_axes::Labels;
using onnx_axes::require_features_last;
using onnx_tensors::Constant;

struct Value {
  // kStateIn: part of a state input on its way to an initial_h/initial_c;
  // kStateOut: recurrent state (Y_c, a Concat of Y_h) on its way to an output.
  enum class Kind { kData, kSide, kStateIn, kStateOut } kind = Kind::kSide;
  Labels labels;          // kData
  std::size_t depth = 0;  // kData: how many of the model's layers computed it
  bool zeros = false;     // kSide: known to be all zeros (a computed initial_h)
  std::string state_input;  // kStateIn: the graph input
  // kStateIn: which of state_input's elements it holds; Y_h (kData) and
  // kStateOut: which layer state units (onnx_state::state_of).
  onnx_state::View view;
};

bool holds_state(const Value& v) { return v.kind != Value::Kind::kStateIn && !v.view.elements.empty(); }

bool is_recurrent(const onnx::NodeProto& node) {
  return node.op_type() == "GRU" || node.op_type() == "RNN" || node.op_type() == "LSTM";
}

const std::set<std::string> kSupportedOps = {
    "GRU", "RNN", "LSTM", "Gemm", "MatMul", "Add", "Relu", "Tanh", "Sigmoid", "Softmax", "Squeeze", "Unsqueeze", "Reshape",
    "Transpose", "Slice", "Gather", "Identity", "Dropout", "Constant", "Shape", "Concat", "ConstantOfShape", "Expand",
    "Cast", "Mul", "Equal", "Where"};

// Ops that may compute side values (shapes, a zero initial_h) from constants
// and the input's shape; zeros pass through those that only move elements.
// Mul, Equal and Where appear in PyTorch's shape arithmetic for expand(-1, ...).
const std::set<std::string> kSideOps = {"Constant", "Shape", "Gather", "Concat", "ConstantOfShape", "Expand",
                                        "Unsqueeze", "Squeeze", "Reshape", "Slice", "Cast", "Identity", "Transpose",
                                        "Mul", "Equal", "Where"};

// Ops that only move elements: followed on state tensors and folded on constants.
const std::set<std::string> kMoveOps = {"Identity", "Squeeze", "Unsqueeze", "Reshape", "Transpose", "Slice", "Gather",
                                        "Concat"};

std::string node_name(const onnx::NodeProto& node, int index) {
  return "node '" + (node.name().empty() ? "#" + std::to_string(index) : node.name()) + "' (" + node.op_type() + ")";
}

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

class GraphWalk {
 public:
  GraphWalk(const onnx::ModelProto& model, SourceFile& file) : model_(model), file_(file) {}

  void run() {
    read_opset();
    const onnx::GraphProto& graph = model_.graph();
    check_ops(graph);
    for (int i = 0; i < graph.initializer_size(); ++i) {
      const auto& init = graph.initializer(i);
      constants_[init.name()] = onnx_tensors::decode(init, "initializer '" + init.name() + "'");
    }
    read_inputs(graph);
    for (int i = 0; i < graph.node_size(); ++i) visit(graph.node(i), i);
    read_outputs(graph);
  }

  SourceModel model;

 private:
  const onnx::ModelProto& model_;
  SourceFile& file_;
  std::int64_t opset_ = 0;
  std::map<std::string, Constant> constants_;
  std::map<std::string, Value> values_;
  std::set<std::string> consumed_;  // data values a node has read
  std::vector<onnx_state::Input> state_inputs_;
  std::vector<onnx_state::Read> state_reads_;
  std::uint32_t width_ = 0;        // features of the data, 0 until known
  char seq_label_ = 0;             // which input axis is the sequence, once a recurrent node says
  std::string last_matmul_output_; // a MatMul's output, so an Add after it becomes its bias
  std::set<char> selected_;        // input axes a Slice or Gather picked elements of
  std::vector<std::int64_t> input_dims_;  // the graph input's declared axes (0: not fixed)
  std::int64_t moved_ = 0;         // elements folds and followed views have made so far

  // Each fold or followed view stays under kMaxElements, but a chain of them
  // (Expand to 2^22, then Identity after Identity) must not make the walk
  // slow or huge either: all of them together stay under four times that
  // (a found hostile file made 2 GB with 60 Identity nodes).
  void spend(std::int64_t elements, const std::string& where) {
    moved_ += elements;
    if (moved_ > 4 * onnx_state::kMaxElements) {
      fail(where, "moves more than " + std::to_string(4 * onnx_state::kMaxElements) +
                      " elements of constants and state tensors in all");
    }
  }

  [[noreturn]] static void fail(const std::string& where, const std::string& why) {
    throw ConversionError(where + ": " + why);
  }

  void read_opset() {
    for (const auto& entry : model_.opset_import()) {
      if (entry.domain().empty() || entry.domain() == "ai.onnx") opset_ = entry.version();
    }
    if (opset_ == 0) fail("model", "imports no version of the default ONNX operator set");
    if (opset_ < 7) fail("model", "operator set " + std::to_string(opset_) + " is older than 7, the oldest grurt reads");
  }

  // Recurrent nodes inside the subgraphs (If, Loop, Scan bodies) of `graph`'s nodes.
  static int nested_recurrent_nodes(const onnx::GraphProto& graph, int depth = 0) {
    int found = 0;
    for (const auto& node : graph.node()) {
      for (const auto& a : node.attribute()) {
        std::vector<const onnx::GraphProto*> bodies;
        if (a.has_g()) bodies.push_back(&a.g());
        for (const auto& g : a.graphs()) bodies.push_back(&g);
        for (const auto* body : bodies) {
          for (const auto& inner : body->node()) found += is_recurrent(inner);
          if (depth < 8) found += nested_recurrent_nodes(*body, depth + 1);
        }
      }
    }
    return found;
  }

  // Refuses every op outside kSupportedOps at once: each op type once, with
  // how many nodes use it and the first few names (real models have hundreds).
  static void check_ops(const onnx::GraphProto& graph) {
    std::vector<std::string> order;
    std::map<std::string, std::vector<std::string>> nodes;  // op (and domain) -> node names
    int recurrent = 0;
    for (int i = 0; i < graph.node_size(); ++i) {
      const auto& node = graph.node(i);
      recurrent += is_recurrent(node);
      const bool default_domain = node.domain().empty() || node.domain() == "ai.onnx";
      if (default_domain && kSupportedOps.count(node.op_type())) continue;
      const std::string op = node.op_type() + (default_domain ? "" : " of domain '" + node.domain() + "'");
      if (!nodes.count(op)) order.push_back(op);
      nodes[op].push_back("'" + (node.name().empty() ? "#" + std::to_string(i) : node.name()) + "'");
    }
    if (order.empty()) return;
    std::vector<std::string> listed;
    for (const std::string& op : order) {
      const auto& names = nodes[op];
      std::vector<std::string> first(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(3, names.size())));
      listed.push_back(op + " (" + (names.size() == 1 ? "node " : std::to_string(names.size()) + " nodes: ") + join(first) +
                       (names.size() > 3 ? ", ..." : "") + ")");
    }
    std::string hint;
    if (recurrent == 0) {
      const int nested = nested_recurrent_nodes(graph);
      hint = nested ? "; its " + std::to_string(nested) + " GRU/LSTM/RNN nodes are inside subgraphs (If, Loop, Scan), "
                      "which grurt does not enter"
                    : "; the graph has no GRU, LSTM or RNN node (a recurrence unrolled into MatMul and "
                      "element-wise ops is not recognised)";
    }
    std::vector<std::string> supported(kSupportedOps.begin(), kSupportedOps.end());
    fail("graph", "unsupported ops: " + join(listed) + hint + "; grurt-convert reads " + join(supported));
  }

  // Whether `name` reaches a recurrent node's X, through any ops but not
  // through another recurrent node's initial state.
  static bool reaches_recurrent_x(const onnx::GraphProto& graph, const std::string& name) {
    std::set<std::string> reached = {name};
    for (const auto& node : graph.node()) {
      bool hit = false;
      for (int i = 0; i < node.input_size(); ++i) {
        if (!reached.count(node.input(i))) continue;
        if (is_recurrent(node) && i == 0) return true;
        hit = hit || !is_recurrent(node);
      }
      if (hit) reached.insert(node.output().begin(), node.output().end());
    }
    return false;
  }

  // One input is the data stream (the one a recurrent node's X reads, when
  // there are several); any others are state tensors the caller feeds.
  void read_inputs(const onnx::GraphProto& graph) {
    std::vector<const onnx::ValueInfoProto*> inputs, streams;
    std::vector<std::string> names;
    std::set<std::string> seen;
    for (const auto& info : graph.input()) {
      if (constants_.count(info.name())) continue;  // older exporters list initializers as inputs too
      if (!seen.insert(info.name()).second) fail("graph", "lists input '" + info.name() + "' twice");
      inputs.push_back(&info);
      names.push_back("'" + info.name() + "'");
      if (reaches_recurrent_x(graph, info.name())) streams.push_back(&info);
    }
    if (inputs.size() == 1) streams = inputs;
    if (streams.size() != 1) {
      fail("graph", "has " + std::to_string(inputs.size()) + " inputs (" + join(names) + "), of which " +
                        std::to_string(streams.size()) + " reach a recurrent node's X; grurt streams one data "
                        "input and maps the others to recurrent state (initial_h, initial_c)");
    }
    for (const auto* info : inputs) {
      if (info == streams[0]) read_stream_input(*info);
      else read_state_input(*info);
    }
  }

  void read_state_input(const onnx::ValueInfoProto& input) {
    const std::string where = "state input '" + input.name() + "'";
    if (!input.type().tensor_type().has_shape()) {
      fail(where, "declares no shape; grurt needs it to tell which of its elements belong to which layer");
    }
    std::vector<std::int64_t> dims;
    const auto& shape = input.type().tensor_type().shape();
    for (int a = 0; a < shape.dim_size(); ++a) {
      const auto& dim = shape.dim(a);
      if (!dim.has_dim_value()) {
        model.assumptions.push_back(where + ": axis " + std::to_string(a) + " ('" + dim.dim_param() +
                                    "') has no fixed size, taken as 1 (one stream)");
      }
      dims.push_back(dim.has_dim_value() ? dim.dim_value() : 1);
    }
    Value v;
    v.kind = Value::Kind::kStateIn;
    v.state_input = input.name();
    v.view = onnx_state::whole(dims, where);
    values_[input.name()] = v;
    state_inputs_.push_back({input.name(), dims});
  }

  void read_stream_input(const onnx::ValueInfoProto& info) {
    const onnx::ValueInfoProto* input = &info;
    Labels labels = "abF";
    if (input->type().tensor_type().has_shape()) {
      const auto& shape = input->type().tensor_type().shape();
      for (const auto& dim : shape.dim()) input_dims_.push_back(dim.has_dim_value() ? dim.dim_value() : 0);
      if (shape.dim_size() == 2) labels = "aF";
      else if (shape.dim_size() != 3) {
        fail("input '" + input->name() + "'", "has " + std::to_string(shape.dim_size()) +
                                                  " axes; expected [sequence, batch, features] or [sequence, features]");
      }
      const auto& last = shape.dim(shape.dim_size() - 1);
      if (last.has_dim_value()) {
        if (last.dim_value() <= 0 || last.dim_value() > 1 << 20) {
          fail("input '" + input->name() + "'", "has " + std::to_string(last.dim_value()) + " features");
        }
        width_ = static_cast<std::uint32_t>(last.dim_value());
      }
    }
    put_data(input->name(), labels, 0);
  }

  // One output is the data stream (Y when Y_h of the same node is output
  // too); the others must be recurrent state, which the session keeps.
  void read_outputs(const onnx::GraphProto& graph) {
    if (graph.output_size() == 0) fail("graph", "has no output");
    std::vector<int> data, plain;
    for (int i = 0; i < graph.output_size(); ++i) {
      const Value* v = value(graph.output(i).name());
      if (!v || v->kind != Value::Kind::kData) continue;
      data.push_back(i);
      if (!holds_state(*v)) plain.push_back(i);
    }
    int stream = graph.output_size() == 1 ? 0 : plain.size() == 1 ? plain[0] : data.size() == 1 ? data[0] : -1;
    if (stream < 0) {
      std::vector<std::string> names;
      for (const int i : plain.empty() ? data : plain) names.push_back("'" + graph.output(i).name() + "'");
      fail("graph", names.empty() ? "no output comes from the graph's input through the supported ops"
                                  : "outputs " + join(names) + " all come from the data stream; grurt streams one "
                                    "output tensor (other outputs may be recurrent state: Y_h, Y_c or a Concat of them)");
    }
    const std::string& name = graph.output(stream).name();
    refuse_cell_state(name, "output '" + name + "'");
    if (!is_data(name)) fail("output '" + name + "'", "does not come from the graph's input through the supported ops");
    if (model.layers.empty()) fail("graph", "has no layers between its input and its output");
    if (value(name)->depth != model.layers.size()) {
      fail("output '" + name + "'", "is computed by " + std::to_string(value(name)->depth) + " of the " +
                                        std::to_string(model.layers.size()) + " layers the graph's nodes make; the "
                                        "others lie on a branch that does not reach it");
    }
    model.input_size = input_width(model.layers.front());

    std::vector<onnx_state::Output> states;
    for (int i = 0; i < graph.output_size(); ++i) {
      if (i == stream) continue;
      const std::string& other = graph.output(i).name();
      const Value* v = value(other);
      if (!v || !holds_state(*v)) {
        fail("output '" + other + "'", "is neither the data stream ('" + name + "') nor recurrent state (Y_h, Y_c or "
                                       "a Concat of them); grurt streams one output tensor");
      }
      states.push_back({other, v->view});
    }
    model.state_tensors = onnx_state::pair(state_inputs_, state_reads_, states, [this](const StatePart& p) {
      return "layer " + std::to_string(p.layer) + " '" + model.layers[p.layer].name + "' " + (p.vector ? "c" : "h");
    });
  }

  // ---- values ----

  // An LSTM's Y_c read as data would make the written model output h where
  // the graph outputs c, and the check (which evaluates the same layers)
  // could not tell: refused wherever it is read, except on its way to a state output.
  void refuse_cell_state(const std::string& name, const std::string& where) const {
    const Value* v = value(name);
    if (!v || !holds_state(*v) || !onnx_state::holds_cell_state(v->view)) return;
    fail(where, "reads '" + name + "', which holds an LSTM's cell state (Y_c); grurt streams h (Y or Y_h) and keeps c "
                "inside the layer");
  }

  const Value* value(const std::string& name) const {
    const auto found = values_.find(name);
    return found == values_.end() ? nullptr : &found->second;
  }
  bool is_data(const std::string& name) const {
    const Value* v = value(name);
    return v && v->kind == Value::Kind::kData;
  }
  bool is_zero(const std::string& name) const {
    if (const Value* v = value(name)) return v->kind == Value::Kind::kSide && v->zeros;
    const auto c = constants_.find(name);
    return c != constants_.end() && c->second.all_zero();
  }

  const Constant& constant(const std::string& name, const std::string& where, const std::string& what) const {
    const auto found = constants_.find(name);
    if (found == constants_.end()) {
      fail(where, what + " '" + name + "' must be an initializer or a Constant node's output" +
                      (is_data(name) ? ", not computed from the graph's input" : ""));
    }
    return found->second;
  }

  std::vector<std::int64_t> ints(const std::string& name, const std::string& where, const std::string& what) const {
    const Constant& c = constant(name, where, what);
    if (c.tensor.is_float) fail(where, what + " '" + name + "' must hold integers");
    return c.ints;
  }

  // Puts a float constant into the file's tensors with leading 1s dropped to
  // `rank` axes (ONNX keeps a direction axis in front of recurrent weights),
  // and returns its shape there.
  std::vector<std::int64_t> use_tensor(const std::string& name, std::size_t rank, const std::string& where,
                                       const std::string& what) {
    const Constant& c = constant(name, where, what);
    if (!c.tensor.is_float) fail(where, what + " '" + name + "' holds integers (" + c.tensor.dtype + "), not weights");
    SourceTensor tensor = c.tensor;
    while (tensor.shape.size() > rank && tensor.shape.front() == 1) tensor.shape.erase(tensor.shape.begin());
    if (tensor.shape.size() != rank) {
      fail(where, what + " '" + name + "' has shape " + c.tensor.shape_text() + ", expected " +
                      std::to_string(rank) + " axes");
    }
    const auto existing = file_.tensors.find(name);
    if (existing != file_.tensors.end() && existing->second.shape != tensor.shape) {
      fail(where, what + " '" + name + "' is used with two different shapes");
    }
    file_.tensors[name] = tensor;
    return tensor.shape;
  }

  // The data value a node reads, once: a second reader would be a branch.
  const Value& take_data(const onnx::NodeProto& node, int input, const std::string& where) {
    const std::string& name = node.input(input);
    const Value* v = value(name);
    if (!v || v->kind != Value::Kind::kData) fail(where, "input '" + name + "' is not the data stream");
    if (!consumed_.insert(name).second) {
      fail(where, "reads '" + name + "', which another node reads too: grurt maps a chain of layers, not a graph "
                  "that branches");
    }
    return *v;
  }

  static Value side_value(bool zeros) {
    Value v;
    v.zeros = zeros;
    return v;
  }

  void put_data(const std::string& name, const Labels& labels, std::size_t depth) {
    Value v;
    v.kind = Value::Kind::kData;
    v.labels = labels;
    v.depth = depth;
    values_[name] = std::move(v);
  }

  // ---- attributes ----

  static const onnx::AttributeProto* attribute(const onnx::NodeProto& node, const std::string& name) {
    for (const auto& a : node.attribute()) {
      if (a.name() == name) return &a;
    }
    return nullptr;
  }
  static std::int64_t int_attribute(const onnx::NodeProto& node, const std::string& name, std::int64_t fallback) {
    const auto* a = attribute(node, name);
    return a ? a->i() : fallback;
  }
  static float float_attribute(const onnx::NodeProto& node, const std::string& name, float fallback) {
    const auto* a = attribute(node, name);
    return a ? a->f() : fallback;
  }

  // Axes from an attribute (older opsets) or from the given input (newer).
  std::vector<std::int64_t> axes(const onnx::NodeProto& node, int input, const std::string& where) const {
    if (const auto* a = attribute(node, "axes")) return {a->ints().begin(), a->ints().end()};
    if (node.input_size() > input && !node.input(input).empty()) return ints(node.input(input), where, "axes");
    return {};
  }

  void set_width(std::uint32_t input, std::uint32_t output, const std::string& where) {
    if (width_ != 0 && width_ != input) {
      fail(where, "reads " + std::to_string(input) + " features but its input has " + std::to_string(width_));
    }
    width_ = output;
  }

  // ---- nodes ----

  void visit(const onnx::NodeProto& node, int index) {
    const std::string where = node_name(node, index);
    const std::string& op = node.op_type();
    const bool recurrent = is_recurrent(node);
    if (op != "Shape" && !recurrent && reads_state_input(node)) return follow_state_input(node, where);
    if (moves_state(node)) return follow_state_output(node, where);
    for (const auto& input : node.input()) refuse_cell_state(input, where);
    bool reads_data = false;
    for (int i = 0; i < node.input_size(); ++i) {
      if (recurrent && i > 0) break;  // only X is the stream; initial_h is checked on its own
      if (is_data(node.input(i))) reads_data = true;
    }
    if (op == "Shape" || !reads_data) return side(node, where);
    // A recurrent node may leave Y out and give only Y_h (ONNX's node tests do).
    const bool only_y_h = recurrent && node.output_size() > 1 && !node.output(1).empty();
    if (node.output_size() < 1 || (node.output(0).empty() && !only_y_h)) fail(where, "has no output");
    if (op == "GRU") return gru(node, index, where);
    if (op == "RNN") return rnn(node, index, where);
    if (op == "LSTM") return lstm(node, index, where);
    if (op == "Gemm") return gemm(node, index, where);
    if (op == "MatMul") return matmul(node, index, where);
    if (op == "Add") return add(node, where);
    if (op == "Relu" || op == "Tanh" || op == "Sigmoid" || op == "Softmax") return activation(node, index, where);
    return pass_through(node, where);
  }

  // ---- state tensors and constants moved by Slice, Gather, Squeeze, ... ----

  struct SliceSpec {
    std::vector<std::int64_t> starts, ends, axes, steps;
  };

  SliceSpec slice_spec(const onnx::NodeProto& node, const std::string& where) const {
    SliceSpec spec;
    if (opset_ < 10) {
      if (const auto* a = attribute(node, "starts")) spec.starts.assign(a->ints().begin(), a->ints().end());
      if (const auto* a = attribute(node, "ends")) spec.ends.assign(a->ints().begin(), a->ints().end());
      if (const auto* a = attribute(node, "axes")) spec.axes.assign(a->ints().begin(), a->ints().end());
    } else {
      if (node.input_size() < 3) fail(where, "needs starts and ends");
      spec.starts = ints(node.input(1), where, "starts");
      spec.ends = ints(node.input(2), where, "ends");
      if (node.input_size() > 3 && !node.input(3).empty()) spec.axes = ints(node.input(3), where, "axes");
      if (node.input_size() > 4 && !node.input(4).empty()) spec.steps = ints(node.input(4), where, "steps");
    }
    if (spec.axes.empty()) {
      for (std::size_t i = 0; i < spec.starts.size(); ++i) spec.axes.push_back(static_cast<std::int64_t>(i));
    }
    if (spec.starts.size() != spec.axes.size() || spec.ends.size() != spec.axes.size() ||
        (!spec.steps.empty() && spec.steps.size() != spec.axes.size())) {
      fail(where, "starts, ends, axes and steps differ in length");
    }
    return spec;
  }

  // What a kMoveOps node makes of the elements of its inputs' views.
  onnx_state::View moved(const onnx::NodeProto& node, const std::vector<onnx_state::View>& in,
                         const std::string& where) const {
    const std::string& op = node.op_type();
    if (op == "Concat") {
      if (!attribute(node, "axis")) fail(where, "has no axis");
      return onnx_state::concat(in, int_attribute(node, "axis", 0), where);
    }
    const onnx_state::View& x = in.at(0);
    if (op == "Squeeze") return onnx_state::squeeze(x, axes(node, 1, where), where);
    if (op == "Unsqueeze") return onnx_state::unsqueeze(x, axes(node, 1, where), where);
    if (op == "Reshape") {
      if (node.input_size() < 2) fail(where, "needs a shape");
      return onnx_state::reshape(x, ints(node.input(1), where, "shape"), where);
    }
    if (op == "Transpose") {
      std::vector<std::int64_t> perm;
      if (const auto* a = attribute(node, "perm")) perm.assign(a->ints().begin(), a->ints().end());
      return onnx_state::transpose(x, perm, where);
    }
    if (op == "Slice") {
      const SliceSpec spec = slice_spec(node, where);
      return onnx_state::slice(x, spec.starts, spec.ends, spec.axes, spec.steps, where);
    }
    if (op == "Gather") {
      if (node.input_size() < 2) fail(where, "needs indices");
      const Constant& indices = constant(node.input(1), where, "indices");
      if (indices.tensor.is_float) fail(where, "indices '" + node.input(1) + "' must hold integers");
      return onnx_state::gather(x, int_attribute(node, "axis", 0), indices.ints, indices.tensor.shape, where);
    }
    return x;  // Identity (and an inference Dropout)
  }

  bool reads_state_input(const onnx::NodeProto& node) const {
    return std::any_of(node.input().begin(), node.input().end(), [this](const std::string& name) {
      const Value* v = value(name);
      return v && v->kind == Value::Kind::kStateIn;
    });
  }

  // Part of a state input on its way to a recurrent node's initial_h or initial_c.
  void follow_state_input(const onnx::NodeProto& node, const std::string& where) {
    const Value* x = value(node.input(0));
    const bool moves = kMoveOps.count(node.op_type()) && node.op_type() != "Concat" && node.output_size() == 1;
    if (!moves || !x || x->kind != Value::Kind::kStateIn) {
      std::string name;
      for (const auto& in : node.input()) {
        if (value(in) && value(in)->kind == Value::Kind::kStateIn) name = value(in)->state_input;
      }
      fail(where, "reads state input '" + name + "'; grurt follows a state input only through Slice, Gather, Squeeze, "
                  "Unsqueeze, Reshape, Transpose and Identity (as its first input) to recurrent nodes' initial_h and "
                  "initial_c");
    }
    Value out = *x;
    out.view = moved(node, {x->view}, where);
    spend(static_cast<std::int64_t>(out.view.elements.size()), where);
    values_[node.output(0)] = std::move(out);
  }

  // Recurrent state (Y_h, Y_c, a Concat of them) on its way to a graph output.
  bool moves_state(const onnx::NodeProto& node) const {
    if (!kMoveOps.count(node.op_type()) || node.input_size() == 0 || node.output_size() != 1) return false;
    if (node.op_type() != "Concat") {
      const Value* x = value(node.input(0));
      return x && x->kind == Value::Kind::kStateOut;
    }
    return std::all_of(node.input().begin(), node.input().end(), [this](const std::string& name) {
      const Value* v = value(name);
      return v && holds_state(*v);
    });
  }

  void follow_state_output(const onnx::NodeProto& node, const std::string& where) {
    std::vector<onnx_state::View> in;
    const int count = node.op_type() == "Concat" ? node.input_size() : 1;
    for (int i = 0; i < count; ++i) in.push_back(value(node.input(i))->view);
    Value out;
    out.kind = Value::Kind::kStateOut;
    out.view = moved(node, in, where);
    spend(static_cast<std::int64_t>(out.view.elements.size()), where);
    values_[node.output(0)] = std::move(out);
  }

  // A kMoveOps node whose inputs are all constants gives a constant (a
  // trained initial state sliced per layer, a shape put together): false
  // when it is not such a node or cannot be followed.
  bool fold_constant(const onnx::NodeProto& node, const std::string& where) {
    const std::string& op = node.op_type();
    if (op == "Expand") return fold_expand(node, where);
    if (!kMoveOps.count(op) || node.input_size() == 0 || node.output_size() != 1) return false;
    const int count = op == "Concat" ? node.input_size() : 1;
    std::vector<onnx_state::View> views;
    std::vector<float> floats;
    std::vector<std::int64_t> ints;
    const Constant* first = nullptr;
    for (int i = 0; i < count; ++i) {
      const auto c = constants_.find(node.input(i));
      if (c == constants_.end() || (first && c->second.tensor.is_float != first->tensor.is_float)) return false;
      first = first ? first : &c->second;
      if (onnx_state::count(c->second.tensor.shape) > onnx_state::kMaxElements ||
          onnx_state::count(c->second.tensor.shape) <= 0) {
        return false;  // an empty or huge constant: left to whatever reads it
      }
      views.push_back(onnx_state::whole(c->second.tensor.shape, where));
      const std::int64_t base = static_cast<std::int64_t>(floats.size() + ints.size());
      for (auto& e : views.back().elements) e += base;
      floats.insert(floats.end(), c->second.tensor.values.begin(), c->second.tensor.values.end());
      ints.insert(ints.end(), c->second.ints.begin(), c->second.ints.end());
    }
    onnx_state::View out;
    try {
      out = moved(node, views, where);
    } catch (const ConversionError&) {
      return false;  // e.g. indices computed from the input's shape: not a constant after all
    }
    spend(static_cast<std::int64_t>(out.elements.size()), where);
    constants_[node.output(0)] = picked(*first, floats, ints, out);
    return true;
  }

  // The elements `view` lists, from `floats` or `ints` as `like` holds.
  static Constant picked(const Constant& like, const std::vector<float>& floats, const std::vector<std::int64_t>& ints,
                         const onnx_state::View& view) {
    Constant c;
    c.tensor.shape = view.dims;
    c.tensor.dtype = like.tensor.dtype;
    c.tensor.is_float = like.tensor.is_float;
    for (const std::int64_t e : view.elements) {
      if (c.tensor.is_float) c.tensor.values.push_back(floats.at(static_cast<std::size_t>(e)));
      else c.ints.push_back(ints.at(static_cast<std::size_t>(e)));
    }
    return c;
  }

  // Expand of a constant: broadcast exactly to a constant shape; to a shape
  // computed from the input's (a trained h0 expanded over the batch, as
  // PyTorch exports it) it stays the constant, one stream being batch 1. A
  // wrong guess cannot pass: an initial state must have hidden_size values.
  bool fold_expand(const onnx::NodeProto& node, const std::string& where) {
    const auto c = constants_.find(node.input(0));
    if (node.input_size() < 2 || node.output_size() != 1 || c == constants_.end()) return false;
    const Constant source = c->second;
    const auto shape = constants_.find(node.input(1));
    if (shape == constants_.end() || shape->second.tensor.is_float) {
      if (!source.tensor.is_float) return false;  // shape arithmetic: left unknown
      if (!source.all_zero()) {
        model.assumptions.push_back(where + " expands constant '" + node.input(0) + "' " + source.tensor.shape_text() +
                                    " to a shape computed from the input's; for one stream (batch 1) it is that constant");
      }
      spend(onnx_state::count(source.tensor.shape), where);
      constants_[node.output(0)] = source;
      return true;
    }
    const std::int64_t n = onnx_state::count(source.tensor.shape);
    if (n <= 0 || n > onnx_state::kMaxElements) return false;
    onnx_state::View out;
    try {
      out = onnx_state::expand(onnx_state::whole(source.tensor.shape, where), shape->second.ints, where);
    } catch (const ConversionError&) {
      return false;
    }
    spend(static_cast<std::int64_t>(out.elements.size()), where);
    constants_[node.output(0)] = picked(source, source.tensor.values, source.ints, out);
    return true;
  }

  // A node that does not read the stream: a Constant, or shape arithmetic
  // whose result only matters if it is a zero initial state.
  void side(const onnx::NodeProto& node, const std::string& where) {
    const std::string& op = node.op_type();
    if (!kSideOps.count(op)) {
      fail(where, "computes from constants alone; grurt reads weights from initializers and Constant nodes only");
    }
    if (op == "Constant") {
      const auto* a = attribute(node, "value");
      if (!a || !a->has_t()) fail(where, "only Constant nodes with a tensor 'value' are read");
      if (node.output_size() != 1) fail(where, "must have one output");
      constants_[node.output(0)] = onnx_tensors::decode(a->t(), where + " value");
      return;
    }
    if (fold_constant(node, where)) return;
    bool zeros = false;
    if (op == "ConstantOfShape") {
      const auto* a = attribute(node, "value");
      zeros = !a || onnx_tensors::decode(a->t(), where + " value").all_zero();
    } else if (op == "Concat") {
      zeros = node.input_size() > 0;
      for (const auto& in : node.input()) zeros = zeros && is_zero(in);
    } else if (op != "Shape" && node.input_size() > 0) {
      // Expand, Slice, Unsqueeze, ... only move the elements; Mul, Equal, Where compute.
      zeros = op != "Mul" && op != "Equal" && op != "Where" && is_zero(node.input(0));
    }
    for (const auto& out : node.output()) values_[out] = side_value(zeros);
  }

  // A sequence_lens changes nothing when it is a constant giving every batch
  // item the input's whole declared sequence (ONNX's node tests write one);
  // anything else would stop a batch item early, which a stream never does.
  void full_sequence_lens(const std::string& name, char seq, const std::string& where) {
    const std::string what = "sequence_lens '" + name + "'";
    if (!constants_.count(name)) {
      fail(where, "has " + what + ", not a constant; grurt streams one step at a time and takes no sequence lengths");
    }
    const std::vector<std::int64_t> lens = ints(name, where, "sequence_lens");
    const std::size_t axis = seq == 'a' ? 0 : 1;
    const std::int64_t steps = axis < input_dims_.size() ? input_dims_[axis] : 0;
    const std::string whole = std::to_string(steps) + (steps == 1 ? " step" : " steps");
    if (steps <= 0) {
      fail(where, "has " + what + " but the input's sequence axis has no fixed length, so it is not known to be "
                  "the full sequence; grurt streams one step at a time and takes no sequence lengths");
    }
    for (const std::int64_t n : lens) {
      if (n != steps) {
        fail(where, what + " holds " + std::to_string(n) + ", not the input's " + whole +
                        "; grurt streams one step at a time and cannot end a batch item early");
      }
    }
    model.assumptions.push_back(where + ": " + what + " gives every batch item the input's " + whole +
                                ", so it changes nothing and is ignored");
  }

  struct Recurrent {
    std::uint32_t hidden = 0, input = 0;
    std::int64_t layout = 0;
    std::string initial[2];  // non-zero constant initial_h, initial_c ("" for zeros or absent)
    std::optional<Value> from_input[2];  // initial_h, initial_c taken from a state input
  };

  // What GRU, RNN and LSTM share: direction, activations, clip, the initial state, X's axes.
  Recurrent recurrent_checks(const onnx::NodeProto& node, const std::string& where,
                             const std::vector<std::string>& default_activations,
                             const std::vector<std::string>& accepted_activations) {
    for (const auto& a : node.attribute()) {
      static const std::set<std::string> known = {"activation_alpha", "activation_beta", "activations", "clip",
                                                  "direction", "hidden_size", "layout", "linear_before_reset",
                                                  "input_forget"};
      if (!known.count(a.name())) fail(where, "unknown attribute '" + a.name() + "'");
    }
    if (const auto* a = attribute(node, "direction")) {
      if (a->s() == "bidirectional") {
        fail(where, "is bidirectional: its backward direction reads the sequence from the end, which a stream "
                    "fed one step at a time never has, so it cannot be streamed");
      }
      if (a->s() == "reverse") fail(where, "runs in reverse direction (from the last step back), which cannot be streamed");
      if (a->s() != "forward") fail(where, "unknown direction '" + a->s() + "'");
    }
    if (attribute(node, "clip")) fail(where, "has 'clip' (cell clipping), which grurt does not implement");
    if (attribute(node, "activation_alpha") || attribute(node, "activation_beta")) {
      fail(where, "has activation_alpha/activation_beta; only the default activations are supported");
    }
    if (const auto* a = attribute(node, "activations")) {
      std::vector<std::string> names(a->strings().begin(), a->strings().end());
      if (names != default_activations && names != accepted_activations) {
        fail(where, "has activations [" + join(names) + "]; supported: [" + join(default_activations) + "]" +
                        (accepted_activations != default_activations ? " or [" + join(accepted_activations) + "]" : ""));
      }
    }
    const bool lstm = node.op_type() == "LSTM";
    Recurrent r;
    // initial_h (input 5) and, for an LSTM, initial_c (input 6): zeros, or a
    // constant the written file stores as the layer's initial state.
    for (int i = 5; i <= (lstm ? 6 : 5); ++i) {
      if (node.input_size() <= i || node.input(i).empty() || is_zero(node.input(i))) continue;
      const std::string& state = node.input(i);
      const std::string what = i == 5 ? "initial_h '" : "initial_c '";
      const Value* v = value(state);
      if (v && v->kind == Value::Kind::kStateIn) {
        r.from_input[i - 5] = *v;
        continue;
      }
      if (!constants_.count(state)) {
        fail(where, what + state + "' is neither zeros computed from the input's shape, nor a constant, nor taken " +
                        "from a graph input (a state tensor the caller feeds)" +
                        (is_data(state) ? ": it is computed from the data stream" : ""));
      }
      r.initial[i - 5] = state;
    }
    if (!lstm && node.input_size() > 6 && !node.input(6).empty()) fail(where, "LSTM inputs on a GRU/RNN node");
    if (lstm && int_attribute(node, "input_forget", 0) != 0) {
      fail(where, "has input_forget = 1 (coupled input and forget gates), which grurt does not implement");
    }
    if (node.input_size() < 3) fail(where, "needs inputs X, W and R");

    r.layout = opset_ >= 14 ? int_attribute(node, "layout", 0) : 0;
    if (r.layout != 0 && r.layout != 1) fail(where, "layout " + std::to_string(r.layout) + "; expected 0 or 1");
    const Value& x = take_data(node, 0, where);
    if (x.labels.size() != 3 || x.labels[2] != 'F') {
      fail(where, "X has axes '" + x.labels + "'; expected " +
                      (r.layout ? "[batch, sequence, features]" : "[sequence, batch, features]") +
                      " (a for the input's first axis, b its second, 1 a unit axis, m merged by a Reshape, F features)");
    }
    const char seq = x.labels[r.layout ? 1 : 0];
    const char batch = x.labels[r.layout ? 0 : 1];
    if (seq != 'a' && seq != 'b') {
      fail(where, "its sequence axis (" + std::string(r.layout ? "second" : "first") +
                      ") is not one of the graph input's sequence or batch axes (labels '" + x.labels + "')");
    }
    if (node.input_size() > 4 && !node.input(4).empty()) full_sequence_lens(node.input(4), seq, where);
    if (seq_label_ == 0) seq_label_ = seq;
    if (seq != seq_label_) fail(where, "runs over a different axis of the input than the recurrent node before it");
    // Picking steps before a recurrence changes what it runs over; a stream has every step.
    if (selected_.count(seq)) {
      fail(where, "a Slice or Gather before it picks steps of the sequence it runs over, which a stream fed one "
                  "step at a time cannot do");
    }
    // Outputs Y and Y_h (one step of h) are the stream; an LSTM's Y_c is its
    // cell state, which stays inside the layer (reading it is refused).
    const bool y = !node.output(0).empty(), y_h = node.output_size() > 1 && !node.output(1).empty();
    if (r.layout) {
      if (y) put_data(node.output(0), Labels{batch, seq, '1', 'F'}, x.depth + 1);
      if (y_h) put_data(node.output(1), Labels{batch, '1', 'F'}, x.depth + 1);
    } else {
      if (y) put_data(node.output(0), Labels{seq, '1', batch, 'F'}, x.depth + 1);
      if (y_h) put_data(node.output(1), Labels{'1', batch, 'F'}, x.depth + 1);
    }
    return r;
  }

  // Shapes of W [gates*H, I], R [gates*H, H], B [2*gates*H] after dropping the direction axis.
  void weight_shapes(const onnx::NodeProto& node, const std::string& where, std::uint32_t gates, Recurrent& r,
                     bool& has_bias) {
    const auto w = use_tensor(node.input(1), 2, where, "W");
    const auto rr = use_tensor(node.input(2), 2, where, "R");
    const std::int64_t hidden = int_attribute(node, "hidden_size", rr[1]);
    if (hidden <= 0 || hidden > 1 << 16) fail(where, "hidden_size " + std::to_string(hidden) + " is out of range");
    if (w[0] != gates * hidden || w[1] <= 0) {
      fail(where, "W has shape " + file_.tensors[node.input(1)].shape_text() + " (direction axis dropped), expected [" +
                      std::to_string(gates) + "*hidden_size, input_size] = [" + std::to_string(gates * hidden) + ", I]");
    }
    if (rr[0] != gates * hidden || rr[1] != hidden) {
      fail(where, "R has shape " + file_.tensors[node.input(2)].shape_text() + " (direction axis dropped), expected [" +
                      std::to_string(gates * hidden) + ", " + std::to_string(hidden) + "]");
    }
    has_bias = node.input_size() > 3 && !node.input(3).empty();
    if (has_bias) {
      const auto b = use_tensor(node.input(3), 1, where, "B");
      if (b[0] != 2 * gates * hidden) {
        fail(where, "B has shape " + file_.tensors[node.input(3)].shape_text() + " (direction axis dropped), expected [" +
                        std::to_string(2 * gates * hidden) + "]");
      }
    }
    r.hidden = static_cast<std::uint32_t>(hidden);
    r.input = static_cast<std::uint32_t>(w[1]);
    set_width(r.input, r.hidden, where);
  }

  static TensorSlice rows(const std::string& tensor, std::uint32_t row, std::uint32_t count, std::uint32_t cols) {
    return TensorSlice{tensor, row, count, 0, cols, false};
  }

  // Gate g of `layer` (W, R, bW, bR slices) from ONNX's gate block order[g];
  // B holds the N gate blocks of Wb, then those of Rb.
  template <std::size_t N, typename Layer>
  static void gate_rows(const onnx::NodeProto& node, const std::uint32_t (&order)[N], const Recurrent& r,
                        bool has_bias, Layer& layer) {
    const std::uint32_t H = r.hidden;
    for (std::size_t g = 0; g < N; ++g) {
      layer.w[g] = rows(node.input(1), order[g] * H, H, r.input);
      layer.r[g] = rows(node.input(2), order[g] * H, H, H);
      if (has_bias) {
        layer.bias_w[g] = rows(node.input(3), order[g] * H, H, 1);
        layer.bias_r[g] = rows(node.input(3), static_cast<std::uint32_t>(N) * H + order[g] * H, H, 1);
      }
    }
  }

  void gru(const onnx::NodeProto& node, int index, const std::string& where) {
    Recurrent r = recurrent_checks(node, where, {"Sigmoid", "Tanh"}, {"Sigmoid", "Tanh"});
    bool has_bias = false;
    weight_shapes(node, where, 3, r, has_bias);
    SourceGru gru;
    gru.input_size = r.input;
    gru.hidden_size = r.hidden;
    gru.reset_after = int_attribute(node, "linear_before_reset", 0) != 0;
    gru.update_keeps_state = true;  // ONNX: H = (1 - z) * h~ + z * H_prev
    // ONNX stacks the gates z, r, h; grurt's order is r, z, n.
    gate_rows(node, {1, 0, 2}, r, has_bias, gru);
    add_recurrent(node, index, where, r, std::move(gru));
  }

  void rnn(const onnx::NodeProto& node, int index, const std::string& where) {
    Recurrent r = recurrent_checks(node, where, {"Tanh"}, {"Relu"});
    bool has_bias = false;
    weight_shapes(node, where, 1, r, has_bias);
    SourceRnn rnn;
    rnn.input_size = r.input;
    rnn.hidden_size = r.hidden;
    const auto* a = attribute(node, "activations");
    rnn.activation = a && a->strings_size() == 1 && a->strings(0) == "Relu" ? Activation::kRelu : Activation::kTanh;
    rnn.w = rows(node.input(1), 0, r.hidden, r.input);
    rnn.r = rows(node.input(2), 0, r.hidden, r.hidden);
    if (has_bias) {
      rnn.bias_w = rows(node.input(3), 0, r.hidden, 1);
      rnn.bias_r = rows(node.input(3), r.hidden, r.hidden, 1);
    }
    add_recurrent(node, index, where, r, std::move(rnn));
  }

  // ONNX stacks the LSTM's gates i, o, f, c and its peepholes i, o, f;
  // grurt's order is i, f, g (= c), o and p_i, p_f, p_o.
  void lstm(const onnx::NodeProto& node, int index, const std::string& where) {
    Recurrent r = recurrent_checks(node, where, {"Sigmoid", "Tanh", "Tanh"}, {"Sigmoid", "Tanh", "Tanh"});
    bool has_bias = false;
    weight_shapes(node, where, 4, r, has_bias);
    SourceLstm lstm;
    lstm.input_size = r.input;
    lstm.hidden_size = r.hidden;
    const std::uint32_t H = r.hidden;
    gate_rows(node, {0, 2, 3, 1}, r, has_bias, lstm);
    if (node.input_size() > 7 && !node.input(7).empty()) {
      const auto p = use_tensor(node.input(7), 1, where, "P");
      if (p[0] != 3 * std::int64_t{H}) {
        fail(where, "P has shape " + file_.tensors[node.input(7)].shape_text() + " (direction axis dropped), expected [" +
                        std::to_string(3 * H) + "] (3*hidden_size: peepholes i, o, f)");
      }
      const std::uint32_t onnx_peephole[3] = {0, 2, 1};
      for (int k = 0; k < 3; ++k) lstm.peephole[k] = rows(node.input(7), onnx_peephole[k] * H, H, 1);
    }
    add_recurrent(node, index, where, r, std::move(lstm));
  }

  template <typename Layer>
  void add_layer(const onnx::NodeProto& node, int index, Layer layer) {
    const std::string name = node.name().empty() ? node.op_type() + std::to_string(index) : node.name();
    model.layers.push_back({name, std::move(layer)});
  }

  // A recurrent layer with its stored initial state (initial_h, and an
  // LSTM's initial_c), each [num_directions = 1, batch = 1, H] in ONNX.
  template <typename Layer>
  void add_recurrent(const onnx::NodeProto& node, int index, const std::string& where, const Recurrent& r,
                     Layer layer) {
    add_layer(node, index, std::move(layer));
    const std::size_t at = model.layers.size() - 1;
    // Y_h and Y_c: this layer's state, should the graph hand it out.
    if (node.output_size() > 1 && !node.output(1).empty()) values_[node.output(1)].view = onnx_state::state_of({at, 0}, r.hidden);
    if (node.output_size() > 2 && !node.output(2).empty()) {
      Value c;
      c.kind = Value::Kind::kStateOut;
      c.view = onnx_state::state_of({at, 1}, r.hidden);
      values_[node.output(2)] = c;
    }
    std::vector<std::optional<TensorSlice>>& initial = model.layers.back().initial_state;
    for (int k = 0; k < 2; ++k) {
      const std::string what = k == 0 ? "initial_h" : "initial_c";
      if (const std::optional<Value>& v = r.from_input[k]) {
        if (onnx_state::count(v->view.dims) != r.hidden) {
          fail(where, what + " '" + node.input(5 + k) + "', taken from state input '" + v->state_input + "', has shape " +
                          onnx_state::shape_text(v->view.dims) + "; expected " + std::to_string(r.hidden) +
                          " values (hidden_size): one layer's state for one stream");
        }
        state_reads_.push_back({v->state_input, v->view.elements, {at, k}});
      }
      if (r.initial[k].empty()) continue;
      const Constant& c = constant(r.initial[k], where, what);
      std::int64_t vectors = 1;
      for (std::size_t a = 0; a + 1 < c.tensor.shape.size(); ++a) vectors *= c.tensor.shape[a];
      if (vectors != 1) {
        fail(where, what + " '" + r.initial[k] + "' has shape " + c.tensor.shape_text() +
                        ": one initial state per batch item; grurt stores one per layer, so it must be [1, 1, " +
                        std::to_string(r.hidden) + "]");
      }
      const auto shape = use_tensor(r.initial[k], 1, where, what);
      if (shape[0] != r.hidden) {
        fail(where, what + " '" + r.initial[k] + "' has " + std::to_string(shape[0]) + " values, expected hidden_size " +
                        std::to_string(r.hidden));
      }
      initial.resize(node.op_type() == "LSTM" ? 2 : 1);
      initial[k] = rows(r.initial[k], 0, r.hidden, 1);
    }
  }

  // The bias of a dense layer: [O] or [1, O].
  std::optional<TensorSlice> dense_bias(const std::string& name, std::uint32_t outputs, const std::string& where) {
    const auto shape = use_tensor(name, 1, where, "bias");
    if (shape[0] != outputs) {
      fail(where, "bias '" + name + "' has " + std::to_string(shape[0]) + " values, expected " + std::to_string(outputs) +
                      " (one per output; broadcasting other shapes is not supported)");
    }
    return rows(name, 0, outputs, 1);
  }

  void gemm(const onnx::NodeProto& node, int index, const std::string& where) {
    if (node.input_size() < 2) fail(where, "needs inputs A and B");
    if (int_attribute(node, "transA", 0) != 0) fail(where, "transA = 1 would mix the features with the other axes");
    if (float_attribute(node, "alpha", 1.0f) != 1.0f || float_attribute(node, "beta", 1.0f) != 1.0f) {
      fail(where, "alpha and beta other than 1 are not supported");
    }
    const Value& a = take_data(node, 0, where);
    require_features_last(a.labels, where, "of A");
    const bool trans_b = int_attribute(node, "transB", 0) != 0;
    const auto b = use_tensor(node.input(1), 2, where, "B");
    SourceDense dense;
    dense.input_size = static_cast<std::uint32_t>(trans_b ? b[1] : b[0]);
    dense.output_size = static_cast<std::uint32_t>(trans_b ? b[0] : b[1]);
    if (dense.input_size == 0 || dense.output_size == 0) fail(where, "B is empty");
    // grurt wants [O x I]: B as stored with transB = 1, its transpose otherwise.
    dense.weight = TensorSlice{node.input(1), 0, static_cast<std::uint32_t>(b[0]), 0, static_cast<std::uint32_t>(b[1]),
                               !trans_b};
    if (node.input_size() > 2 && !node.input(2).empty()) dense.bias = dense_bias(node.input(2), dense.output_size, where);
    set_width(dense.input_size, dense.output_size, where);
    put_data(node.output(0), a.labels, a.depth + 1);
    add_layer(node, index, std::move(dense));
  }

  void matmul(const onnx::NodeProto& node, int index, const std::string& where) {
    if (node.input_size() != 2) fail(where, "needs two inputs");
    if (!is_data(node.input(0))) fail(where, "the data must be its first input (x @ W)");
    const Value& a = take_data(node, 0, where);
    require_features_last(a.labels, where, "of its first input");
    const auto b = use_tensor(node.input(1), 2, where, "the weight");
    SourceDense dense;
    dense.input_size = static_cast<std::uint32_t>(b[0]);
    dense.output_size = static_cast<std::uint32_t>(b[1]);
    if (dense.input_size == 0 || dense.output_size == 0) fail(where, "the weight is empty");
    dense.weight = TensorSlice{node.input(1), 0, dense.input_size, 0, dense.output_size, true};
    set_width(dense.input_size, dense.output_size, where);
    put_data(node.output(0), a.labels, a.depth + 1);
    last_matmul_output_ = node.output(0);
    add_layer(node, index, std::move(dense));
  }

  // x @ W + b, the way exporters write a Linear on a 3-D tensor.
  void add(const onnx::NodeProto& node, const std::string& where) {
    if (node.input_size() != 2) fail(where, "needs two inputs");
    const int data = is_data(node.input(0)) ? 0 : 1;
    if (is_data(node.input(1 - data))) fail(where, "adds two values computed from the input (a residual connection?)");
    if (node.input(data) != last_matmul_output_ || model.layers.empty()) {
      fail(where, "an Add is read only as the bias right after a MatMul");
    }
    const Value& a = take_data(node, data, where);
    auto* dense_layer = std::get_if<SourceDense>(&model.layers.back().layer);
    if (!dense_layer) fail(where, "an Add is read only as the bias right after a MatMul");
    SourceDense& dense = *dense_layer;
    if (dense.bias) fail(where, "the MatMul before it already has a bias");
    dense.bias = dense_bias(node.input(1 - data), dense.output_size, where);
    put_data(node.output(0), a.labels, a.depth);
    last_matmul_output_.clear();
  }

  void activation(const onnx::NodeProto& node, int index, const std::string& where) {
    const Value& x = take_data(node, 0, where);
    const std::string& op = node.op_type();
    if (width_ == 0) fail(where, "the number of features before it is not known");
    Activation kind = op == "Relu" ? Activation::kRelu : op == "Tanh" ? Activation::kTanh : Activation::kSigmoid;
    if (op == "Softmax") {
      kind = Activation::kSoftmax;
      // Opset 13 normalises over one axis (default -1); older opsets over all
      // axes from `axis` (default 1) on: only features and unit axes may be in it.
      const std::size_t from = axis_index(int_attribute(node, "axis", opset_ >= 13 ? -1 : 1), x.labels.size(), where);
      const std::size_t to = opset_ >= 13 ? from + 1 : x.labels.size();
      for (std::size_t i = from; i < to; ++i) {
        if (x.labels[i] != 'F' && x.labels[i] != '1') fail(where, "normalises over more than the features");
      }
      if (x.labels.find('F') < from || x.labels.find('F') >= to) fail(where, "does not normalise over the features");
    }
    put_data(node.output(0), x.labels, x.depth + 1);
    add_layer(node, index, ActivationSpec{width_, kind});
  }

  // A Slice or Gather picked elements along an axis labelled `label`: fine for
  // the batch; along the sequence only after the last recurrent node.
  void note_selection(char label, const std::string& where) {
    if (label == '1') return;
    selected_.insert(label);
    if (label != seq_label_) return;
    model.assumptions.push_back(where + " selects along the sequence axis: grurt gives every step's output, "
                                        "the caller picks the steps it wants");
  }

  // Ops that only move, add or drop the batch and sequence axes.
  void pass_through(const onnx::NodeProto& node, const std::string& where) {
    const std::string& op = node.op_type();
    static const std::set<std::string> kPassThrough = {"Squeeze", "Unsqueeze", "Transpose", "Reshape",
                                                       "Slice",   "Gather",    "Identity",  "Dropout"};
    if (!kPassThrough.count(op)) {
      fail(where, "reads the data stream; grurt reads " + op + " only off it (weights and shape arithmetic)");
    }
    if (!is_data(node.input(0))) fail(where, "the data must be its first input");
    const Value& x = take_data(node, 0, where);
    Labels labels = x.labels;
    if (op == "Squeeze") {
      labels = onnx_axes::squeeze(labels, axes(node, 1, where), seq_label_, where);
    } else if (op == "Unsqueeze") {
      labels = onnx_axes::unsqueeze(labels, axes(node, 1, where), where);
    } else if (op == "Transpose") {
      std::vector<std::int64_t> perm;
      if (const auto* a = attribute(node, "perm")) perm.assign(a->ints().begin(), a->ints().end());
      labels = onnx_axes::transpose(labels, perm, where);
    } else if (op == "Reshape") {
      if (node.input_size() < 2) fail(where, "needs a shape");
      labels = onnx_axes::reshape(labels, ints(node.input(1), where, "shape"), width_, where);
    } else if (op == "Slice") {
      slice(node, labels, where);
    } else if (op == "Gather") {
      const std::size_t axis = axis_index(int_attribute(node, "axis", 0), labels.size(), where);
      if (node.input_size() < 2) fail(where, "needs indices");
      const Constant& indices = constant(node.input(1), where, "indices");
      if (labels[axis] == 'F') fail(where, "picks features, which would change the layer widths");
      note_selection(labels[axis], where);
      if (indices.tensor.shape.empty()) labels.erase(axis, 1);  // a scalar index drops the axis
      else if (indices.tensor.shape.size() > 1 || indices.tensor.shape[0] != 1) {
        fail(where, "gathers more than one index along a batch or sequence axis");
      }
    } else if (op == "Dropout") {
      if (node.output_size() > 1) values_[node.output(1)] = side_value(false);
    }
    // Identity and (inference) Dropout change nothing.
    put_data(node.output(0), labels, x.depth);
    // Y_h reshaped on its way to a state output stays that layer's state;
    // picking parts of it makes plain data.
    if (holds_state(x) && op != "Slice" && op != "Gather") values_[node.output(0)].view = moved(node, {x.view}, where);
  }

  void slice(const onnx::NodeProto& node, const Labels& labels, const std::string& where) {
    const SliceSpec spec = slice_spec(node, where);
    const auto& list = spec.axes;
    const auto& starts = spec.starts;
    const auto& ends = spec.ends;
    const auto& steps = spec.steps;
    for (std::size_t k = 0; k < list.size(); ++k) {
      const std::size_t axis = axis_index(list[k], labels.size(), where);
      if (labels[axis] == 'F') {
        const bool whole = (starts[k] == 0 || starts[k] <= -static_cast<std::int64_t>(width_)) &&
                           ends[k] >= static_cast<std::int64_t>(width_) && (steps.empty() || steps[k] == 1);
        if (!whole || width_ == 0) fail(where, "slices the features, which would change the layer widths");
      } else {
        note_selection(labels[axis], where);
      }
    }
  }
};

}  // namespace

bool looks_like_onnx(const std::uint8_t* bytes, std::size_t size) {
  if (size == 0 || size > static_cast<std::size_t>(INT_MAX)) return false;
  onnx::ModelProto model;
  return model.ParseFromArray(bytes, static_cast<int>(size)) && model.has_graph() && model.graph().node_size() > 0;
}

SourceFile read_onnx(const std::uint8_t* bytes, std::size_t size) {
  if (size > static_cast<std::size_t>(INT_MAX)) throw ConversionError("ONNX: the file is larger than 2 GB");
  onnx::ModelProto proto;
  if (!proto.ParseFromArray(bytes, static_cast<int>(size))) {
    throw ConversionError("ONNX: not a readable ModelProto (the protobuf data is broken or truncated)");
  }
  if (!proto.has_graph()) throw ConversionError("ONNX: the model has no graph");
  SourceFile file{"ONNX", {}, std::nullopt, {}};
  GraphWalk walk(proto, file);
  try {
    walk.run();
  } catch (const ConversionError& e) {
    throw ConversionError(std::string("ONNX ") + e.what());
  }
  walk.model.layout = "onnx";
  file.declared = std::move(walk.model);
  return file;
}

}  // namespace grurt::convert
