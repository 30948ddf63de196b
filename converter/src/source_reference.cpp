#include "grurt_convert/source_reference.hpp"

#include <cmath>

#include "grurt_convert/layout_registry.hpp"
#include "layouts/reference_math.hpp"

namespace grurt::convert {
namespace {

using layouts::Vec;

// A model no layout family built (a mapping file, a reader's declared
// architecture): the slices and conventions it declares, evaluated as written
// (source gate order and update convention, transposed slices as transposes).
class SliceReference : public SourceReference {
 public:
  SliceReference(const SourceModel& model, const TensorMap& tensors) : model_(model), linear_(tensors) {
    for (const SourceLayer& layer : model.layers) {
      const bool recurrent = std::holds_alternative<SourceGru>(layer.layer) || std::holds_alternative<SourceRnn>(layer.layer);
      hidden_.emplace_back(recurrent ? output_width(layer) : 0, 0.0);
    }
  }

  Vec step(const Vec& input) override {
    Vec x = input;
    for (std::size_t k = 0; k < model_.layers.size(); ++k) {
      const auto& layer = model_.layers[k].layer;
      if (const auto* gru = std::get_if<SourceGru>(&layer)) {
        hidden_[k] = gru_step(*gru, x, hidden_[k]);
        x = hidden_[k];
      } else if (const auto* rnn = std::get_if<SourceRnn>(&layer)) {
        hidden_[k] = layouts::activate(rnn->activation,
                                       layouts::add(affine(rnn->w, rnn->bias_w, x), affine(rnn->r, rnn->bias_r, hidden_[k])));
        x = hidden_[k];
      } else if (const auto* dense = std::get_if<SourceDense>(&layer)) {
        x = layouts::activate(dense->activation, affine(dense->weight, dense->bias, x));
      } else {
        x = layouts::activate(std::get<ActivationSpec>(layer).activation, x);
      }
    }
    return x;
  }

 private:
  // weight x (+ bias).
  Vec affine(const TensorSlice& weight, const std::optional<TensorSlice>& bias, const Vec& v) const {
    Vec y = linear_.slice(weight, v);
    return bias ? layouts::add(y, linear_.slice(*bias, {})) : y;
  }

  Vec gru_step(const SourceGru& g, const Vec& x, const Vec& h) const {
    using layouts::activate;
    using layouts::add;
    const Vec r = activate(Activation::kSigmoid, add(affine(g.w[0], g.bias_w[0], x), affine(g.r[0], g.bias_r[0], h)));
    const Vec z = activate(Activation::kSigmoid, add(affine(g.w[1], g.bias_w[1], x), affine(g.r[1], g.bias_r[1], h)));
    Vec rh(h.size());
    for (std::size_t i = 0; i < h.size(); ++i) rh[i] = r[i] * h[i];
    const Vec xn = affine(g.w[2], g.bias_w[2], x);
    const Vec hn = g.reset_after ? affine(g.r[2], g.bias_r[2], h) : affine(g.r[2], g.bias_r[2], rh);
    Vec next(h.size());
    for (std::size_t i = 0; i < h.size(); ++i) {
      const double n = std::tanh(xn[i] + (g.reset_after ? r[i] * hn[i] : hn[i]));
      next[i] = g.update_keeps_state ? z[i] * h[i] + (1.0 - z[i]) * n : (1.0 - z[i]) * h[i] + z[i] * n;
    }
    return next;
  }

  const SourceModel& model_;
  layouts::Linear linear_;
  std::vector<Vec> hidden_;
};

}  // namespace

std::unique_ptr<SourceReference> make_source_reference(const SourceModel& model, const TensorMap& tensors) {
  if (const LayoutFamily* family = find_layout_family(model.layout)) return family->reference(model, tensors);
  return std::make_unique<SliceReference>(model, tensors);
}

}  // namespace grurt::convert
