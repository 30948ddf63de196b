#include "grurt_convert/source_reference.hpp"

#include <algorithm>
#include <cmath>

namespace grurt::convert {
namespace {

using Vec = std::vector<double>;

double sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }

Vec activate(Activation activation, Vec y) {
  switch (activation) {
    case Activation::kIdentity: break;
    case Activation::kTanh: for (double& v : y) v = std::tanh(v); break;
    case Activation::kSigmoid: for (double& v : y) v = sigmoid(v); break;
    case Activation::kRelu: for (double& v : y) v = std::max(v, 0.0); break;
    case Activation::kSoftmax: {
      const double top = *std::max_element(y.begin(), y.end());
      double sum = 0.0;
      for (double& v : y) sum += (v = std::exp(v - top));
      for (double& v : y) v /= sum;
      break;
    }
  }
  return y;
}

// nn.Linear semantics on named tensors: W x (+ b when the bias tensor exists).
class Linear {
 public:
  explicit Linear(const TensorMap& tensors) : tensors_(tensors) {}

  Vec operator()(const std::string& weight, const std::string& bias, const Vec& x) const {
    const SourceTensor& w = tensors_.at(weight);
    const std::size_t rows = static_cast<std::size_t>(w.shape[0]), cols = static_cast<std::size_t>(w.shape[1]);
    Vec y(rows, 0.0);
    for (std::size_t i = 0; i < rows; ++i)
      for (std::size_t j = 0; j < cols; ++j) y[i] += static_cast<double>(w.values[i * cols + j]) * x[j];
    const auto b = tensors_.find(bias);
    if (!bias.empty() && b != tensors_.end())
      for (std::size_t i = 0; i < rows; ++i) y[i] += b->second.values[i];
    return y;
  }

  // A block of a matrix (or vector, cols = 1) times x; x empty means "the block itself".
  Vec slice(const TensorSlice& s, const Vec& x) const {
    const SourceTensor& t = tensors_.at(s.tensor);
    const std::size_t width = t.shape.size() == 2 ? static_cast<std::size_t>(t.shape[1]) : 1;
    Vec y(s.rows, 0.0);
    for (std::size_t i = 0; i < s.rows; ++i) {
      const float* row = t.values.data() + (s.row + i) * width + s.col;
      if (x.empty()) {
        y[i] = row[0];
      } else {
        for (std::size_t j = 0; j < s.cols; ++j) y[i] += static_cast<double>(row[j]) * x[j];
      }
    }
    return y;
  }

