// A trained model described in its source's own terms: which tensor slices
// are which gate, how its update and reset are written. Layout recognition,
// mapping files and readers that know the architecture (SourceFile::declared)
// produce it; canonicalisation turns it into the canonical model (gate order
// r, z, n; h' = z*h + (1-z)*n).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "grurt/model.hpp"
#include "grurt_convert/canonical_model.hpp"
#include "grurt_convert/tensor_map.hpp"

namespace grurt::convert {

// rows x cols block of a named tensor starting at (row, col), in the stored
// tensor's coordinates; a 1-D tensor is a column (cols = 1). A transposed
// slice is used as the block's transpose, a [cols x rows] matrix: Keras stores
// kernels as [I, 3H] where grurt wants [3H, I], and ONNX packs both biases in
// one [1, 6H] row (two transposed slices of one tensor give bW and bR).
struct TensorSlice {
  std::string tensor;
  std::uint32_t row = 0, rows = 0;
  std::uint32_t col = 0, cols = 0;
  bool transposed = false;

  // The shape the slice has where it is used.
  std::uint32_t used_rows() const { return transposed ? cols : rows; }
  std::uint32_t used_cols() const { return transposed ? rows : cols; }
  std::string describe() const;  // "name[0:16, 3:19]", with "^T" when transposed
};

enum class Gate { kReset = 0, kUpdate = 1, kNew = 2 };

struct SourceGru {
  std::uint32_t input_size = 0;
  std::uint32_t hidden_size = 0;
  bool reset_after = true;         // n = tanh(.. + r * (R_n h + bR_n)) vs tanh(.. + R_n (r * h) + bR_n)
  bool update_keeps_state = true;  // h' = z*h + (1-z)*n; false: h' = (1-z)*h + z*n
  std::array<TensorSlice, 3> w;    // per gate r, z, n: [H x I]
  std::array<TensorSlice, 3> r;    // [H x H]
  std::array<std::optional<TensorSlice>, 3> bias_w;  // [H], absent = zeros
  std::array<std::optional<TensorSlice>, 3> bias_r;
  // n = candidate_activation(..) (tanh or relu); r, z = sigmoid or
  // clip(hard_sigmoid_slope * x + hard_sigmoid_offset, 0, 1).
  Activation candidate_activation = Activation::kTanh;
  GateActivation gate_activation = GateActivation::kSigmoid;
  float hard_sigmoid_slope = 0.2f;
  float hard_sigmoid_offset = 0.5f;
};

// Elman RNN: h' = activation(W x + bW + R h + bR), activation tanh or relu.
struct SourceRnn {
  std::uint32_t input_size = 0;
  std::uint32_t hidden_size = 0;
  Activation activation = Activation::kTanh;
  TensorSlice w;  // [H x I]
  TensorSlice r;  // [H x H]
  std::optional<TensorSlice> bias_w;  // [H], absent = zeros
  std::optional<TensorSlice> bias_r;
};

// LSTM, gates in grurt's order i, f, g, o whatever the source's order (a
// layout or mapping file cuts each gate's slice where the source keeps it):
// i, f, o = sigmoid(W x + bW + R h + bR (+ p * c)) (or hard_sigmoid), g = tanh(..),
// c' = f*c + i*g (o's peephole reads c'), h' = o*tanh(c'), then h' = projection h'.
// Its state is h [P, or H without a projection] then c [H].
struct SourceLstm {
  std::uint32_t input_size = 0;
  std::uint32_t hidden_size = 0;      // H
  std::uint32_t projection_size = 0;  // P, 0: none
  std::array<TensorSlice, 4> w;       // per gate i, f, g, o: [H x I]
  std::array<TensorSlice, 4> r;       // [H x (P or H)]
  std::array<std::optional<TensorSlice>, 4> bias_w;    // [H], absent = zeros
  std::array<std::optional<TensorSlice>, 4> bias_r;
  std::array<std::optional<TensorSlice>, 3> peephole;  // p_i, p_f, p_o [H]; all absent: none, some: zeros
  std::optional<TensorSlice> projection;               // [P x H], exactly when projection_size != 0
  // i, f, o = sigmoid or clip(hard_sigmoid_slope * x + hard_sigmoid_offset, 0, 1).
  GateActivation gate_activation = GateActivation::kSigmoid;
  float hard_sigmoid_slope = 0.2f;
  float hard_sigmoid_offset = 0.5f;

