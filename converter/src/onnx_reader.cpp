// Walks an ONNX graph from its one input to its one output, turning the
// recurrent nodes (GRU, LSTM, RNN) and the head ops exporters emit around them into
// a declared SourceModel. Values carry axis labels so that ops which only move
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
#include "onnx_tensors.hpp"

namespace grurt::convert {
namespace {

using onnx_axes::axis_index;
using onnx_axes::Labels;
using onnx_axes::require_features_last;
using onnx_tensors::Constant;

struct Value {
  enum class Kind { kData, kSide } kind = Kind::kSide;
  Labels labels;        // kData
  int producer = -1;    // kData: the node (or -1, the graph input) it comes from
  bool zeros = false;   // kSide: known to be all zeros (a computed initial_h)
};

const std::set<std::string> kSupportedOps = {
    "GRU", "RNN", "LSTM", "Gemm", "MatMul", "Add", "Relu", "Tanh", "Sigmoid", "Softmax", "Squeeze", "Unsqueeze", "Reshape",
    "Transpose", "Slice", "Gather", "Identity", "Dropout", "Constant", "Shape", "Concat", "ConstantOfShape", "Expand",
    "Cast"};

// Ops that may compute side values (shapes, a zero initial_h) from constants
// and the input's shape; zeros pass through those that only move elements.
const std::set<std::string> kSideOps = {"Constant", "Shape", "Gather", "Concat", "ConstantOfShape", "Expand",
                                        "Unsqueeze", "Squeeze", "Reshape", "Slice", "Cast", "Identity", "Transpose"};

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
    read_input(graph);
    for (int i = 0; i < graph.node_size(); ++i) visit(graph.node(i), i);
    read_output(graph);
  }

  SourceModel model;

 private:
  const onnx::ModelProto& model_;
  SourceFile& file_;
  std::int64_t opset_ = 0;
  std::map<std::string, Constant> constants_;
  std::map<std::string, Value> values_;
  std::set<int> consumed_;         // producers whose data output a node has read
  std::set<std::string> cell_states_;  // LSTM Y_c outputs, which no node may read
  std::uint32_t width_ = 0;        // features of the data, 0 until known
  char seq_label_ = 0;             // which input axis is the sequence, once a recurrent node says
  std::string last_matmul_output_; // a MatMul's output, so an Add after it becomes its bias
  std::set<char> selected_;        // input axes a Slice or Gather picked elements of
  std::vector<std::int64_t> input_dims_;  // the graph input's declared axes (0: not fixed)

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

  static void check_ops(const onnx::GraphProto& graph) {
    std::vector<std::string> unsupported;
    for (int i = 0; i < graph.node_size(); ++i) {
      const auto& node = graph.node(i);
      const bool default_domain = node.domain().empty() || node.domain() == "ai.onnx";
      if (!default_domain || !kSupportedOps.count(node.op_type())) {
        unsupported.push_back(node_name(node, i) + (default_domain ? "" : " of domain '" + node.domain() + "'"));
      }
    }
    if (unsupported.empty()) return;
    std::vector<std::string> supported(kSupportedOps.begin(), kSupportedOps.end());
    fail("graph", "unsupported ops: " + join(unsupported) + "; grurt-convert reads " + join(supported));
  }

  void read_input(const onnx::GraphProto& graph) {
    std::vector<std::string> inputs;
    const onnx::ValueInfoProto* input = nullptr;
    for (const auto& info : graph.input()) {
      if (constants_.count(info.name())) continue;  // older exporters list initializers as inputs too
      inputs.push_back("'" + info.name() + "'");
      input = &info;
    }
    if (inputs.size() != 1) {
      fail("graph", "has " + std::to_string(inputs.size()) + " inputs (" + join(inputs) +
                        "); grurt streams one input tensor (state tensors as graph inputs, fed back by the caller, "
                        "are not supported yet)");
    }
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
    values_[input->name()] = {Value::Kind::kData, labels, -1, false};
  }

  // Y and Y_h of one recurrent node as the graph's outputs: at each step both
  // are that step's h, so the stream is Y (ONNX's node tests output both).
  bool y_and_y_h(const onnx::GraphProto& graph) {
    if (graph.output_size() != 2) return false;
    const Value* y = value(graph.output(0).name());
    const Value* y_h = value(graph.output(1).name());
    if (!y || !y_h || y->kind != Value::Kind::kData || y_h->kind != Value::Kind::kData || y->producer < 0 ||
        y->producer != y_h->producer) {
      return false;
    }
    const onnx::NodeProto& node = graph.node(y->producer);
    const bool recurrent = node.op_type() == "GRU" || node.op_type() == "RNN" || node.op_type() == "LSTM";
    if (!recurrent || node.output_size() < 2 || node.output(0) != graph.output(0).name() ||
        node.output(1) != graph.output(1).name()) {
      return false;
    }
    model.assumptions.push_back("the graph outputs Y and Y_h of " + node_name(node, y->producer) +
                                ": each step's h, streamed once (Y_h is the last step's)");
    return true;
  }

  void read_output(const onnx::GraphProto& graph) {
    if (graph.output_size() != 1 && !y_and_y_h(graph)) {
      std::vector<std::string> names;
      for (const auto& out : graph.output()) names.push_back("'" + out.name() + "'");
      fail("graph", "has " + std::to_string(graph.output_size()) + " outputs (" + join(names) +
                        "); grurt streams one output tensor (state tensors as graph outputs are not supported yet)");
    }
    const std::string& name = graph.output(0).name();
    refuse_cell_state(name, "output '" + name + "'");
    const auto found = values_.find(name);
    if (found == values_.end() || found->second.kind != Value::Kind::kData) {
      fail("output '" + name + "'", "does not come from the graph's input through the supported ops");
    }
    if (model.layers.empty()) fail("graph", "has no layers between its input and its output");
    model.input_size = input_width(model.layers.front());
  }

