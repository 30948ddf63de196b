// torch.nn.LSTM (any num_layers, bias on or off, proj_size) and
// torch.nn.LSTMCell. Gates are stacked i, f, g, o in weight_ih [4H, I] and
// weight_hh [4H, P or H], grurt's own order, so the slices are the row blocks
// as stored. With proj_size, h' = weight_hr h' ([P, H]) and the layers above
// the first read P inputs.
#include <cmath>

#include "families.hpp"
#include "grurt_convert/conversion_error.hpp"
#include "reference_math.hpp"
#include "tensor_shapes.hpp"
#include "torch_modules.hpp"

namespace grurt::convert::layouts {
namespace {

std::vector<LayoutCandidate> find(const TensorMap& tensors) {
  std::vector<LayoutCandidate> found;
  for (const TorchModule& m : find_torch_modules(tensors)) {
    if (m.cell == TorchCell::kLstm) found.push_back({m.stacked ? "lstm" : "lstmcell", m.prefix, ""});
  }
  return found;
}

std::array<TensorSlice, 4> gate_rows(const std::string& name, std::uint32_t H, std::uint32_t cols) {
  std::array<TensorSlice, 4> out;
  for (std::uint32_t g = 0; g < 4; ++g) out[g] = {name, g * H, H, 0, cols};
  return out;
}

std::array<std::optional<TensorSlice>, 4> gate_bias_rows(const TensorShapes& shapes, const std::string& name,
                                                          std::uint32_t H) {
  std::array<std::optional<TensorSlice>, 4> out;
  for (std::uint32_t g = 0; g < 4; ++g) out[g] = shapes.optional_vector(name, 4 * H, g * H, H, "[4*H]");
  return out;
}

// Layer k's projection size from weight_hr_l{k} [P, H], 0 without one;
// nn.LSTM's proj_size is one number for all its layers.
std::uint32_t projection_size(const TensorShapes& shapes, const std::string& hr, std::uint32_t H, std::uint32_t k,
                              std::uint32_t first_layer_p, const std::string& p) {
  if (!shapes.has(hr)) {
    if (k > 0 && first_layer_p != 0) {
      throw ConversionError("tensor '" + hr + "' is missing; expected [P, H] = " + dims({first_layer_p, H}) + " (layer 0 of '" +
                            p + "' has a projection, and nn.LSTM's proj_size applies to every layer)");
    }
    return 0;
  }
  const auto [P, cols] = shapes.matrix(hr, "[P, H]");
  if (cols != H) {
    throw ConversionError("tensor '" + hr + "' has shape " + dims({P, cols}) + ", expected [P, H] with H = " +
                          std::to_string(H) + " (weight_ih's rows / 4)");
  }
  if (k > 0 && P != first_layer_p) {
    throw ConversionError("tensor '" + hr + "' has shape " + dims({P, cols}) + ", expected [P, H] = " +
                          dims({first_layer_p, H}) + ": layer 0 of '" + p + "' projects to " +
                          (first_layer_p ? std::to_string(first_layer_p) : std::string("nothing (no weight_hr_l0)")) +
                          ", and nn.LSTM's proj_size applies to every layer");
  }
  return P;
}

SourceModel build(const TensorMap& tensors, const LayoutCandidate& c, const RecognitionOptions&) {
  const std::string& p = c.prefix;
  const bool stacked = c.layout == "lstm";
  const TensorShapes shapes(tensors);
  if (stacked && shapes.has(p + "weight_ih_l0_reverse")) {
    throw ConversionError("'" + p + "' is a bidirectional nn.LSTM; streaming runs forward only, so it cannot be converted");
  }
  SourceModel model;
  std::uint32_t previous = 0, first_layer_p = 0;
  for (std::uint32_t k = 0; stacked ? shapes.has(p + "weight_ih_l" + std::to_string(k)) : k < 1; ++k) {
    const std::string s = stacked ? "_l" + std::to_string(k) : "";
    const std::string w = p + "weight_ih" + s, r = p + "weight_hh" + s;
    const auto [rows, I] = shapes.matrix(w, "[4*H, I]");
    if (rows % 4 != 0) {
      throw ConversionError("tensor '" + w + "' has " + std::to_string(rows) + " rows, not a multiple of 4 (4*H)");
    }
    const std::uint32_t H = rows / 4;
    if (k > 0 && I != previous) {
      throw ConversionError("tensor '" + w + "' has shape " + dims({rows, I}) + ", expected [4*H, " +
                            (first_layer_p ? "P" : "H") + " of layer " + std::to_string(k - 1) + "] = " +
                            dims({rows, previous}));
    }
    const std::uint32_t P = stacked ? projection_size(shapes, p + "weight_hr" + s, H, k, first_layer_p, p) : 0;
    if (k == 0) first_layer_p = P;
    const std::uint32_t width = P != 0 ? P : H;
    shapes.expect(r, {4 * std::int64_t{H}, width}, P != 0 ? "[4*H, P]" : "[4*H, H]");
    SourceLstm lstm;
    lstm.input_size = I;
    lstm.hidden_size = H;
    lstm.projection_size = P;
    lstm.w = gate_rows(w, H, I);
    lstm.r = gate_rows(r, H, width);
    lstm.bias_w = gate_bias_rows(shapes, p + "bias_ih" + s, H);
    lstm.bias_r = gate_bias_rows(shapes, p + "bias_hh" + s, H);
    if (P != 0) lstm.projection = TensorSlice{p + "weight_hr" + s, 0, P, 0, H};
    model.layers.push_back({"lstm" + std::to_string(k), lstm});
    previous = width;
  }
  return model;
}

// As torch.nn.LSTM computes it, on the whole weight_ih / weight_hh / weight_hr
// tensors: gates chunked i, f, g, o; the state is h then c.
class TorchLstmReference : public LayoutReference {
 public:
  using LayoutReference::LayoutReference;