  // What h holds and the next layer reads.
  std::uint32_t output_size() const { return projection_size != 0 ? projection_size : hidden_size; }
};

struct SourceDense {
  std::uint32_t input_size = 0;
  std::uint32_t output_size = 0;
  Activation activation = Activation::kIdentity;
  TensorSlice weight;  // [O x I]
  std::optional<TensorSlice> bias;
};

struct SourceLayer {
  SourceLayer() = default;
  template <typename Kind>  // any alternative of `layer`, or the variant itself
  SourceLayer(std::string layer_name, Kind kind) : name(std::move(layer_name)), layer(std::move(kind)) {}

  std::string name;
  std::variant<SourceGru, SourceDense, ActivationSpec, SourceRnn, SourceLstm> layer;
  // A recurrent layer's stored initial state (ONNX initial_h/initial_c, a
  // trained h0), one slice per state vector in state order (h, then an LSTM's
  // c), each a column; an absent one is zeros, and no slices at all mean the
  // layer starts from zeros.
  std::vector<std::optional<TensorSlice>> initial_state;
};

// Width of a layer's input.
std::uint32_t input_width(const SourceLayer& layer);

// Width of a layer's output: a recurrent layer's h (an LSTM's projection size
// when it has one), a dense layer's outputs.
std::uint32_t output_width(const SourceLayer& layer);

// Width of a layer's state: a GRU's or RNN's hidden size, an LSTM's h and c
// (P or H, then H), 0 for the others.
std::uint32_t state_width(const SourceLayer& layer);

// The widths of a layer's state vectors in state order: {H} for a GRU or
// RNN, {P or H, H} for an LSTM, none for the others.
std::vector<std::uint32_t> state_parts(const SourceLayer& layer);

// The layer's initial state values, its state vectors one after the other
// (zeros for an absent one); empty when it stores none.
std::vector<float> initial_state_values(const SourceLayer& layer, const TensorMap& tensors);

// The report's lines for a layer: kind, sizes, and which slice became which part.
std::string describe(const SourceLayer& layer);

// One recurrent module of a chain (several modules, each reading the one
// before): its layout family, module prefix and how many of the model's layers it made.
struct ChainedModule {
  std::string layout;
  std::string prefix;
  std::size_t layers = 0;
};

// One state vector of one layer: `vector` 0 is h, 1 an LSTM's c.
struct StatePart {
  std::size_t layer = 0;  // index into SourceModel::layers
  int vector = 0;
  bool operator==(const StatePart& o) const { return layer == o.layer && vector == o.vector; }
};

// Where one layer's h or c lies in a state tensor: its units at elements
// first, first + stride, ... (or scattered when not `regular`).
struct StateRun {
  StatePart part;
  std::int64_t first = 0, stride = 1;
  bool regular = true;
};

// A state tensor of the source (ONNX models that ONNX Runtime streams pass
// the state in and out as graph tensors) and the layer state it holds.
// grurt keeps that state in the session instead.
struct StateTensor {
  std::string input;   // the graph input the caller feeds it through ("" if none)
  std::string output;  // the graph output handing it back ("" if none)
  std::vector<std::int64_t> dims;
  std::vector<StateRun> runs;  // in order of their first element
};

struct SourceModel {
  std::string layout;  // a registry layout name (layout_registry.hpp), "mapping", or a reader's own name
  std::string prefix;  // module prefix the layout was found under
  std::uint32_t input_size = 0;
  std::vector<SourceLayer> layers;
  std::optional<std::string> head;  // module prefix of the Linear head ("fc."), if any
  bool head_reads_tanh = false;  // concat cell: the head reads tanh(h') instead of h'
  // What the converter assumed rather than read from the file (e.g. nn.RNN's
  // nonlinearity, which a state_dict does not record); the report prints them.
  std::vector<std::string> assumptions;
  // Set when layout == "chain": the modules whose layers come first, in order.
  std::vector<ChainedModule> chain;
  // A skip connection: stated by the user (--skip; a state_dict does not
  // record one) or declared by the file (AIDA-X in_skip, CoreAudioML skip).
  std::optional<SkipSpec> skip;
  std::string skip_origin;  // what the report says it came from
  // State tensors the source passes in and out, mapped to the session state.
  std::vector<StateTensor> state_tensors;
};

// Copies the slices into canonical arrays: gates permuted to r, z, n, z rows
// negated for the (1-z)*h + z*n convention, missing biases as zeros (each
// kind's part in converter/src/source_layers/).
CanonicalModel canonicalize(const SourceModel& source, const TensorMap& tensors);

// Every tensor name the model reads.
std::vector<std::string> used_tensors(const SourceModel& source);

}  // namespace grurt::convert
