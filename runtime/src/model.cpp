#include "grurt/model.hpp"

#include <cstdint>

#include "arena_layout.hpp"
#include "grurt/grurt_generated.h"
#include "kernels/kernel_table.hpp"
#include "layer_reader.hpp"

static_assert(FLATBUFFERS_LITTLEENDIAN,
              "grurt reads f32 weights in place from little-endian files and needs a little-endian CPU");

namespace grurt {
namespace {

// Copies the 4 identifier bytes into printable text for a message.
void printable_identifier(const std::uint8_t* bytes, char out[5]) {
  for (int i = 0; i < 4; ++i) {
    const char c = static_cast<char>(bytes[i]);
    out[i] = (c >= 32 && c < 127) ? c : '?';
  }
  out[4] = '\0';
}

const char* string_or_empty(const flatbuffers::String* text) { return text ? text->c_str() : ""; }

}  // namespace

Status Model::load(const void* data, std::size_t size) noexcept {
  *this = Model{};
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  if (bytes == nullptr) return error_.fail(Status::kNullArgument) << "model buffer pointer is null";
  if (size == 0) return error_.fail(Status::kEmptyBuffer) << "model buffer is empty (0 bytes)";
  // Root offset (4 bytes) + identifier (4 bytes) is the least any .grurt has.
  constexpr std::size_t kHeaderBytes = 8;
  if (size < kHeaderBytes) {
    return error_.fail(Status::kTruncated)
           << "model buffer has " << static_cast<std::uint64_t>(size) << " bytes; a .grurt file has at least "
           << static_cast<std::uint64_t>(kHeaderBytes) << " (root offset and identifier 'GRUT')";
  }
  if (!fb::ModelBufferHasIdentifier(bytes)) {
    char found[5];
    printable_identifier(bytes + 4, found);
    return error_.fail(Status::kBadIdentifier)
           << "file identifier is '" << found << "' at byte 4, expected 'GRUT': not a .grurt model file";
  }
  const auto address = reinterpret_cast<std::uintptr_t>(bytes);
  if (address % kModelAlignment != 0) {
    return error_.fail(Status::kMisalignedBuffer)
           << "model buffer address is not " << static_cast<std::uint32_t>(kModelAlignment)
           << "-byte aligned (address mod " << static_cast<std::uint32_t>(kModelAlignment) << " = "
           << static_cast<std::uint64_t>(address % kModelAlignment)
           << "); load from an alignas(64) array or a mapped file";
  }
  // The verifier asserts (aborts in debug builds) on buffers of 2 GiB or more.
  if (size >= FLATBUFFERS_MAX_BUFFER_SIZE) {
    return error_.fail(Status::kInvalidModel)
           << "model buffer has " << static_cast<std::uint64_t>(size) << " bytes; the format's limit is "
           << static_cast<std::uint64_t>(FLATBUFFERS_MAX_BUFFER_SIZE - 1);
  }
  flatbuffers::Verifier verifier(bytes, size);
  if (!fb::VerifyModelBuffer(verifier)) {
    return error_.fail(Status::kCorruptFile)
           << "FlatBuffers verification failed for the " << static_cast<std::uint64_t>(size)
           << "-byte buffer: the file is truncated or corrupted (an offset or length points outside it)";
  }
  const fb::Model* root = fb::GetModel(bytes);
  if (root->format_version() == 0 || root->format_version() > kFormatVersion) {
    return error_.fail(Status::kUnsupportedVersion)
           << "format version " << root->format_version() << "; this runtime reads 1.." << kFormatVersion;
  }
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
  std::size_t padded_state = 0;
  max_width_ = input_size_;
  // Scratch vectors are whole panels long: SIMD kernels work on full vectors.
  auto padded = [](std::uint32_t n) { return static_cast<std::uint32_t>(round_up_to_panel(n)); };
  for (std::uint32_t i = 0; i < num_layers_; ++i) {
    LayerView view;
    const Status status = detail::read_layer(layers->Get(i), i, width, &view, error_);
    if (status != Status::kOk) return status;
    width = view.output_size;
    if (padded(width) > max_width_) max_width_ = padded(width);
    parameters_ += view.parameters;
    if (i == 0 && view.kind == LayerKind::kGru && view.packed) {
      run_floats_ = std::size_t{kernels::kMaxGemmSteps} * 3 * view.padded_output;
    }
    if (view.kind == LayerKind::kGru) {
      state_size_ += view.output_size;
      padded_state += detail::padded_floats(view.output_size);
      if (padded(view.output_size) > max_hidden_) max_hidden_ = padded(view.output_size);
    }
  }
  max_width_ = padded(max_width_);
  if (width != output_size_) {
    return error_.fail(Status::kDimensionMismatch)
           << "model output size is " << output_size_ << ", but the last layer (" << num_layers_ - 1
           << ") outputs " << width;
  }
  arena_bytes_ = detail::arena_layout(num_layers_, max_hidden_, max_width_, run_floats_, padded_state).total;
  return Status::kOk;
}

LayerView Model::layer(std::uint32_t index) const noexcept {
  LayerView view;
  if (root_ == nullptr || index >= num_layers_) return view;
  // Already checked by load(); re-reading keeps Model small and fixed-size.
  ErrorText unused;
  std::uint32_t width = input_size_;
  for (std::uint32_t i = 0; i <= index; ++i) {
    detail::read_layer(root_->layers()->Get(i), i, width, &view, unused);
    width = view.output_size;
  }
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

}  // namespace grurt
