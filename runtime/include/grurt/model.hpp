// grurt::Model: a read-only, verified view over a .grurt buffer.
#pragma once

#include <cstddef>
#include <cstdint>

#include "grurt/error_text.hpp"
#include "grurt/load_options.hpp"
#include "grurt/status.hpp"

namespace grurt {

namespace fb {
struct Model;
}

// Alignment the model buffer and the session arena must have: weights are
// read in place and kernels may use aligned vector loads.
constexpr std::size_t kModelAlignment = 64;
// The newest file format version this runtime reads (schema/grurt.fbs).
constexpr std::uint32_t kFormatVersion = 1;
// Largest accepted input, hidden or output size: keeps every size computation
// far from overflow on 32-bit targets.
constexpr std::uint32_t kMaxDimension = 1u << 20;

// One value per layer kind this runtime runs (runtime/src/layers/layer_kinds.cpp
// lists them with the code of each); append only.
enum class LayerKind { kGru, kDense, kActivation, kRnn, kLstm };
enum class Activation { kIdentity, kTanh, kSigmoid, kRelu, kSoftmax };
// A GRU's (r, z) or LSTM's (i, f, o) gate activation (schema GateActivation):
// the logistic sigmoid, or clip(slope * x + offset, 0, 1) as Keras's hard_sigmoid.
enum class GateActivation { kSigmoid, kHardSigmoid };

const char* layer_kind_name(LayerKind kind) noexcept;
const char* activation_name(Activation activation) noexcept;

// How a weight matrix's numbers are stored (schema ElementType): f32, or f16
// (IEEE half, widened to f32 as the kernels read it); int8 (with row scales)
// is reserved. Biases and states are always f32.
enum class ElementType { kF32 = 0, kF16 = 1, kI8 = 2 };
constexpr int kElementTypeCount = 3;
const char* element_type_name(ElementType type) noexcept;  // "f32", "f16", "i8"
constexpr std::uint32_t element_bytes(ElementType type) noexcept {
  return type == ElementType::kF32 ? 4 : type == ElementType::kF16 ? 2 : 1;
}

// Rows of a packed weight panel (WeightLayout Panel16 in schema/grurt.fbs).
constexpr std::uint32_t kPanelRows = 16;
// `n` rounded up to whole panels: the stored rows of a packed gate block.
constexpr std::uint64_t round_up_to_panel(std::uint64_t n) noexcept {
  return (n + kPanelRows - 1) / kPanelRows * kPanelRows;
}
// I8 matrices (WeightLayout Panel16x4) keep each row's columns in groups of 4,
// zero-padded to a whole group: the stored columns of `cols`.
constexpr std::uint32_t kInt8GroupColumns = 4;
constexpr std::uint32_t int8_padded_columns(std::uint32_t cols) noexcept {
  return (cols + kInt8GroupColumns - 1) / kInt8GroupColumns * kInt8GroupColumns;
}

// A packed weight matrix inside the model buffer: `rows` logical rows (each
// row block padded to whole 16-row panels, see schema/grurt.fbs Panel16) of
// `cols` values of `type`; quantized types have one scale per stored row.
struct WeightView {
  const void* data = nullptr;  // null: the tensor is absent
  ElementType type = ElementType::kF32;
  const float* row_scales = nullptr;  // quantized types only
  std::uint32_t rows = 0;
  std::uint32_t cols = 0;
  std::uint32_t panels = 0;  // stored 16-row panels, every row block's padding included

