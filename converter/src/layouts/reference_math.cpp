#include "reference_math.hpp"

#include <algorithm>
#include <cmath>

namespace grurt::convert::layouts {

double sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }

double gate(GateActivation gates, float slope, float offset, double v) {
  if (gates == GateActivation::kSigmoid) return sigmoid(v);
  return std::min(1.0, std::max(0.0, static_cast<double>(slope) * v + offset));
}

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

Vec add(Vec a, const Vec& b) {
  for (std::size_t i = 0; i < a.size(); ++i) a[i] += b[i];
  return a;
}

Vec concat(const Vec& a, const Vec& b) {
  Vec out(a);
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

std::string tensor_of(const std::optional<TensorSlice>& slice) { return slice ? slice->tensor : std::string(); }

Vec Linear::operator()(const std::string& weight, const std::string& bias, const Vec& x) const {
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

Vec Linear::slice(const TensorSlice& s, const Vec& x) const {
  const SourceTensor& t = tensors_.at(s.tensor);
  const std::size_t width = t.shape.size() == 2 ? static_cast<std::size_t>(t.shape[1]) : 1;
  // Element (i, j) of the block as used, read from the stored tensor.
  auto at = [&](std::size_t i, std::size_t j) {
    const std::size_t row = s.row + (s.transposed ? j : i), col = s.col + (s.transposed ? i : j);
    return static_cast<double>(t.values[row * width + col]);
  };
  Vec y(s.used_rows(), 0.0);
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (x.empty()) {
      y[i] = at(i, 0);
    } else {
      for (std::size_t j = 0; j < s.used_cols(); ++j) y[i] += at(i, j) * x[j];
    }
  }
  return y;
}

LayoutReference::LayoutReference(const SourceModel& model, const TensorMap& tensors) : model_(model), linear_(tensors) {
  for (const SourceLayer& layer : model.layers) {
    if (state_width(layer) > 0) hidden_.emplace_back(state_width(layer), 0.0);
  }
}

Vec LayoutReference::step(const Vec& input) {
  Vec x = input;
  std::size_t k = 0;
  for (const SourceLayer& layer : model_.layers) {
    if (state_width(layer) > 0) {
      hidden_[k] = cell(layer, x, hidden_[k]);
      // The next layer reads h, the front of the state (an LSTM's state is h then c).
      x.assign(hidden_[k].begin(), hidden_[k].begin() + static_cast<std::ptrdiff_t>(output_width(layer)));
      ++k;
    } else if (const auto* activation = std::get_if<ActivationSpec>(&layer.layer)) {
      x = activate(activation->activation, x);
    } else if (const auto* dense = std::get_if<SourceDense>(&layer.layer)) {
      x = activate(dense->activation, linear_(dense->weight.tensor, tensor_of(dense->bias), x));
    }
  }
  return x;
}

}  // namespace grurt::convert::layouts
