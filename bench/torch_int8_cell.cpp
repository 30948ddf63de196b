#include "torch_int8_cell.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

namespace grurt::bench {
namespace {

// quantize_dynamic's default weight observer: MinMaxObserver, qint8,
// per_tensor_symmetric, so scale = max|w| / 127.5 and zero point 0.
torch::Tensor quantized_weight(const std::vector<float>& values, std::int64_t rows, std::int64_t cols) {
  const torch::Tensor w = torch::from_blob(const_cast<float*>(values.data()), {rows, cols}).clone();
  float largest = 0.0f;
  for (float v : values) largest = std::max(largest, std::fabs(v));
  const float scale = std::max(largest / 127.5f, 1.1920928955078125e-07f);  // in float, eps as the observer's
  return torch::quantize_per_tensor(w, scale, 0, torch::kQInt8);
}

torch::Tensor vector_tensor(const std::vector<float>& values) {
  return torch::from_blob(const_cast<float*>(values.data()), {static_cast<std::int64_t>(values.size())}).clone();
}

// quantized::linear_prepack through the dispatcher (there is no at:: function);
// boxed, since it runs once per cell.
c10::intrusive_ptr<LinearPackedParamsBase> prepack(const torch::Tensor& weight, const torch::Tensor& bias) {
  static const c10::OperatorHandle op = c10::Dispatcher::singleton().findSchemaOrThrow("quantized::linear_prepack", "");
  torch::jit::Stack stack{weight, bias};
  op.callBoxed(&stack);
  return stack.at(0).toCustomClass<LinearPackedParamsBase>();
}

template <typename Signature>
c10::TypedOperatorHandle<Signature> typed_op(const char* name) {
  return c10::Dispatcher::singleton().findSchemaOrThrow(name, "").typed<Signature>();
}

// fbgemm if this LibTorch has it, else its default (set once, before any prepack).
void choose_engine() {
  static const bool chosen = [] {
    const auto& engines = at::globalContext().supportedQEngines();
    if (std::find(engines.begin(), engines.end(), at::QEngine::FBGEMM) != engines.end()) {
      at::globalContext().setQEngine(at::QEngine::FBGEMM);
    }
    return true;
  }();
  (void)chosen;
}

}  // namespace

const char* torch_int8_engine() {
  choose_engine();
  static const std::string name = c10::toString(at::globalContext().qEngine());
  return name.c_str();
}

TorchInt8Cell::TorchInt8Cell(const CellWeights& weights)
    : kind_(weights.kind),
      hidden_size_(weights.hidden_size),
      gru_(typed_op<GruOp>("quantized::quantized_gru_cell_dynamic")),
      lstm_(typed_op<LstmOp>("quantized::quantized_lstm_cell_dynamic")) {
  choose_engine();
  const std::int64_t I = weights.input_size, H = weights.hidden_size, rows = gate_count(kind_) * H;
  bias_w_ = vector_tensor(weights.bias_w);
  bias_r_ = vector_tensor(weights.bias_r);
  w_ = prepack(quantized_weight(weights.w, rows, I), bias_w_);
  r_ = prepack(quantized_weight(weights.r, rows, H), bias_r_);
  x_ = torch::zeros({1, I});
  reset();
}

void TorchInt8Cell::reset() {
  h_ = torch::zeros({1, hidden_size_});
  c_ = torch::zeros_like(h_);
}

void TorchInt8Cell::set_input(const float* x) { std::memcpy(x_.data_ptr<float>(), x, x_.numel() * sizeof(float)); }

void TorchInt8Cell::step() {
  torch::NoGradGuard no_grad;
  if (kind_ == CellKind::kGru) {
    h_ = gru_.call(x_, h_, w_, r_, bias_w_, bias_r_);
  } else {
    std::tie(h_, c_) = lstm_.call(x_, {h_, c_}, w_, r_, bias_w_, bias_r_);
  }
}

}  // namespace grurt::bench
