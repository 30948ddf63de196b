// The per-gate cell (seeds/002, class GRU_cell_AI_SUMMER): six Linear layers,
// linear_reset_w1/r1 feed r, linear_reset_w2/r2 feed z, linear_gate_w3/r3 feed n;
// n = tanh(w3 x + r * (r3 h)); h' = (1 - z) * n + z * h.
#include <cmath>

#include "families.hpp"
#include "reference_math.hpp"
#include "tensor_shapes.hpp"

namespace grurt::convert::layouts {
namespace {

const std::string kFirst = "linear_reset_w1.weight";

std::vector<LayoutCandidate> find(const TensorMap& tensors) {
  std::vector<LayoutCandidate> found;
  for (const auto& entry : tensors) {
    const std::string& name = entry.first;
    if (ends_with(name, kFirst)) found.push_back({"per-gate-cell", name.substr(0, name.size() - kFirst.size()), ""});
  }
  return found;
}

SourceModel build(const TensorMap& tensors, const LayoutCandidate& c, const RecognitionOptions&) {
  const std::string& p = c.prefix;
  const TensorShapes shapes(tensors);
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
  SourceModel model;
  model.layers = {{"gru0", gru}};
  return model;
}

// As the seed's forward(), on the six Linear modules the gate slices name.
class PerGateCellReference : public LayoutReference {
 public:
  using LayoutReference::LayoutReference;

 protected:
  Vec cell(const SourceLayer& layer, const Vec& x, const Vec& h) const override {
    const SourceGru& gru = std::get<SourceGru>(layer.layer);
    auto input = [&](int g) { return linear_(gru.w[g].tensor, tensor_of(gru.bias_w[g]), x); };
    auto hidden = [&](int g) { return linear_(gru.r[g].tensor, tensor_of(gru.bias_r[g]), h); };
    const Vec x1 = input(0), h1 = hidden(0), x2 = input(1), h2 = hidden(1), x3 = input(2), h3 = hidden(2);
    Vec next(h.size());
    for (std::size_t i = 0; i < h.size(); ++i) {
      const double r = sigmoid(x1[i] + h1[i]);
      const double z = sigmoid(h2[i] + x2[i]);
      const double n = std::tanh(x3[i] + r * h3[i]);
      next[i] = (1.0 - z) * n + z * h[i];
    }
    return next;
  }
};

std::unique_ptr<SourceReference> reference(const SourceModel& model, const TensorMap& tensors) {
  return std::make_unique<PerGateCellReference>(model, tensors);
}

}  // namespace

LayoutFamily per_gate_cell() {
  return {{{"per-gate-cell",
            "{p}linear_reset_w1/w2, linear_gate_w3 .weight [H, I]; linear_reset_r1/r2, linear_gate_r3 [H, H] (+ .bias)"}},
          find, build, reference};
}

}  // namespace grurt::convert::layouts
