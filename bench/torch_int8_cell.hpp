// LibTorch's dynamically quantized GRU or LSTM cell (what
// torch.ao.quantization.quantize_dynamic makes of nn.GRUCell / nn.LSTMCell)
// holding a CellWeights, one time step per call, for grurt-bench-compare.
#pragma once

#include <torch/torch.h>

#include <ATen/native/quantized/PackedParams.h>

#include "random_cell.hpp"

namespace grurt::bench {

// Each step runs quantized::quantized_{gru,lstm}_cell_dynamic: W x and R h as
// quantized::linear_dynamic on int8 weights (per-tensor symmetric, as
// quantize_dynamic's default weight observer makes them; the input quantized
// per call to uint8), then the gate math in f32.
class TorchInt8Cell {
 public:
  explicit TorchInt8Cell(const CellWeights& weights);
  void reset();
  void set_input(const float* x);
  void step();
  const float* hidden() const { return h_.data_ptr<float>(); }  // [1, H], contiguous

 private:
  using Packed = c10::intrusive_ptr<LinearPackedParamsBase>;
  CellKind kind_;
  std::int64_t hidden_size_;
  Packed w_, r_;  // the biases are packed with them
  torch::Tensor bias_w_, bias_r_, x_, h_, c_;
  // The ops' C++ signatures as registered (typed<> checks them).
  using GruOp = at::Tensor(const at::Tensor&, const at::Tensor&, Packed, Packed, const at::Tensor&, const at::Tensor&);
  using LstmOp = std::tuple<at::Tensor, at::Tensor>(const at::Tensor&, c10::ArrayRef<at::Tensor>, Packed, Packed,
                                                    const at::Tensor&, const at::Tensor&);
  c10::TypedOperatorHandle<GruOp> gru_;
  c10::TypedOperatorHandle<LstmOp> lstm_;
};

// The quantized engine the cells run on (fbgemm where LibTorch has it; Debian's
// LibTorch is built without it and defaults to onednn).
const char* torch_int8_engine();

}  // namespace grurt::bench
