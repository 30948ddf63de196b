// Pieces the layouts' double-precision references share: nn.Linear on named
// tensors, activations, and a base that runs the recurrent layers, then the
// optional tanh and Linear head, as the PyTorch modules do.
#pragma once

#include <string>
#include <vector>

#include "grurt_convert/source_model.hpp"
#include "grurt_convert/source_reference.hpp"
#include "grurt_convert/tensor_map.hpp"

namespace grurt::convert::layouts {

using Vec = std::vector<double>;

double sigmoid(double v);
// A GRU's or LSTM's gate: sigmoid, or clip(slope * v + offset, 0, 1).
double gate(GateActivation gates, float slope, float offset, double v);
Vec activate(Activation activation, Vec y);
Vec add(Vec a, const Vec& b);
Vec concat(const Vec& a, const Vec& b);

// The tensor a bias slice comes from, "" when the bias is absent.
std::string tensor_of(const std::optional<TensorSlice>& slice);

// nn.Linear semantics on named tensors, in double precision.
class Linear {
 public:
  explicit Linear(const TensorMap& tensors) : tensors_(tensors) {}

  // W x, plus b when `bias` names a tensor ("" = no bias).
  Vec operator()(const std::string& weight, const std::string& bias, const Vec& x) const;

  // The block a slice stands for (transposed if it says so) times x; x empty
  // means the block itself (a vector slice).
  Vec slice(const TensorSlice& s, const Vec& x) const;

 private:
  const TensorMap& tensors_;
};

// Runs the model's layers in order: the recurrent ones (those with a state)
// through cell(), which maps (x, state) to the next state whose front is the
// layer's output (h; an LSTM's state is h then c), activation layers (tanh
// when the head reads tanh(h'), those the user states with
// --activation-before/after-head) as themselves, and a Linear head on its
// whole named tensors, as nn.Linear does.
class LayoutReference : public SourceReference {
 public:
  LayoutReference(const SourceModel& model, const TensorMap& tensors);
  Vec step(const Vec& input) override;
  Vec state() const override { return join_states(hidden_); }
  void set_state(const Vec& state) override { split_state(state, hidden_); }

 protected:
  virtual Vec cell(const SourceLayer& layer, const Vec& x, const Vec& h) const = 0;

  const SourceModel& model_;
  Linear linear_;

 private:
  std::vector<Vec> hidden_;  // per recurrent layer, in order
};

}  // namespace grurt::convert::layouts
