#include "grurt/model.hpp"

#include <cstdint>

#include "buffer_check.hpp"
#include "grurt/grurt_generated.h"
#include "layers/layer_kind.hpp"
#include "session_arena.hpp"

static_assert(FLATBUFFERS_LITTLEENDIAN,
              "grurt reads f32 weights in place from little-endian files and needs a little-endian CPU");

namespace grurt {
namespace {

const char* string_or_empty(const flatbuffers::String* text) { return text ? text->c_str() : ""; }

}  // namespace

Status Model::load(const void* data, std::size_t size, const LoadOptions& options) noexcept {
  *this = Model{};
  const fb::Model* root = nullptr;
  const Status checked = detail::check_buffer(data, size, options, &root, &integrity_, error_);
  if (checked != Status::kOk) return checked;
  format_version_ = root->format_version();
  root_ = root;
  const Status status = check_layers();
  if (status != Status::kOk) {
    root_ = nullptr;
    return status;
  }
  error_.clear();
  return Status::kOk;
}

// Checks and scans every layer once; layer(i) later only decodes.
Status Model::check_layers() noexcept {
  const auto* layers = root_->layers();
  if (layers == nullptr || layers->size() == 0) {
    return error_.fail(Status::kInvalidModel) << "model has no layers";
  }
  input_size_ = root_->input_size();
  output_size_ = root_->output_size();
  if (input_size_ == 0 || input_size_ > kMaxDimension) {
    return error_.fail(Status::kInvalidModel)
           << "model input size is " << input_size_ << "; expected 1.." << kMaxDimension;
  }
  num_layers_ = layers->size();
  std::uint32_t width = input_size_;
  for (std::uint32_t i = 0; i < num_layers_; ++i) {
    LayerView view;
    const Status status = detail::read_layer(layers->Get(i), {i, width, true}, &view, error_);
    if (status != Status::kOk) return status;
    width = view.output_size;
    parameters_ += view.parameters;
  }
  if (width != output_size_) {
    return error_.fail(Status::kDimensionMismatch)
           << "model output size is " << output_size_ << ", but the last layer (" << num_layers_ - 1
           << ") outputs " << width;
  }
  const Status skip = check_skip();
  if (skip != Status::kOk) return skip;
  const detail::ArenaLayout arena = detail::plan_arena(*this);
  arena_bytes_ = arena.total;
  state_size_ = arena.state_floats;
  return Status::kOk;
}

// The skip must read an existing source wide enough for output_size channels
// from first_channel: a file that disagrees is refused here, never read past.
// Kept small (32-bit arithmetic, short messages): it ships in firmware.
Status Model::check_skip() noexcept {
  const fb::Skip* skip = root_->skip();
  if (skip == nullptr) return Status::kOk;
  const auto source = static_cast<std::uint32_t>(skip->source());
  const std::uint32_t from = skip->layer(), first = skip->first_channel();
  std::uint32_t width = input_size_;
  if (source == static_cast<std::uint32_t>(fb::SkipSource::LayerOutput)) {
    if (from >= num_layers_ - 1) {
      return error_.fail(Status::kInvalidModel)
             << "skip reads layer " << from << "; it must be a layer before the last (" << num_layers_ - 1 << ")";
    }
    width = layer(from).output_size;
  } else if (source != static_cast<std::uint32_t>(fb::SkipSource::ModelInput)) {
    return error_.fail(Status::kInvalidModel) << "skip source " << source << " is unknown to this runtime";
  }
  if (first > width || output_size_ > width - first) {
    return error_.fail(Status::kDimensionMismatch)
           << "skip adds " << output_size_ << " channels from channel " << first << " of a source of width " << width;
  }
  skip_.present = true;
  skip_.from_input = source == static_cast<std::uint32_t>(fb::SkipSource::ModelInput);
  skip_.layer = skip_.from_input ? 0 : from;
  skip_.first_channel = first;
  return Status::kOk;
}

LayerView Model::layer(std::uint32_t index) const noexcept {
  LayerView view;
  if (root_ == nullptr || index >= num_layers_) return view;
  ErrorText unused;  // load() accepted this layer: decoding it cannot fail
  detail::read_layer(root_->layers()->Get(index), {index, 0, false}, &view, unused);
  return view;
}

const char* Model::producer() const noexcept {
  return root_ && root_->metadata() ? string_or_empty(root_->metadata()->producer()) : "";
}
const char* Model::source() const noexcept {
  return root_ && root_->metadata() ? string_or_empty(root_->metadata()->source()) : "";
}
const char* Model::description() const noexcept {
  return root_ && root_->metadata() ? string_or_empty(root_->metadata()->description()) : "";
}

std::size_t Model::arena_bytes_for_block(std::uint32_t block_steps) const noexcept {
  if (!loaded() || block_steps == 0 || block_steps > 8) return 0;
  return detail::plan_arena(*this, 0, block_steps).total;
}

}  // namespace grurt
