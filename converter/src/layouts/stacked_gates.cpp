#include "stacked_gates.hpp"

#include <cmath>

#include "grurt_convert/conversion_error.hpp"
#include "reference_math.hpp"

namespace grurt::convert::layouts {
namespace {

// The three gate row blocks of a [3H x cols] matrix in r, z, n order.
std::array<TensorSlice, 3> gate_rows(const std::string& name, std::uint32_t H, std::uint32_t cols) {
  return {TensorSlice{name, 0, H, 0, cols}, TensorSlice{name, H, H, 0, cols}, TensorSlice{name, 2 * H, H, 0, cols}};
}

std::array<std::optional<TensorSlice>, 3> gate_bias_rows(const TensorShapes& shapes, const std::string& name,
                                                          std::uint32_t H, const std::string& formula) {
  std::array<std::optional<TensorSlice>, 3> out;
  for (std::uint32_t g = 0; g < 3; ++g) out[g] = shapes.optional_vector(name, 3 * H, g * H, H, formula);
  return out;
}

class StackedGateReference : public LayoutReference {
 public:
  using LayoutReference::LayoutReference;

 protected:
  Vec cell(const SourceLayer& layer, const Vec& x, const Vec& h) const override {
    // The whole [3H, .] tensors the gate slices were cut from, as PyTorch multiplies them.
    const SourceGru& gru = std::get<SourceGru>(layer.layer);
    const Vec gi = linear_(gru.w[0].tensor, tensor_of(gru.bias_w[0]), x);
    const Vec gh = linear_(gru.r[0].tensor, tensor_of(gru.bias_r[0]), h);
    const std::size_t H = h.size();
    Vec next(H);
    for (std::size_t i = 0; i < H; ++i) {
      const double r = sigmoid(gi[i] + gh[i]);
      const double z = sigmoid(gi[H + i] + gh[H + i]);
      const double n = std::tanh(gi[2 * H + i] + r * gh[2 * H + i]);
      next[i] = (1.0 - z) * n + z * h[i];
    }
    return next;
  }
};

}  // namespace

std::vector<SourceLayer> stacked_gate_layers(const TensorShapes& shapes, const StackedNames& names, bool single) {
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

std::unique_ptr<SourceReference> stacked_gate_reference(const SourceModel& model, const TensorMap& tensors) {
  return std::make_unique<StackedGateReference>(model, tensors);
}

}  // namespace grurt::convert::layouts