  explicit operator bool() const noexcept { return data != nullptr; }
  // The f32 values, or null when the matrix is absent or of another type.
  const float* f32() const noexcept {
    return type == ElementType::kF32 ? static_cast<const float*>(data) : nullptr;
  }
};

// What a layer is, for tools and for planning a session. Pointers point into
// the model buffer. Weights are packed in 16-row k-major panels, each gate
// block (GRU) or the whole output padded to padded_output rows; biases are
// f32 vectors padded the same way (null means zeros).
struct LayerView {
  LayerKind kind = LayerKind::kGru;
  std::uint32_t input_size = 0;
  std::uint32_t output_size = 0;    // GRU and RNN: hidden size H; LSTM: h's size, P or H
  std::uint32_t padded_output = 0;  // output_size rounded up to whole panels
  bool reset_after = true;          // GRU only
  Activation activation = Activation::kIdentity;  // Dense, Activation; RNN: tanh or relu; GRU: candidate n, tanh or relu
  GateActivation gate_activation = GateActivation::kSigmoid;  // GRU: r and z; LSTM: i, f and o
  float hard_sigmoid_slope = 0.2f;   // GRU and LSTM with kHardSigmoid gates only
  float hard_sigmoid_offset = 0.5f;  // GRU and LSTM with kHardSigmoid gates only
  const char* name = "";            // optional name stored in the file
  WeightView weight;                // GRU: W [3H x I]; LSTM: W [4H x I]; RNN: W [H x I]; Dense: [O x I]
  WeightView recurrent;             // GRU: R [3H x H]; LSTM: R [4H x P]; RNN: R [H x H]
  const float* bias = nullptr;      // GRU: bW [3H]; RNN: bW [H]; Dense: [O]
  const float* recurrent_bias = nullptr;  // GRU: bR [3H]; RNN: bR [H]
  std::uint32_t cell_size = 0;      // LSTM only: H, the size of c (output_size is P with a projection)
  const float* peephole = nullptr;  // LSTM only, optional: p_i, p_f, p_o [3H]
  WeightView projection;            // LSTM only, optional: [P x H] (empty: h is o * tanh(c'))
  // Recurrent kinds, optional: the layer's state after Session::init() and
  // reset(), its state vectors one after the other (GRU, RNN: h [H]; LSTM:
  // h [P or H] then c [H]); null means zeros.
  const float* initial_state = nullptr;
  std::uint64_t parameters = 0;     // number of stored weights and biases
};

// A model-level skip connection (schema/grurt.fbs, table Skip): after the
// last layer, output[j] += source[first_channel + j] for every output j, the
// source being the step's model input or the output of layer `layer`.
struct SkipView {
  bool present = false;     // false: no skip (the other fields are unused)
  bool from_input = true;   // true: the model input; false: layer `layer`'s output
  std::uint32_t layer = 0;
  std::uint32_t first_channel = 0;
};

// Loading never copies the buffer: it must stay alive and unchanged while the
// model (and any session made from it) is used. A loaded model is immutable
// and may be shared by any number of sessions on any number of threads.
class Model {
 public:
  // Verifies the buffer (FlatBuffers verifier), then its CRC-32C when the file
  // has one (a mismatch is Status::kCorruptFile, the message giving the stored
  // and the computed value), and checks every shape, size, layer-to-layer
  // dimension, element type and alignment. On failure returns the status,
  // leaves the model unloaded and error() says what and where. `data` must be
  // 64-byte aligned (kModelAlignment) and `size` the file's exact length.
  Status load(const void* data, std::size_t size) noexcept { return load(data, size, LoadOptions{}); }
  // The same with the checksum check turned off or made mandatory (load_options.hpp).
  Status load(const void* data, std::size_t size, const LoadOptions& options) noexcept;

  bool loaded() const noexcept { return root_ != nullptr; }
  const char* error() const noexcept { return error_.message(); }
  Status status() const noexcept { return error_.status(); }
  // The file's integrity field as the last load() found it (also after it
  // refused a checksum mismatch).
  const Integrity& integrity() const noexcept { return integrity_; }

  std::uint32_t format_version() const noexcept { return format_version_; }
  std::uint32_t input_size() const noexcept { return input_size_; }
  std::uint32_t output_size() const noexcept { return output_size_; }
  std::uint32_t num_layers() const noexcept { return num_layers_; }
  // Layer i (0 <= i < num_layers()); an empty view if out of range. O(1):
  // load() already checked and scanned every layer.
  LayerView layer(std::uint32_t index) const noexcept;

  // Exact size in bytes of the arena a Session of this model needs.
  std::size_t arena_bytes() const noexcept { return arena_bytes_; }
  // The arena a Session needs in a build of this runtime whose run() block is
  // `block_steps` steps (8 on hosts, 1 on microcontrollers: Cortex-M builds
  // keep one step's buffers), with this build's pointer size: an upper bound
  // for 32-bit targets, for code generators that write one (grurt-convert
  // --emit-c). 0 when not loaded or block_steps is 0 or above 8.
  std::size_t arena_bytes_for_block(std::uint32_t block_steps) const noexcept;
  // Number of floats of recurrent state (every recurrent layer's, in layer order).
  std::size_t state_size() const noexcept { return state_size_; }
  std::uint64_t parameters() const noexcept { return parameters_; }
  // The skip connection (present == false when the file has none).
  SkipView skip() const noexcept { return skip_; }

  // Metadata strings from the file ("" when absent).
  const char* producer() const noexcept;
  const char* source() const noexcept;
  const char* description() const noexcept;

 private:
  Status check_layers() noexcept;
  Status check_skip() noexcept;

  const fb::Model* root_ = nullptr;
  std::uint32_t format_version_ = 0;
  std::uint32_t input_size_ = 0;
  std::uint32_t output_size_ = 0;
  std::uint32_t num_layers_ = 0;
  std::size_t state_size_ = 0;
  std::size_t arena_bytes_ = 0;
  std::uint64_t parameters_ = 0;
  SkipView skip_;
  Integrity integrity_;
  ErrorText error_;
};

}  // namespace grurt
