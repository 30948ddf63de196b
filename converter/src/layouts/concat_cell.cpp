// The concat cell (seeds/002, class GRUCell): reset_gate, update_gate and
// hidden_transform are each Linear(I + H, H) over [x, h];
// n = tanh(hidden_transform([x, r * h])); h' = (1 - z) * h + z * n.
#include <cmath>

#include "families.hpp"
#include "grurt_convert/conversion_error.hpp"
#include "reference_math.hpp"
#include "tensor_shapes.hpp"

namespace grurt::convert::layouts {
namespace {

const std::string kFirst = "reset_gate.weight";

std::vector<LayoutCandidate> find(const TensorMap& tensors) {
  std::vector<LayoutCandidate> found;
  for (const auto& entry : tensors) {
    const std::string& name = entry.first;
    if (ends_with(name, kFirst)) found.push_back({"concat-cell", name.substr(0, name.size() - kFirst.size()), ""});
  }
  return found;
}

SourceModel build(const TensorMap& tensors, const LayoutCandidate& c, const RecognitionOptions& options) {
  const std::string& p = c.prefix;
  const TensorShapes shapes(tensors);
  const char* gates[3] = {"reset_gate", "update_gate", "hidden_transform"};
  const auto [H, width] = shapes.matrix(p + "reset_gate.weight", "[H, I+H]");
  if (width <= H) {
    throw ConversionError("tensor '" + p + "reset_gate.weight' has shape " + dims({H, width}) +
                          ", expected [H, I+H] with I >= 1");
  }
  SourceGru gru;
  gru.hidden_size = H;
  gru.input_size = width - H;
  gru.reset_after = false;         // n = tanh(L([x, r * h]))
  gru.update_keeps_state = false;  // h' = (1 - z) * h + z * n
  for (int g = 0; g < 3; ++g) {
    const std::string weight = p + gates[g] + ".weight";
    shapes.expect(weight, {H, width}, "[H, I+H]");
    gru.w[g] = {weight, 0, H, 0, gru.input_size};  // columns of x
    gru.r[g] = {weight, 0, H, gru.input_size, H};  // columns of h (or r * h)
    gru.bias_w[g] = shapes.optional_vector(p + gates[g] + ".bias", H, 0, H, "[H]");
  }
  SourceModel model;
  model.layers = {{"gru0", gru}};
  // The seed's cell returns (h', tanh(h')); which one its head reads is the user's call.
  model.head_reads_tanh = options.head_reads_tanh;
  return model;
}

// As the seed's forward(), on the three Linear modules the gate slices name.
class ConcatCellReference : public LayoutReference {
 public:
  using LayoutReference::LayoutReference;

 protected:
  Vec cell(const SourceLayer& layer, const Vec& x, const Vec& h) const override {
    const SourceGru& gru = std::get<SourceGru>(layer.layer);
    auto linear = [&](int g, const Vec& v) { return linear_(gru.w[g].tensor, tensor_of(gru.bias_w[g]), v); };
    const Vec combined = concat(x, h);
    Vec r = activate(Activation::kSigmoid, linear(0, combined));
    const Vec z = activate(Activation::kSigmoid, linear(1, combined));
    for (std::size_t i = 0; i < r.size(); ++i) r[i] *= h[i];
    const Vec n = activate(Activation::kTanh, linear(2, concat(x, r)));
    Vec next(h.size());
    for (std::size_t i = 0; i < h.size(); ++i) next[i] = (1.0 - z[i]) * h[i] + z[i] * n[i];
    return next;
  }
};

std::unique_ptr<SourceReference> reference(const SourceModel& model, const TensorMap& tensors) {
  return std::make_unique<ConcatCellReference>(model, tensors);
}

}  // namespace

LayoutFamily concat_cell() {
  return {{{"concat-cell", "{p}reset_gate / update_gate / hidden_transform .weight [H, I+H] (+ .bias)"}},
          find, build, reference};
}

}  // namespace grurt::convert::layouts