  // ---- values ----

  // An LSTM's Y_c read as data would make the written model output h where
  // the graph outputs c, and the check (which evaluates the same layers)
  // could not tell: refused wherever it is read.
  void refuse_cell_state(const std::string& name, const std::string& where) const {
    if (!cell_states_.count(name)) return;
    fail(where, "reads '" + name + "', an LSTM's cell state Y_c; grurt streams h (Y or Y_h) and keeps c inside the layer");
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
    if (!consumed_.insert(v->producer).second) {
      fail(where, "reads '" + name + "', which another node reads too: grurt maps a chain of layers, not a graph "
                  "that branches");
    }
    return *v;
  }

  void put_data(const std::string& name, const Labels& labels, int producer) {
    values_[name] = {Value::Kind::kData, labels, producer, false};
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
    for (const auto& input : node.input()) refuse_cell_state(input, where);
    const bool recurrent = op == "GRU" || op == "RNN" || op == "LSTM";
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
    if (op == "Add") return add(node, index, where);
    if (op == "Relu" || op == "Tanh" || op == "Sigmoid" || op == "Softmax") return activation(node, index, where);
    return pass_through(node, index, where);
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
    bool zeros = false;
    if (op == "ConstantOfShape") {
      const auto* a = attribute(node, "value");
      zeros = !a || onnx_tensors::decode(a->t(), where + " value").all_zero();
    } else if (op == "Concat") {
      zeros = node.input_size() > 0;
      for (const auto& in : node.input()) zeros = zeros && is_zero(in);
    } else if (op != "Shape" && node.input_size() > 0) {
      zeros = is_zero(node.input(0));  // Expand, Slice, Unsqueeze, ... only move the elements
    }
    for (const auto& out : node.output()) values_[out] = {Value::Kind::kSide, {}, -1, zeros};
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
  };

  // What GRU, RNN and LSTM share: direction, activations, clip, the initial state, X's axes.
  Recurrent recurrent_checks(const onnx::NodeProto& node, int index, const std::string& where,
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
      if (!constants_.count(state)) {
        fail(where, what + state + "' is neither zeros computed from the input's shape nor a constant" +
                        std::string(is_data(state) ? "" : " (state tensors as graph inputs are not supported yet)"));
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
      if (y) put_data(node.output(0), Labels{batch, seq, '1', 'F'}, index);
      if (y_h) put_data(node.output(1), Labels{batch, '1', 'F'}, index);
    } else {
      if (y) put_data(node.output(0), Labels{seq, '1', batch, 'F'}, index);
      if (y_h) put_data(node.output(1), Labels{'1', batch, 'F'}, index);
    }
    if (node.output_size() > 2 && !node.output(2).empty()) cell_states_.insert(node.output(2));
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
    Recurrent r = recurrent_checks(node, index, where, {"Sigmoid", "Tanh"}, {"Sigmoid", "Tanh"});
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
    Recurrent r = recurrent_checks(node, index, where, {"Tanh"}, {"Relu"});
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
    Recurrent r = recurrent_checks(node, index, where, {"Sigmoid", "Tanh", "Tanh"}, {"Sigmoid", "Tanh", "Tanh"});
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
    std::vector<std::optional<TensorSlice>>& initial = model.layers.back().initial_state;
    for (int k = 0; k < 2; ++k) {
      if (r.initial[k].empty()) continue;
      const std::string what = k == 0 ? "initial_h" : "initial_c";
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
    put_data(node.output(0), a.labels, index);
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
    put_data(node.output(0), a.labels, index);
    last_matmul_output_ = node.output(0);
    add_layer(node, index, std::move(dense));
  }

  // x @ W + b, the way exporters write a Linear on a 3-D tensor.
  void add(const onnx::NodeProto& node, int index, const std::string& where) {
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
    put_data(node.output(0), a.labels, index);
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
    put_data(node.output(0), x.labels, index);
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
  void pass_through(const onnx::NodeProto& node, int index, const std::string& where) {
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
      if (node.output_size() > 1) values_[node.output(1)] = {Value::Kind::kSide, {}, -1, false};
    }
    // Identity and (inference) Dropout change nothing.
    put_data(node.output(0), labels, index);
  }

  void slice(const onnx::NodeProto& node, const Labels& labels, const std::string& where) {
    std::vector<std::int64_t> starts, ends, list, steps;
    if (opset_ < 10) {
      if (const auto* a = attribute(node, "starts")) starts.assign(a->ints().begin(), a->ints().end());
      if (const auto* a = attribute(node, "ends")) ends.assign(a->ints().begin(), a->ints().end());
      if (const auto* a = attribute(node, "axes")) list.assign(a->ints().begin(), a->ints().end());
    } else {
      if (node.input_size() < 3) fail(where, "needs starts and ends");
      starts = ints(node.input(1), where, "starts");
      ends = ints(node.input(2), where, "ends");
      if (node.input_size() > 3 && !node.input(3).empty()) list = ints(node.input(3), where, "axes");
      if (node.input_size() > 4 && !node.input(4).empty()) steps = ints(node.input(4), where, "steps");
    }
    if (list.empty()) {
      for (std::size_t i = 0; i < starts.size(); ++i) list.push_back(static_cast<std::int64_t>(i));
    }
    if (starts.size() != list.size() || ends.size() != list.size() || (!steps.empty() && steps.size() != list.size())) {
      fail(where, "starts, ends, axes and steps differ in length");
    }
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
