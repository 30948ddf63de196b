#include "buffer_check.hpp"
#include "finite_values.hpp"
#include "grurt/integer_session.hpp"
#include "grurt/model.hpp"
#include "integer/fixed_point.hpp"
#include "integer/integer_plan.hpp"

namespace grurt {
namespace {

// Positive and finite, tested on the bits: no float operation (soft-float
// cores would link an emulation routine for a compare).
bool positive_finite(float value) {
  const std::uint32_t bits = detail::float_bits(value);
  return bits != 0 && (bits >> 31) == 0 && detail::is_finite(value);
}

}  // namespace

Status IntegerModel::load(const void* data, std::size_t size, const LoadOptions& options) noexcept {
  *this = IntegerModel{};
  const fb::Model* root = nullptr;
  Integrity integrity;  // the message says what a refusal found; nothing keeps it
  const Status checked = detail::check_buffer(data, size, options, &root, &integrity, error_);
  if (checked != Status::kOk) return checked;
  if (root->integer() == nullptr) {
    return error_.fail(Status::kMissingTensor)
           << "the model has no integer plan: convert it with grurt-convert --activations int16";
  }
  root_ = root;
  const Status status = check_layers();
  if (status != Status::kOk) {
    root_ = nullptr;  // the message check_layers() wrote stays in error_
    return status;
  }
  error_.clear();
  return Status::kOk;
}

Status IntegerModel::check_layers() noexcept {
  const auto* layers = root_->layers();
  const auto* plan_layers = root_->integer()->layers();
  if (layers == nullptr || layers->size() == 0) return error_.fail(Status::kInvalidModel) << "model has no layers";
  if (plan_layers == nullptr || plan_layers->size() != layers->size()) {
    return error_.fail(Status::kInvalidModel)
           << "the integer plan has " << (plan_layers ? plan_layers->size() : 0u) << " layers; the model has "
           << layers->size();
  }
  if (!positive_finite(root_->integer()->input_scale()) || !positive_finite(root_->integer()->output_scale())) {
    return error_.fail(Status::kInvalidModel) << "the integer plan's input and output scales must be finite and > 0";
  }
  if (root_->skip() != nullptr) {
    return error_.fail(Status::kUnsupportedLayer) << "the model has a skip connection; the integer path has none";
  }
  input_size_ = root_->input_size();
  output_size_ = root_->output_size();
  if (input_size_ == 0 || input_size_ > kMaxDimension) {
    return error_.fail(Status::kInvalidModel) << "model input size is " << input_size_ << "; expected 1.."
                                              << kMaxDimension;
  }
  num_layers_ = layers->size();
  std::uint32_t width = input_size_;
  for (std::uint32_t i = 0; i < num_layers_; ++i) {
    integer::LayerPlan plan;
    const Status status = integer::read_layer_plan(*root_, i, width, true, &plan, error_);
    if (status != Status::kOk) return status;
    width = plan.output_size;
    state_size_ += plan.state_values();
  }
  if (width != output_size_) {
    return error_.fail(Status::kDimensionMismatch)
           << "model output size is " << output_size_ << ", but the last layer outputs " << width;
  }
  arena_bytes_ = integer::lay_out_arena(*root_, nullptr, nullptr);
  return Status::kOk;
}

int IntegerModel::state_fraction_bits(std::size_t index) const noexcept {
  if (root_ == nullptr) return -1;
  ErrorText unused;  // load() checked every layer
  for (std::uint32_t l = 0; l < num_layers_; ++l) {
    integer::LayerPlan plan;
    integer::read_layer_plan(*root_, l, 0, false, &plan, unused);
    if (index < plan.output_size && plan.recurrent_kind()) return integer::kStateFractionBits;
    if (index < plan.state_values()) return integer::kCellFractionBits;  // an LSTM's c, after its h
    index -= plan.state_values();
  }
  return -1;
}

float IntegerModel::input_scale() const noexcept { return root_ ? root_->integer()->input_scale() : 0.0f; }
float IntegerModel::output_scale() const noexcept { return root_ ? root_->integer()->output_scale() : 0.0f; }

}  // namespace grurt
