// torch.nn.RNN (any num_layers, bias on or off) and torch.nn.RNNCell, the
// Elman RNN: h' = act(W_ih x + b_ih + W_hh h + b_hh), act tanh or relu.
// A state_dict does not record the nonlinearity: it comes from
// --rnn-nonlinearity (tanh, PyTorch's default, when not given) and the
// model says it was assumed.
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
    if (m.cell == TorchCell::kRnn) found.push_back({m.stacked ? "rnn" : "rnncell", m.prefix, ""});
  }
  return found;
}

SourceModel build(const TensorMap& tensors, const LayoutCandidate& c, const RecognitionOptions& options) {
  const std::string& p = c.prefix;
  const bool stacked = c.layout == "rnn";
  const TensorShapes shapes(tensors);
  if (stacked && shapes.has(p + "weight_ih_l0_reverse")) {
    throw ConversionError("'" + p + "' is a bidirectional nn.RNN; streaming runs forward only, so it cannot be converted");
  }
  const Activation activation = options.rnn_activation.value_or(Activation::kTanh);
  SourceModel model;
  std::uint32_t previous = 0;
  for (std::uint32_t k = 0; stacked ? shapes.has(p + "weight_ih_l" + std::to_string(k)) : k < 1; ++k) {
    const std::string s = stacked ? "_l" + std::to_string(k) : "";
    const std::string w = p + "weight_ih" + s, r = p + "weight_hh" + s;
    const auto [H, I] = shapes.matrix(w, "[H, I]");
    if (k > 0 && I != previous) {
      throw ConversionError("tensor '" + w + "' has shape " + dims({H, I}) + ", expected [H, H of layer " +
                            std::to_string(k - 1) + "] = " + dims({H, previous}));
    }
    shapes.expect(r, {H, H}, "[H, H]");
    SourceRnn rnn;
    rnn.input_size = I;
    rnn.hidden_size = H;
    rnn.activation = activation;
    rnn.w = {w, 0, H, 0, I};
    rnn.r = {r, 0, H, 0, H};
    rnn.bias_w = shapes.optional_vector(p + "bias_ih" + s, H, 0, H, "[H]");
    rnn.bias_r = shapes.optional_vector(p + "bias_hh" + s, H, 0, H, "[H]");
    model.layers.push_back({"rnn" + std::to_string(k), rnn});
    previous = H;
  }
  model.assumptions.push_back(std::string("nonlinearity ") + activation_name(activation) +
                              (options.rnn_activation ? " (from --rnn-nonlinearity" : " (PyTorch's default") +
                              "; a state_dict does not record nn.RNN's nonlinearity: --rnn-nonlinearity tanh|relu)");
  return model;
}

// As torch.nn.RNN computes it, on the whole weight_ih / weight_hh tensors.
class RnnReference : public LayoutReference {
 public:
  using LayoutReference::LayoutReference;

 protected:
  Vec cell(const SourceLayer& layer, const Vec& x, const Vec& h) const override {
    const SourceRnn& rnn = std::get<SourceRnn>(layer.layer);
    return activate(rnn.activation, add(linear_(rnn.w.tensor, tensor_of(rnn.bias_w), x),
                                        linear_(rnn.r.tensor, tensor_of(rnn.bias_r), h)));
  }
};

std::unique_ptr<SourceReference> reference(const SourceModel& model, const TensorMap& tensors) {
  return std::make_unique<RnnReference>(model, tensors);
}

}  // namespace

LayoutFamily torch_rnn() {
  return {{{"rnn", "torch.nn.RNN: {p}weight_ih_l{k} [H, I], weight_hh_l{k} [H, H], bias_ih_l{k}, bias_hh_l{k}"},
           {"rnncell", "torch.nn.RNNCell: {p}weight_ih [H, I], weight_hh [H, H], bias_ih, bias_hh"}},
          find, build, reference};
}

}  // namespace grurt::convert::layouts