 private:
  const TensorMap& tensors_;
};

Vec concat(const Vec& a, const Vec& b) {
  Vec out(a);
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

// Shared by the references: run the recurrent layers, then the optional head.
class LayoutReference : public SourceReference {
 public:
  LayoutReference(const SourceModel& model, const TensorMap& tensors) : model_(model), linear_(tensors) {
    for (const SourceLayer& layer : model.layers) {
      if (const auto* gru = std::get_if<SourceGru>(&layer.layer)) hidden_.emplace_back(gru->hidden_size, 0.0);
    }
  }

  Vec step(const Vec& input) override {
    Vec x = input;
    for (std::size_t k = 0; k < hidden_.size(); ++k) {
      hidden_[k] = cell(k, x, hidden_[k]);
      x = hidden_[k];
    }
    if (model_.head_reads_tanh) x = activate(Activation::kTanh, x);
    if (model_.head) x = linear_(*model_.head + "weight", *model_.head + "bias", x);
    return x;
  }

 protected:
  virtual Vec cell(std::size_t layer, const Vec& x, const Vec& h) const = 0;

  const SourceModel& model_;
  Linear linear_;
  std::vector<Vec> hidden_;
};

// torch.nn.GRU / GRUCell and the chunked cell: one Linear of 3H rows for x and
// one for h, chunked into (reset, update, new); n = tanh(x_n + r * h_n);
// h' = (1 - z) * n + z * h.
class StackedGateReference : public LayoutReference {
 public:
  using LayoutReference::LayoutReference;

 protected:
  Vec cell(std::size_t k, const Vec& x, const Vec& h) const override {
    const std::string& p = model_.prefix;
    const std::string l = "_l" + std::to_string(k);
    const std::string c = p + "rnn_cell_list." + std::to_string(k) + ".";
    Vec gi, gh;
    if (model_.layout == "gru") {
      gi = linear_(p + "weight_ih" + l, p + "bias_ih" + l, x);
      gh = linear_(p + "weight_hh" + l, p + "bias_hh" + l, h);
    } else if (model_.layout == "grucell") {
      gi = linear_(p + "weight_ih", p + "bias_ih", x);
      gh = linear_(p + "weight_hh", p + "bias_hh", h);
    } else {
      gi = linear_(c + "input.weight", c + "input.bias", x);
      gh = linear_(c + "hidden.weight", c + "hidden.bias", h);
    }
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

// The concat cell (seed 002, GRUCell): r, z from Linear([x, h]);
// n = tanh(hidden_transform([x, r * h])); h' = (1 - z) * h + z * n.
class ConcatCellReference : public LayoutReference {
 public:
  using LayoutReference::LayoutReference;

 protected:
  Vec cell(std::size_t, const Vec& x, const Vec& h) const override {
    const std::string& p = model_.prefix;
    const Vec combined = concat(x, h);
    Vec r = activate(Activation::kSigmoid, linear_(p + "reset_gate.weight", p + "reset_gate.bias", combined));
    const Vec z = activate(Activation::kSigmoid, linear_(p + "update_gate.weight", p + "update_gate.bias", combined));
    for (std::size_t i = 0; i < r.size(); ++i) r[i] *= h[i];
    const Vec n = activate(Activation::kTanh,
                           linear_(p + "hidden_transform.weight", p + "hidden_transform.bias", concat(x, r)));
    Vec next(h.size());
    for (std::size_t i = 0; i < h.size(); ++i) next[i] = (1.0 - z[i]) * h[i] + z[i] * n[i];
    return next;
  }
};

// The per-gate cell (seed 002, GRU_cell_AI_SUMMER): r = sigmoid(w1 x + r1 h),
// z = sigmoid(w2 x + r2 h), n = tanh(w3 x + r * (r3 h)), h' = (1 - z) * n + z * h.
class PerGateCellReference : public LayoutReference {
 public:
  using LayoutReference::LayoutReference;

 protected:
  Vec cell(std::size_t, const Vec& x, const Vec& h) const override {
    const std::string& p = model_.prefix;
    auto lin = [&](const std::string& m, const Vec& v) { return linear_(p + m + ".weight", p + m + ".bias", v); };
    const Vec x1 = lin("linear_reset_w1", x), h1 = lin("linear_reset_r1", h);
    const Vec x2 = lin("linear_reset_w2", x), h2 = lin("linear_reset_r2", h);
    const Vec x3 = lin("linear_gate_w3", x), h3 = lin("linear_gate_r3", h);
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

// A mapping file's model: the slices and conventions the user declared,
// evaluated as written (source gate order and update convention).
class MappingReference : public SourceReference {
 public:
  MappingReference(const SourceModel& model, const TensorMap& tensors) : model_(model), linear_(tensors) {
    for (const SourceLayer& layer : model.layers) {
      const auto* gru = std::get_if<SourceGru>(&layer.layer);
      hidden_.emplace_back(gru ? gru->hidden_size : 0, 0.0);
    }
  }

  Vec step(const Vec& input) override {
    Vec x = input;
    for (std::size_t k = 0; k < model_.layers.size(); ++k) {
      const auto& layer = model_.layers[k].layer;
      if (const auto* gru = std::get_if<SourceGru>(&layer)) {
        hidden_[k] = gru_step(*gru, x, hidden_[k]);
        x = hidden_[k];
      } else if (const auto* dense = std::get_if<SourceDense>(&layer)) {
        Vec y = linear_.slice(dense->weight, x);
        if (dense->bias) {
          const Vec b = linear_.slice(*dense->bias, {});
          for (std::size_t i = 0; i < y.size(); ++i) y[i] += b[i];
        }
        x = activate(dense->activation, y);
      } else {
        x = activate(std::get<ActivationSpec>(layer).activation, x);
      }
    }
    return x;
  }

 private:
  Vec gate(const TensorSlice& weight, const std::optional<TensorSlice>& bias, const Vec& v) const {
    Vec y = linear_.slice(weight, v);
    if (bias) {
      const Vec b = linear_.slice(*bias, {});
      for (std::size_t i = 0; i < y.size(); ++i) y[i] += b[i];
    }
    return y;
  }

  Vec gru_step(const SourceGru& g, const Vec& x, const Vec& h) const {
    const Vec r = activate(Activation::kSigmoid, sum(gate(g.w[0], g.bias_w[0], x), gate(g.r[0], g.bias_r[0], h)));
    const Vec z = activate(Activation::kSigmoid, sum(gate(g.w[1], g.bias_w[1], x), gate(g.r[1], g.bias_r[1], h)));
    Vec rh(h.size());
    for (std::size_t i = 0; i < h.size(); ++i) rh[i] = r[i] * h[i];
    const Vec xn = gate(g.w[2], g.bias_w[2], x);
    const Vec hn = g.reset_after ? gate(g.r[2], g.bias_r[2], h) : gate(g.r[2], g.bias_r[2], rh);
    Vec next(h.size());
    for (std::size_t i = 0; i < h.size(); ++i) {
      const double n = std::tanh(xn[i] + (g.reset_after ? r[i] * hn[i] : hn[i]));
      next[i] = g.update_keeps_state ? z[i] * h[i] + (1.0 - z[i]) * n : (1.0 - z[i]) * h[i] + z[i] * n;
    }
    return next;
  }

  static Vec sum(Vec a, const Vec& b) {
    for (std::size_t i = 0; i < a.size(); ++i) a[i] += b[i];
    return a;
  }

  const SourceModel& model_;
  Linear linear_;
  std::vector<Vec> hidden_;
};

}  // namespace

std::unique_ptr<SourceReference> make_source_reference(const SourceModel& model, const TensorMap& tensors) {
  if (model.layout == "gru" || model.layout == "grucell" || model.layout == "chunked-cell") {
    return std::make_unique<StackedGateReference>(model, tensors);
  }
  if (model.layout == "concat-cell") return std::make_unique<ConcatCellReference>(model, tensors);
  if (model.layout == "per-gate-cell") return std::make_unique<PerGateCellReference>(model, tensors);
  return std::make_unique<MappingReference>(model, tensors);
}

}  // namespace grurt::convert
