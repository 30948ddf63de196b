#include "layer_reader.hpp"

#include <cstdint>

#include "finite_values.hpp"
#include "grurt/grurt_generated.h"

namespace grurt {
namespace detail {
namespace {

// The shape a tensor must have, with the formula to print when it does not.
struct TensorRule {
  const char* name;      // "W", "R", "bW", ...
  std::uint64_t rows;
  std::uint64_t cols;
  const char* formula;   // e.g. "3*H x I"
  bool required;
  std::uint32_t blocks;  // Panel16: row blocks padded separately (GRU gates: 3)
};


// Prefix every message with where it happened: "layer 2 (gru): ".
ErrorText& fail_at(ErrorText& error, Status status, std::uint32_t index, const char* kind) {
  return error.fail(status) << "layer " << index << " (" << kind << "): ";
}

// `layout` is the layout of the layer's first tensor: all must share it.
Status read_tensor(const fb::Tensor* tensor, const TensorRule& rule, std::uint32_t index,
                   const char* kind, fb::WeightLayout* layout, const float** data, ErrorText& error) {
  *data = nullptr;
  if (tensor == nullptr) {
    if (!rule.required) return Status::kOk;
    return fail_at(error, Status::kMissingTensor, index, kind)
           << "tensor " << rule.name << " is missing; expected [" << rule.formula << "] = ["
           << rule.rows << " x " << rule.cols << "] f32";
  }
  if (tensor->element_type() != fb::ElementType::F32) {
    return fail_at(error, Status::kUnsupportedTensor, index, kind)
           << "tensor " << rule.name << " has element type "
           << static_cast<std::uint32_t>(tensor->element_type())
           << "; this runtime reads f32 (0) only";
  }
  if (tensor->layout() != fb::WeightLayout::RowMajor && tensor->layout() != fb::WeightLayout::Panel16) {
    return fail_at(error, Status::kUnsupportedTensor, index, kind)
           << "tensor " << rule.name << " has layout " << static_cast<std::uint32_t>(tensor->layout())
           << "; this runtime reads row-major (0) and panel16 (1)";
  }
  if (*layout != tensor->layout()) {
    return fail_at(error, Status::kUnsupportedTensor, index, kind)
           << "tensor " << rule.name << " has layout " << static_cast<std::uint32_t>(tensor->layout())
           << ", but the layer's other tensors have layout " << static_cast<std::uint32_t>(*layout)
           << "; all of a layer's tensors must share one";
  }
  const bool packed = tensor->layout() == fb::WeightLayout::Panel16;
  if (packed && tensor->row_blocks() != rule.blocks) {
    return fail_at(error, Status::kShapeMismatch, index, kind)
           << "tensor " << rule.name << " has " << tensor->row_blocks() << " row blocks, expected " << rule.blocks;
  }
  if (tensor->rows() != rule.rows || tensor->cols() != rule.cols) {
    return fail_at(error, Status::kShapeMismatch, index, kind)
           << "tensor " << rule.name << " is [" << tensor->rows() << " x " << tensor->cols()
           << "], expected [" << rule.formula << "] = [" << rule.rows << " x " << rule.cols << "]";
  }
  const auto* bytes = tensor->data();
  // Packed: each block's rows padded to whole panels.
  const std::uint64_t stored_rows = packed ? rule.blocks * round_up_to_panel(rule.rows / rule.blocks) : rule.rows;
  const std::uint64_t expected_elements = stored_rows * rule.cols;
  const std::uint64_t stored_bytes = bytes == nullptr ? 0 : bytes->size();
  if (stored_bytes != expected_elements * sizeof(float)) {
    auto& message = fail_at(error, Status::kShapeMismatch, index, kind)
                    << "tensor " << rule.name << " holds " << stored_bytes << " bytes";
    if (stored_bytes % sizeof(float) == 0) message << " = " << stored_bytes / sizeof(float) << " f32";
    return message << ", expected " << (packed ? "panel16 " : "") << rule.formula << " = " << expected_elements
                   << " f32 (" << expected_elements * sizeof(float) << " bytes)";
  }
  const auto address = reinterpret_cast<std::uintptr_t>(bytes->data());
  if (address % kModelAlignment != 0) {
    return fail_at(error, Status::kMisalignedBuffer, index, kind)
           << "tensor " << rule.name << " data is not " << static_cast<std::uint32_t>(kModelAlignment)
           << "-byte aligned (address mod " << static_cast<std::uint32_t>(kModelAlignment) << " = "
           << static_cast<std::uint64_t>(address % kModelAlignment) << ")";
  }
  // Weights are stored little-endian f32 and read in place (see the static
  // assert in model.cpp), so the bytes are the floats.
  const auto* values = reinterpret_cast<const float*>(bytes->data());
  // A NaN or infinity in a weight would poison every stream's state on its
  // first step: refuse the file instead of running a silently broken model.
  const std::uint64_t bad = first_non_finite(values, static_cast<std::size_t>(expected_elements));
  if (bad != expected_elements) {
    return fail_at(error, Status::kNonFiniteValue, index, kind)
           << "tensor " << rule.name << " value " << bad << " (of " << expected_elements << " stored) is "
           << non_finite_name(values[bad]) << "; weights must be finite";
  }
  *data = values;
  return Status::kOk;
}

Status check_size(std::uint32_t value, const char* what, std::uint32_t index, const char* kind,
                  ErrorText& error) {
  if (value == 0 || value > kMaxDimension) {
    return fail_at(error, Status::kInvalidModel, index, kind)
           << what << " is " << value << "; expected 1.." << kMaxDimension;
  }
  return Status::kOk;
}

Status check_input(std::uint32_t declared, std::uint32_t input_width, std::uint32_t index,
                   const char* kind, ErrorText& error) {
  if (declared == input_width) return Status::kOk;
  auto& message = fail_at(error, Status::kDimensionMismatch, index, kind)
                  << "input size " << declared << ", but ";
  if (index == 0) return message << "the model input size is " << input_width;
  return message << "layer " << index - 1 << " outputs " << input_width;
}

// The sizes every weighted layer declares: both in range, the input chained.
Status check_layer_sizes(std::uint32_t input, std::uint32_t output, const char* output_name,
                         std::uint32_t input_width, std::uint32_t index, const char* kind, ErrorText& error) {
  Status status = check_size(input, "input size I", index, kind, error);
  if (status == Status::kOk) status = check_size(output, output_name, index, kind, error);
  if (status == Status::kOk) status = check_input(input, input_width, index, kind, error);
  return status;
}

bool read_activation(fb::Activation stored, Activation* activation) {
  switch (stored) {
    case fb::Activation::Identity: *activation = Activation::kIdentity; return true;
    case fb::Activation::Tanh: *activation = Activation::kTanh; return true;
    case fb::Activation::Sigmoid: *activation = Activation::kSigmoid; return true;
    case fb::Activation::Relu: *activation = Activation::kRelu; return true;
    case fb::Activation::Softmax: *activation = Activation::kSoftmax; return true;
  }
  return false;
}

Status fail_activation(fb::Activation stored, std::uint32_t index, const char* kind, ErrorText& error) {
  return fail_at(error, Status::kUnsupportedLayer, index, kind)
         << "activation " << static_cast<std::uint32_t>(stored)
         << " is unknown; this runtime knows 0..4 (identity, tanh, sigmoid, relu, softmax)";
}

Status read_gru(const fb::GruLayer& gru, std::uint32_t index, std::uint32_t input_width,
                LayerView* view, ErrorText& error) {
  const char* kind = "gru";
  const std::uint32_t I = gru.input_size();
  const std::uint32_t H = gru.hidden_size();
  Status status = check_layer_sizes(I, H, "hidden size H", input_width, index, kind, error);
  if (status != Status::kOk) return status;
  const std::uint64_t gates = 3ull * H;
  const TensorRule rules[4] = {{"W", gates, I, "3*H x I", true, 3},
                               {"R", gates, H, "3*H x H", true, 3},
                               {"bW", gates, 1, "3*H x 1", false, 3},
                               {"bR", gates, 1, "3*H x 1", false, 3}};
  const fb::Tensor* tensors[4] = {gru.w(), gru.r(), gru.bias_w(), gru.bias_r()};
  const float** targets[4] = {&view->weight, &view->recurrent, &view->bias, &view->recurrent_bias};
  fb::WeightLayout layout = gru.w() != nullptr ? gru.w()->layout() : fb::WeightLayout::RowMajor;
  for (int t = 0; t < 4; ++t) {
    status = read_tensor(tensors[t], rules[t], index, kind, &layout, targets[t], error);
    if (status != Status::kOk) return status;
  }
  view->packed = layout == fb::WeightLayout::Panel16;
  view->padded_output = view->packed ? static_cast<std::uint32_t>(round_up_to_panel(H)) : H;
  view->kind = LayerKind::kGru;
  view->input_size = I;
  view->output_size = H;
  view->reset_after = gru.reset_after();
  view->parameters = gates * I + gates * H + (view->bias ? gates : 0) + (view->recurrent_bias ? gates : 0);
  return Status::kOk;
}

Status read_dense(const fb::DenseLayer& dense, std::uint32_t index, std::uint32_t input_width,
                  LayerView* view, ErrorText& error) {
  const char* kind = "dense";
  const std::uint32_t I = dense.input_size();
  const std::uint32_t O = dense.output_size();
  Status status = check_layer_sizes(I, O, "output size O", input_width, index, kind, error);
  if (status != Status::kOk) return status;
  if (!read_activation(dense.activation(), &view->activation)) {
    return fail_activation(dense.activation(), index, kind, error);
  }
  fb::WeightLayout layout = dense.weight() != nullptr ? dense.weight()->layout() : fb::WeightLayout::RowMajor;
  status = read_tensor(dense.weight(), {"weight", O, I, "O x I", true, 1}, index, kind, &layout, &view->weight, error);
  if (status == Status::kOk) {
    status = read_tensor(dense.bias(), {"bias", O, 1, "O x 1", false, 1}, index, kind, &layout, &view->bias, error);
  }
  if (status != Status::kOk) return status;
  view->packed = layout == fb::WeightLayout::Panel16;
  view->padded_output = view->packed ? static_cast<std::uint32_t>(round_up_to_panel(O)) : O;
  view->kind = LayerKind::kDense;
  view->input_size = I;
  view->output_size = O;
  view->parameters = std::uint64_t{O} * I + (view->bias ? O : 0);
  return Status::kOk;
}

Status read_activation_layer(const fb::ActivationLayer& layer, std::uint32_t index,
                             std::uint32_t input_width, LayerView* view, ErrorText& error) {
  const char* kind = "activation";
  Status status = check_size(layer.size(), "size", index, kind, error);
  if (status == Status::kOk) status = check_input(layer.size(), input_width, index, kind, error);
  if (status != Status::kOk) return status;
  if (!read_activation(layer.activation(), &view->activation)) {
    return fail_activation(layer.activation(), index, kind, error);
  }
  view->kind = LayerKind::kActivation;
  view->input_size = layer.size();
  view->output_size = layer.size();
  view->padded_output = layer.size();
  return Status::kOk;
}

}  // namespace

Status read_layer(const fb::Layer* layer, std::uint32_t index, std::uint32_t input_width,
                  LayerView* view, ErrorText& error) noexcept {
  *view = LayerView{};
  if (layer == nullptr) {
    return error.fail(Status::kInvalidModel) << "layer " << index << " is null";
  }
  if (layer->name() != nullptr) view->name = layer->name()->c_str();
  // The verifier accepts a union whose type is set but whose table is absent,
  // and any type number: both are checked here before anything is read.
  if (layer->kind_type() == fb::LayerKind::NONE || layer->kind() == nullptr) {
    return error.fail(Status::kInvalidModel)
           << "layer " << index << " has no content (union type "
           << static_cast<std::uint32_t>(layer->kind_type()) << ", table absent)";
  }
  switch (layer->kind_type()) {
    case fb::LayerKind::GruLayer:
      return read_gru(*layer->kind_as_GruLayer(), index, input_width, view, error);
    case fb::LayerKind::DenseLayer:
      return read_dense(*layer->kind_as_DenseLayer(), index, input_width, view, error);
    case fb::LayerKind::ActivationLayer:
      return read_activation_layer(*layer->kind_as_ActivationLayer(), index, input_width, view, error);
    case fb::LayerKind::NONE:
      break;
  }
  return error.fail(Status::kUnsupportedLayer)
         << "layer " << index << " has kind " << static_cast<std::uint32_t>(layer->kind_type())
         << ", which this runtime does not know (1 gru, 2 dense, 3 activation); written by a newer grurt?";
}

}  // namespace detail
}  // namespace grurt