 protected:
  Vec cell(const SourceLayer& layer, const Vec& x, const Vec& state) const override {
    const SourceLstm& lstm = std::get<SourceLstm>(layer.layer);
    const std::size_t H = lstm.hidden_size, out = lstm.output_size();
    const Vec h(state.begin(), state.begin() + static_cast<std::ptrdiff_t>(out));
    const Vec gates = add(linear_(lstm.w[0].tensor, tensor_of(lstm.bias_w[0]), x),
                          linear_(lstm.r[0].tensor, tensor_of(lstm.bias_r[0]), h));
    Vec c(H), h_next(H);
    for (std::size_t j = 0; j < H; ++j) {
      const double i = sigmoid(gates[j]), f = sigmoid(gates[H + j]), g = std::tanh(gates[2 * H + j]),
                   o = sigmoid(gates[3 * H + j]);
      c[j] = f * state[out + j] + i * g;
      h_next[j] = o * std::tanh(c[j]);
    }
    if (lstm.projection) h_next = linear_(lstm.projection->tensor, "", h_next);
    return concat(h_next, c);
  }
};

std::unique_ptr<SourceReference> reference(const SourceModel& model, const TensorMap& tensors) {
  return std::make_unique<TorchLstmReference>(model, tensors);
}

}  // namespace

LayoutFamily torch_lstm() {
  return {{{"lstm", "torch.nn.LSTM: {p}weight_ih_l{k} [4H, I], weight_hh_l{k} [4H, H or P], bias_ih_l{k}, bias_hh_l{k}, "
                    "weight_hr_l{k} [P, H] (proj_size)"},
           {"lstmcell", "torch.nn.LSTMCell: {p}weight_ih [4H, I], weight_hh [4H, H], bias_ih, bias_hh"}},
          find, build, reference};
}

}  // namespace grurt::convert::layouts
