// Status codes shared by the C++ and C APIs. Every failing call returns one of
// these and leaves a readable message (what, where, what was expected) in the
// object it was called on: Model::error() or Session::error().
#pragma once

namespace grurt {

// The numeric values are part of the C API (grurt.h mirrors them): append only.
enum class Status : int {
  kOk = 0,
  kNullArgument = 1,        // a required pointer was null
  kEmptyBuffer = 2,         // model buffer of 0 bytes
  kTruncated = 3,           // buffer too short to hold even the file header
  kBadIdentifier = 4,       // not a .grurt file (identifier is not "GRUT")
  kCorruptFile = 5,         // FlatBuffers verification or the file's CRC-32C failed
  kUnsupportedVersion = 6,  // format_version this runtime does not read
  kMisalignedBuffer = 7,    // model buffer or a weight array not 64-byte aligned
  kInvalidModel = 8,        // structure is wrong: no layers, zero sizes, size limits
  kUnsupportedLayer = 9,    // layer kind unknown to this runtime
  kUnsupportedTensor = 10,  // element type or layout unknown to this runtime
  kMissingTensor = 11,      // a required weight tensor is absent
  kShapeMismatch = 12,      // a tensor's shape or byte size disagrees with the layer
  kDimensionMismatch = 13,  // a layer's input size differs from the previous output
  kArenaTooSmall = 14,      // arena smaller than Model::arena_bytes()
  kArenaMisaligned = 15,    // arena not aligned to kArenaAlignment
  kNotLoaded = 16,          // model used before a successful load()
  kNotInitialized = 17,     // session used before a successful init()
  kSizeMismatch = 18,       // caller passed a count that differs from what is needed
  kIsaUnavailable = 19,     // the requested instruction set is not in this build or CPU
  kNonFiniteValue = 20,     // a NaN or infinity in weights, a checked input or a state to write
};

// Stable, short name of a status ("kShapeMismatch" -> "shape mismatch").
const char* status_name(Status status) noexcept;

}  // namespace grurt
