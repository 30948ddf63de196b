#include "tensor_reader.hpp"

#include <limits>

#include "alignment.hpp"
#include "finite_values.hpp"
#include "grurt/half_float.hpp"
#include "kernels/kernel_table.hpp"

namespace grurt {
namespace detail {
namespace {

// read_activation converts by value.
static_assert(static_cast<int>(fb::Activation::Identity) == static_cast<int>(Activation::kIdentity) &&
                  static_cast<int>(fb::Activation::Tanh) == static_cast<int>(Activation::kTanh) &&
                  static_cast<int>(fb::Activation::Sigmoid) == static_cast<int>(Activation::kSigmoid) &&
                  static_cast<int>(fb::Activation::Relu) == static_cast<int>(Activation::kRelu) &&
                  static_cast<int>(fb::Activation::Softmax) == static_cast<int>(Activation::kSoftmax),
              "the schema's activations and the runtime's have the same values");
// Element types convert by value too (an unknown one keeps its number, and
// element_type_name() calls it "unknown").
static_assert(static_cast<int>(fb::ElementType::F32) == static_cast<int>(ElementType::kF32) &&
                  static_cast<int>(fb::ElementType::F16) == static_cast<int>(ElementType::kF16) &&
                  static_cast<int>(fb::ElementType::I8) == static_cast<int>(ElementType::kI8),
              "the schema's element types and the runtime's have the same values");

ElementType element_type_of(const fb::Tensor& tensor) { return static_cast<ElementType>(tensor.element_type()); }

// Index of the first NaN or infinity among `count` values of `type`, or count
// (i8 values are all finite).
std::uint64_t first_non_finite_of(const void* values, ElementType type, std::uint64_t count) {
  if (type == ElementType::kI8) return count;
  if (type == ElementType::kF32) {
    return first_non_finite(static_cast<const float*>(values), static_cast<std::size_t>(count));
  }
  const auto* halves = static_cast<const kernels::Half*>(values);
  for (std::uint64_t i = 0; i < count; ++i) {
    if (!half_is_finite(halves[i])) return i;
  }
  return count;
}

float value_at(const void* values, ElementType type, std::uint64_t i) {
  if (type == ElementType::kF32) return static_cast<const float*>(values)[i];
  return half_to_float(static_cast<const kernels::Half*>(values)[i]);
}

// Matrices may be f32, f16 (widened as they are read) or i8 (with row
// scales); vectors (biases, initial states, peepholes) are added to float sums
// as they are: f32 only.
Status check_element_type(const fb::Tensor& tensor, const TensorRule& rule, bool matrix, const ReadContext& at,
                          const char* kind, ErrorText& error) {
  const ElementType type = element_type_of(tensor);
  if (matrix && type == ElementType::kI8) {
    if (tensor.row_scales() != nullptr) return Status::kOk;
    return fail_at(error, Status::kInvalidModel, at, kind)
           << "tensor " << rule.name << " is i8 but has no row scales; expected one per stored row";
  }
  if (type == ElementType::kF32 || (matrix && type == ElementType::kF16)) {
    if (tensor.row_scales() == nullptr) return Status::kOk;
    return fail_at(error, Status::kUnsupportedTensor, at, kind)
           << "tensor " << rule.name << " is " << element_type_name(type) << " but has " << tensor.row_scales()->size()
           << " row scales; only i8 tensors have row scales";
  }
  return fail_at(error, Status::kUnsupportedTensor, at, kind)
         << "tensor " << rule.name << " has element type " << static_cast<std::uint32_t>(type) << " ("
         << element_type_name(type) << "); this runtime reads "
         << (matrix ? "weight matrices as f32 (0), f16 (1) or i8 (2)" : "biases and states as f32 (0) only");
}

// f32 and f16 matrices and all vectors are Panel16; i8 matrices Panel16x4.
Status check_layout(const fb::Tensor& tensor, const TensorRule& rule, const ReadContext& at, const char* kind,
                    ErrorText& error) {
  const bool i8 = element_type_of(tensor) == ElementType::kI8;
  const fb::WeightLayout expected = i8 ? fb::WeightLayout::Panel16x4 : fb::WeightLayout::Panel16;
  if (tensor.layout() == expected) return Status::kOk;
  if (tensor.layout() == fb::WeightLayout::RowMajor) {
    // grurt 0.1.0 wrote row-major files only when asked to; running them
    // would need a second set of kernels, so they are refused, not misread.
    return fail_at(error, Status::kUnsupportedTensor, at, kind)
           << "tensor " << rule.name
           << " is row-major (layout 0); this runtime reads panel16 (layout 1) only: convert the model again "
              "with grurt-convert";
  }
  return fail_at(error, Status::kUnsupportedTensor, at, kind)
         << "tensor " << rule.name << " (" << element_type_name(element_type_of(tensor)) << ") has layout "
         << static_cast<std::uint32_t>(tensor.layout()) << "; this runtime reads "
         << (i8 ? "i8 tensors as panel16x4 (2)" : "f32 and f16 tensors as panel16 (1)") << " only";
}

// An i8 matrix's row scales: one per stored row (count checked always, O(1));
// each finite and positive, and no weight -128 (the kernels negate weights),
// checked when the model is first read.
Status check_int8(const fb::Tensor& tensor, const TensorRule& rule, std::uint64_t stored_rows,
                  std::uint64_t stored_bytes, const ReadContext& at, const char* kind, ErrorText& error) {
  const auto& scales = *tensor.row_scales();
  if (scales.size() != stored_rows) {
    return fail_at(error, Status::kShapeMismatch, at, kind)
           << "tensor " << rule.name << " has " << scales.size() << " row scales, expected one per stored row: "
           << stored_rows << " (" << rule.formula << " rows, each block padded to whole 16-row panels)";
  }
  if (!at.first_read) return Status::kOk;
  for (std::uint32_t i = 0; i < scales.size(); ++i) {
    const float scale = scales[i];
    if (!(scale > 0.0f && scale <= std::numeric_limits<float>::max())) {
      auto& message = fail_at(error, Status::kNonFiniteValue, at, kind)
                      << "tensor " << rule.name << " row scale " << i << " is ";
      message << (scale == 0.0f ? "0" : scale < 0.0f ? "negative" : non_finite_name(scale));
      return message << "; row scales must be finite and positive";
    }
  }
  const auto* q = reinterpret_cast<const std::int8_t*>(tensor.data()->data());
  for (std::uint64_t i = 0; i < stored_bytes; ++i) {
    if (q[i] == -128) {
      return fail_at(error, Status::kInvalidModel, at, kind)
             << "tensor " << rule.name << " byte " << i << " is -128; i8 weights are in -127..127";
    }
  }
  return Status::kOk;
}

// Checks everything but the values; on success `values` points at the data.
Status check_tensor(const fb::Tensor& tensor, const TensorRule& rule, bool matrix, const ReadContext& at,
                    const char* kind, const void** values, ErrorText& error) {
  Status status = check_element_type(tensor, rule, matrix, at, kind, error);
  if (status != Status::kOk) return status;
  const ElementType type = element_type_of(tensor);
  status = check_layout(tensor, rule, at, kind, error);
  if (status != Status::kOk) return status;
  if (tensor.row_blocks() != rule.blocks) {
    return fail_at(error, Status::kShapeMismatch, at, kind)
           << "tensor " << rule.name << " has " << tensor.row_blocks() << " row blocks, expected " << rule.blocks;
  }
  if (tensor.rows() != rule.rows || tensor.cols() != rule.cols) {
    return fail_at(error, Status::kShapeMismatch, at, kind)
           << "tensor " << rule.name << " is [" << tensor.rows() << " x " << tensor.cols() << "], expected ["
           << rule.formula << "] = [" << rule.rows << " x " << rule.cols << "]";
  }
  const auto* bytes = tensor.data();
  // Each block's rows padded to whole panels.
  const std::uint64_t stored_rows = rule.blocks * round_up_to_panel(rule.rows / rule.blocks);
  const bool i8 = type == ElementType::kI8;  // and each row's columns padded to groups of 4
  const std::uint64_t stored_cols = i8 ? int8_padded_columns(static_cast<std::uint32_t>(rule.cols)) : rule.cols;
  const std::uint64_t expected_elements = stored_rows * stored_cols;
  const std::uint64_t stored_bytes = bytes == nullptr ? 0 : bytes->size();
  const std::uint64_t size = element_bytes(type);
  const char* type_name = element_type_name(type);
  if (stored_bytes != expected_elements * size) {
    auto& message = fail_at(error, Status::kShapeMismatch, at, kind)
                    << "tensor " << rule.name << " holds " << stored_bytes << " bytes";
    if (stored_bytes % size == 0) message << " = " << stored_bytes / size << " " << type_name;
    return message << ", expected " << (i8 ? "panel16x4 " : "panel16 ") << rule.formula << " = " << expected_elements
                   << " " << type_name << " (" << expected_elements * size << " bytes)";
  }
  if (i8) {
    status = check_int8(tensor, rule, stored_rows, stored_bytes, at, kind, error);
    if (status != Status::kOk) return status;
  }
  if (misalignment(bytes->data()) != 0) {
    return not_aligned(fail_at(error, Status::kMisalignedBuffer, at, kind) << "tensor " << rule.name << " data ",
                       bytes->data());
  }
  // Weights are stored little-endian (f32, or f16 bit patterns) and read in
  // place (see the static assert in model.cpp).
  const void* data = bytes->data();
  if (at.first_read) {
    // A NaN or infinity in a weight would poison every stream's state on its
    // first step: refuse the file instead of running a silently broken model.
    const std::uint64_t bad = first_non_finite_of(data, type, expected_elements);
    if (bad != expected_elements) {
      return fail_at(error, Status::kNonFiniteValue, at, kind)
             << "tensor " << rule.name << " value " << bad << " (of " << expected_elements << " stored) is "
             << non_finite_name(value_at(data, type, bad)) << "; weights must be finite";
    }
  }
  *values = data;
  return Status::kOk;
}

Status check_present(const fb::Tensor* tensor, const TensorRule& rule, const ReadContext& at, const char* kind,
                     ErrorText& error) {
  if (tensor != nullptr || !rule.required) return Status::kOk;
  return fail_at(error, Status::kMissingTensor, at, kind)
         << "tensor " << rule.name << " is missing; expected [" << rule.formula << "] = [" << rule.rows << " x "
         << rule.cols << "] f32";
}

}  // namespace

ErrorText& fail_at(ErrorText& error, Status status, const ReadContext& at, const char* kind) {
  return error.fail(status) << "layer " << at.index << " (" << kind << "): ";
}

Status read_matrix(const fb::Tensor* tensor, const TensorRule& rule, const ReadContext& at, const char* kind,
                   WeightView* matrix, ErrorText& error) {
  *matrix = WeightView{};
  Status status = check_present(tensor, rule, at, kind, error);
  if (status != Status::kOk || tensor == nullptr) return status;
  const void* values = nullptr;
  status = check_tensor(*tensor, rule, true, at, kind, &values, error);
  if (status != Status::kOk) return status;
  matrix->data = values;
  matrix->type = element_type_of(*tensor);
  if (tensor->row_scales() != nullptr) matrix->row_scales = tensor->row_scales()->data();
  matrix->rows = tensor->rows();
  matrix->cols = tensor->cols();
  matrix->panels = static_cast<std::uint32_t>(rule.blocks * round_up_to_panel(rule.rows / rule.blocks) / kPanelRows);
  return Status::kOk;
}

Status read_vector(const fb::Tensor* tensor, const TensorRule& rule, const ReadContext& at, const char* kind,
                   const float** values, ErrorText& error) {
  *values = nullptr;
  Status status = check_present(tensor, rule, at, kind, error);
  if (status != Status::kOk || tensor == nullptr) return status;
  const void* data = nullptr;
  status = check_tensor(*tensor, rule, false, at, kind, &data, error);
  if (status == Status::kOk) *values = static_cast<const float*>(data);
  return status;
}

Status check_size(std::uint32_t value, const char* what, const ReadContext& at, const char* kind, ErrorText& error) {
  if (value == 0 || value > kMaxDimension) {
    return fail_at(error, Status::kInvalidModel, at, kind) << what << " is " << value << "; expected 1.." << kMaxDimension;
  }
  return Status::kOk;
}

Status check_input(std::uint32_t declared, const ReadContext& at, const char* kind, ErrorText& error) {
  if (!at.first_read || declared == at.input_width) return Status::kOk;
  auto& message = fail_at(error, Status::kDimensionMismatch, at, kind) << "input size " << declared << ", but ";
  if (at.index == 0) return message << "the model input size is " << at.input_width;
  return message << "layer " << at.index - 1 << " outputs " << at.input_width;
}

Status check_layer_sizes(std::uint32_t input, std::uint32_t output, const char* output_name, const ReadContext& at,
                         const char* kind, ErrorText& error) {
  Status status = check_size(input, "input size I", at, kind, error);
  if (status == Status::kOk) status = check_size(output, output_name, at, kind, error);
  if (status == Status::kOk) status = check_input(input, at, kind, error);
  return status;
}

Status read_activation(fb::Activation stored, unsigned allowed, const ReadContext& at, const char* kind,
                       Activation* activation, ErrorText& error) {
  const auto value = static_cast<std::uint32_t>(stored);
  if (value > static_cast<std::uint32_t>(Activation::kSoftmax)) {
    return fail_at(error, Status::kUnsupportedLayer, at, kind)
           << "activation " << value << " is unknown; this runtime knows 0..4 (identity, tanh, sigmoid, relu, softmax)";
  }
  // The schema's Activation values are the runtime's, in the same order.
  *activation = static_cast<Activation>(value);
  if ((allowed >> value) & 1u) return Status::kOk;
  auto& message = fail_at(error, Status::kUnsupportedLayer, at, kind)
                  << "activation " << activation_name(*activation) << " is not one this layer kind runs (";
  bool first = true;
  for (std::uint32_t a = 0; a <= static_cast<std::uint32_t>(Activation::kSoftmax); ++a) {
    if (!((allowed >> a) & 1u)) continue;
    message << (first ? "" : ", ") << activation_name(static_cast<Activation>(a));
    first = false;
  }
  return message << ")";
}

}  // namespace detail
}  // namespace grurt
