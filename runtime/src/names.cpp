// Human-readable names used in messages and by the tools.
#include "grurt/model.hpp"
#include "grurt/status.hpp"

namespace grurt {

const char* status_name(Status status) noexcept {
  switch (status) {
    case Status::kOk: return "ok";
    case Status::kNullArgument: return "null argument";
    case Status::kEmptyBuffer: return "empty buffer";
    case Status::kTruncated: return "truncated";
    case Status::kBadIdentifier: return "bad identifier";
    case Status::kCorruptFile: return "corrupt file";
    case Status::kUnsupportedVersion: return "unsupported version";
    case Status::kMisalignedBuffer: return "misaligned buffer";
    case Status::kInvalidModel: return "invalid model";
    case Status::kUnsupportedLayer: return "unsupported layer";
    case Status::kUnsupportedTensor: return "unsupported tensor";
    case Status::kMissingTensor: return "missing tensor";
    case Status::kShapeMismatch: return "shape mismatch";
    case Status::kDimensionMismatch: return "dimension mismatch";
    case Status::kArenaTooSmall: return "arena too small";
    case Status::kArenaMisaligned: return "arena misaligned";
    case Status::kNotLoaded: return "model not loaded";
    case Status::kNotInitialized: return "session not initialized";
    case Status::kSizeMismatch: return "size mismatch";
    case Status::kIsaUnavailable: return "isa unavailable";
    case Status::kNonFiniteValue: return "non-finite value";
  }
  return "unknown status";
}

const char* activation_name(Activation activation) noexcept {
  switch (activation) {
    case Activation::kIdentity: return "identity";
    case Activation::kTanh: return "tanh";
    case Activation::kSigmoid: return "sigmoid";
    case Activation::kRelu: return "relu";
    case Activation::kSoftmax: return "softmax";
  }
  return "unknown";
}

const char* element_type_name(ElementType type) noexcept {
  switch (type) {
    case ElementType::kF32: return "f32";
    case ElementType::kF16: return "f16";
    case ElementType::kI8: return "i8";
  }
  return "unknown";
}

}  // namespace grurt
