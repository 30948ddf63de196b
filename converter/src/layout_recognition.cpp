#include "grurt_convert/layout_recognition.hpp"

#include <algorithm>
#include <set>

#include "grurt_convert/conversion_error.hpp"

namespace grurt::convert {
namespace {

bool ends_with(const std::string& text, const std::string& tail) {
  return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

std::string dims(std::initializer_list<std::int64_t> values) {
  std::string text = "[";
  for (auto it = values.begin(); it != values.end(); ++it) text += (it == values.begin() ? "" : ", ") + std::to_string(*it);
  return text + "]";
}

// Shape checks with messages that name the tensor, the expected formula and both shapes.
class Shapes {
 public:
  explicit Shapes(const TensorMap& tensors) : tensors_(tensors) {}

  bool has(const std::string& name) const { return tensors_.count(name) != 0; }

  const SourceTensor& get(const std::string& name) const {
    const auto found = tensors_.find(name);
    if (found == tensors_.end()) throw ConversionError("tensor '" + name + "' is missing");
    if (!found->second.is_float) {
      throw ConversionError("tensor '" + name + "' has dtype " + found->second.dtype + "; weights must be floating point");
    }
    return found->second;
  }

  // A 2-D tensor of any size; returns its shape.
  std::pair<std::uint32_t, std::uint32_t> matrix(const std::string& name, const std::string& formula) const {
    const SourceTensor& t = get(name);
    if (t.shape.size() != 2 || t.shape[0] <= 0 || t.shape[1] <= 0) {
      throw ConversionError("tensor '" + name + "' has shape " + t.shape_text() + ", expected a matrix " + formula);
    }
    return {static_cast<std::uint32_t>(t.shape[0]), static_cast<std::uint32_t>(t.shape[1])};
  }

  void expect(const std::string& name, const std::vector<std::int64_t>& shape, const std::string& formula) const {
    std::string expected = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) expected += (i ? ", " : "") + std::to_string(shape[i]);
    expected = formula + " = " + expected + "]";
    if (!has(name)) throw ConversionError("tensor '" + name + "' is missing; expected " + expected);
    const SourceTensor& t = get(name);
    if (t.shape != shape) {
      throw ConversionError("tensor '" + name + "' has shape " + t.shape_text() + ", expected " + expected);
    }
  }

  // A bias that may be absent; when present it must be [n].
  std::optional<TensorSlice> optional_vector(const std::string& name, std::uint32_t n, std::uint32_t row,
                                             std::uint32_t rows, const std::string& formula) const {
    if (!has(name)) return std::nullopt;
    expect(name, {n}, formula);
    return TensorSlice{name, row, rows, 0, 1};
  }

 private:
  const TensorMap& tensors_;
};

// The three gate row blocks of a [3H x cols] matrix in r, z, n order.
std::array<TensorSlice, 3> gate_rows(const std::string& name, std::uint32_t H, std::uint32_t cols) {
  return {TensorSlice{name, 0, H, 0, cols}, TensorSlice{name, H, H, 0, cols}, TensorSlice{name, 2 * H, H, 0, cols}};
}

std::array<std::optional<TensorSlice>, 3> gate_bias_rows(const Shapes& shapes, const std::string& name,
                                                          std::uint32_t H, const std::string& formula) {
  std::array<std::optional<TensorSlice>, 3> out;
  for (std::uint32_t g = 0; g < 3; ++g) out[g] = shapes.optional_vector(name, 3 * H, g * H, H, formula);
  return out;
}

// Layers whose W is stacked [3H, I] in r, z, n order: nn.GRU, nn.GRUCell, chunked cell.
// `names(k)` gives layer k's (W, R, bW, bR) names; stops at the first missing W.
template <typename Names>
std::vector<SourceLayer> stacked_gate_layers(const Shapes& shapes, Names names, bool single) {
  std::vector<SourceLayer> layers;
  std::uint32_t previous = 0;
  for (std::uint32_t k = 0; single ? k < 1 : shapes.has(names(k)[0]); ++k) {
    const auto n = names(k);
    const auto [rows, I] = shapes.matrix(n[0], "[3*H, I]");
    if (rows % 3 != 0) throw ConversionError("tensor '" + n[0] + "' has " + std::to_string(rows) + " rows, not a multiple of 3 (3*H)");
    const std::uint32_t H = rows / 3;
    if (k > 0 && I != previous) {
      throw ConversionError("tensor '" + n[0] + "' has shape " + dims({rows, I}) + ", expected [3*H, H of layer " +
                            std::to_string(k - 1) + "] = " + dims({rows, previous}));
    }
    shapes.expect(n[1], {3 * H, H}, "[3*H, H]");
    SourceGru gru;
    gru.input_size = I;
    gru.hidden_size = H;
    gru.w = gate_rows(n[0], H, I);
    gru.r = gate_rows(n[1], H, H);
    gru.bias_w = gate_bias_rows(shapes, n[2], H, "[3*H]");
    gru.bias_r = gate_bias_rows(shapes, n[3], H, "[3*H]");
    layers.push_back({"gru" + std::to_string(k), gru});
    previous = H;
  }
  return layers;
}

std::vector<SourceLayer> concat_cell(const Shapes& shapes, const std::string& p) {
  const char* gates[3] = {"reset_gate", "update_gate", "hidden_transform"};
  const auto [H, width] = shapes.matrix(p + "reset_gate.weight", "[H, I+H]");
  if (width <= H) {
    throw ConversionError("tensor '" + p + "reset_gate.weight' has shape " + dims({H, width}) +
                          ", expected [H, I+H] with I >= 1");
  }
  SourceGru gru;
  gru.hidden_size = H;
  gru.input_size = width - H;
  gru.reset_after = false;          // n = tanh(L([x, r * h]))
  gru.update_keeps_state = false;   // h' = (1 - z) * h + z * n
  for (int g = 0; g < 3; ++g) {
    const std::string weight = p + gates[g] + ".weight";
    shapes.expect(weight, {H, width}, "[H, I+H]");
    gru.w[g] = {weight, 0, H, 0, gru.input_size};  // columns of x
    gru.r[g] = {weight, 0, H, gru.input_size, H};  // columns of h (or r * h)
    gru.bias_w[g] = shapes.optional_vector(p + gates[g] + ".bias", H, 0, H, "[H]");
  }
  return {{"gru0", gru}};
}

std::vector<SourceLayer> per_gate_cell(const Shapes& shapes, const std::string& p) {
  const char* input_names[3] = {"linear_reset_w1", "linear_reset_w2", "linear_gate_w3"};
  const char* hidden_names[3] = {"linear_reset_r1", "linear_reset_r2", "linear_gate_r3"};
  const auto [H, I] = shapes.matrix(p + "linear_reset_w1.weight", "[H, I]");
  SourceGru gru;
  gru.input_size = I;
  gru.hidden_size = H;
  for (int g = 0; g < 3; ++g) {
    shapes.expect(p + input_names[g] + ".weight", {H, I}, "[H, I]");
    shapes.expect(p + hidden_names[g] + ".weight", {H, H}, "[H, H]");
    gru.w[g] = {p + input_names[g] + ".weight", 0, H, 0, I};
    gru.r[g] = {p + hidden_names[g] + ".weight", 0, H, 0, H};
    gru.bias_w[g] = shapes.optional_vector(p + input_names[g] + ".bias", H, 0, H, "[H]");
    gru.bias_r[g] = shapes.optional_vector(p + hidden_names[g] + ".bias", H, 0, H, "[H]");
  }
  return {{"gru0", gru}};
}

struct Candidate {
  std::string layout;
  std::string prefix;
};

std::vector<Candidate> find_candidates(const TensorMap& tensors) {
  std::set<std::pair<std::string, std::string>> found;
  for (const auto& entry : tensors) {
    const std::string& name = entry.first;  // (C++17 lambdas cannot capture a structured binding)
    auto strip = [&name](const std::string& tail) { return name.substr(0, name.size() - tail.size()); };
    if (ends_with(name, "weight_ih_l0")) found.insert({"gru", strip("weight_ih_l0")});
    if (ends_with(name, "weight_ih") && tensors.count(strip("weight_ih") + "weight_hh")) {
      found.insert({"grucell", strip("weight_ih")});
    }
    if (ends_with(name, "rnn_cell_list.0.input.weight")) found.insert({"chunked-cell", strip("rnn_cell_list.0.input.weight")});
    if (ends_with(name, "reset_gate.weight")) found.insert({"concat-cell", strip("reset_gate.weight")});
    if (ends_with(name, "linear_reset_w1.weight")) found.insert({"per-gate-cell", strip("linear_reset_w1.weight")});
  }
  std::vector<Candidate> candidates;
  for (const auto& [layout, prefix] : found) candidates.push_back({layout, prefix});
  return candidates;
}

std::string list_tensors(const TensorMap& tensors, const std::set<std::string>& skip = {}) {
  std::string text;
  int shown = 0;
  for (const auto& [name, tensor] : tensors) {
    if (skip.count(name)) continue;
    if (shown++ == 24) {
      text += "\n  ...";
      break;
    }
    text += "\n  " + name + " " + tensor.shape_text() + " " + tensor.dtype;
  }
  return text;
}

std::vector<SourceLayer> gru_layers(const Shapes& shapes, const Candidate& c) {
  const std::string& p = c.prefix;
  if (c.layout == "gru") {
    if (shapes.has(p + "weight_ih_l0_reverse")) {
      throw ConversionError("'" + p + "' is a bidirectional nn.GRU; streaming runs forward only, so it cannot be converted");
    }
    return stacked_gate_layers(shapes, [&p](std::uint32_t k) {
      const std::string s = "_l" + std::to_string(k);
      return std::array<std::string, 4>{p + "weight_ih" + s, p + "weight_hh" + s, p + "bias_ih" + s, p + "bias_hh" + s};
    }, false);
  }
  if (c.layout == "grucell") {
    return stacked_gate_layers(shapes, [&p](std::uint32_t) {
      return std::array<std::string, 4>{p + "weight_ih", p + "weight_hh", p + "bias_ih", p + "bias_hh"};
    }, true);
  }
  if (c.layout == "chunked-cell") {
    return stacked_gate_layers(shapes, [&p](std::uint32_t k) {
      const std::string cell = p + "rnn_cell_list." + std::to_string(k) + ".";
      return std::array<std::string, 4>{cell + "input.weight", cell + "hidden.weight", cell + "input.bias",
                                        cell + "hidden.bias"};
    }, false);
  }
  if (c.layout == "concat-cell") return concat_cell(shapes, p);
  return per_gate_cell(shapes, p);
}

// The optional nn.Linear head reading the last hidden state.
void add_head(const Shapes& shapes, const TensorMap& tensors, const RecognitionOptions& options,
              std::set<std::string>& used, SourceModel& model) {
  const std::uint32_t H = std::get<SourceGru>(model.layers.back().layer).hidden_size;
  std::vector<std::string> modules;
  if (options.head != "auto" && options.head != "none") {
    modules.push_back(options.head + ".");
    shapes.matrix(options.head + ".weight", "[O, H]");
  } else if (options.head == "auto") {
    for (const auto& [name, tensor] : tensors) {
      if (!used.count(name) && ends_with(name, "weight") && tensor.shape.size() == 2 && tensor.shape[1] == H) {
        modules.push_back(name.substr(0, name.size() - 6));  // keeps the trailing '.'
      }
    }
  }
  if (model.head_reads_tanh) model.layers.push_back({"tanh", ActivationSpec{H, Activation::kTanh}});
  if (modules.empty()) return;
  if (modules.size() > 1) {
    std::string list;
    for (const auto& m : modules) list += "\n  " + m + "weight";
    throw ConversionError("several tensors could be the Linear head reading the hidden state (input width " +
                          std::to_string(H) + "):" + list + "\nchoose one with --head NAME, or --head none");
  }
  const std::string weight = modules[0] + "weight";
  const auto [O, cols] = shapes.matrix(weight, "[O, H]");
  if (cols != H) throw ConversionError("head tensor '" + weight + "' has shape " + dims({O, cols}) + ", expected [O, H] with H = " + std::to_string(H));
  SourceDense dense;
  dense.input_size = H;
  dense.output_size = O;
  dense.weight = {weight, 0, O, 0, H};
  dense.bias = shapes.optional_vector(modules[0] + "bias", O, 0, O, "[O]");
  model.head = modules[0];
  model.layers.push_back({"head", dense});
  used.insert(weight);
  if (dense.bias) used.insert(dense.bias->tensor);
}

}  // namespace

const std::vector<std::string>& known_layouts() {
  static const std::vector<std::string> layouts = {"gru", "grucell", "chunked-cell", "concat-cell", "per-gate-cell"};
  return layouts;
}

SourceModel recognize_layout(const TensorMap& tensors, const RecognitionOptions& options) {
  if (!options.layout.empty() &&
      std::find(known_layouts().begin(), known_layouts().end(), options.layout) == known_layouts().end()) {
    throw ConversionError("unknown layout '" + options.layout + "'; known: gru, grucell, chunked-cell, concat-cell, per-gate-cell");
  }
  std::vector<Candidate> candidates;
  for (const Candidate& c : find_candidates(tensors)) {
    if ((options.layout.empty() || c.layout == options.layout) && (options.prefix.empty() || c.prefix == options.prefix)) {
      candidates.push_back(c);
    }
  }
  if (candidates.empty()) {
    throw ConversionError("no known GRU layout" + (options.layout.empty() ? std::string() : " '" + options.layout + "'") +
                          (options.prefix.empty() ? std::string() : " under prefix '" + options.prefix + "'") +
                          " found among the file's tensors:" + list_tensors(tensors) +
                          "\nknown layouts: gru, grucell, chunked-cell, concat-cell, per-gate-cell; for any other, write "
                          "a mapping file (--mapping, see README)");
  }
  if (candidates.size() > 1) {
    std::string list;
    for (const Candidate& c : candidates) list += "\n  " + c.layout + " under prefix '" + c.prefix + "'";
    throw ConversionError("ambiguous: several GRU layouts found:" + list + "\nchoose one with --layout and/or --prefix");
  }
  const Candidate& chosen = candidates[0];
  const Shapes shapes(tensors);
  SourceModel model;
  model.layout = chosen.layout;
  model.prefix = chosen.prefix;
  model.layers = gru_layers(shapes, chosen);
  model.input_size = std::get<SourceGru>(model.layers[0].layer).input_size;
  if (options.head_reads_tanh && chosen.layout != "concat-cell") {
    throw ConversionError("--head-input tanh applies to the concat cell only (layout '" + chosen.layout + "')");
  }
  model.head_reads_tanh = options.head_reads_tanh;
  const std::vector<std::string> gru_tensors = used_tensors(model);
  std::set<std::string> used(gru_tensors.begin(), gru_tensors.end());
  add_head(shapes, tensors, options, used, model);
  if (used.size() < tensors.size() && !options.allow_unused) {
    throw ConversionError("the " + chosen.layout + " layout under prefix '" + chosen.prefix +
                          "' does not use these tensors:" + list_tensors(tensors, used) +
                          "\nconverting without them could give a model that differs from yours; use --prefix, --head, "
                          "a mapping file, or --allow-unused if they really are not part of the network");
  }
  return model;
}

}  // namespace grurt::convert
