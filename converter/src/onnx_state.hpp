// State tensors as graph inputs and outputs: the pattern of ONNX models that
// ONNX Runtime streams (it keeps no state, so the caller feeds the last
// step's state back in). Each such tensor is followed element by element:
// a View lists, for every element, where it comes from (a position in a state
// input, or one unit of one layer's h or c), and the ops that move elements
// (Slice, Gather, Squeeze, Unsqueeze, Reshape, Transpose, Concat) are applied
// to that list. pair() then checks that every output hands back, element for
// element, what its input gave the layers, so the session state can stand for
// both. The same Views fold constants through those ops.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "grurt_convert/source_model.hpp"

namespace grurt::convert::onnx_state {

// Most elements a followed tensor may have: far more than any recurrent state.
constexpr std::int64_t kMaxElements = std::int64_t{1} << 22;

struct View {
  std::vector<std::int64_t> dims;
  std::vector<std::int64_t> elements;  // row-major, one source per element
};

std::int64_t count(const std::vector<std::int64_t>& dims);
std::string shape_text(const std::vector<std::int64_t>& dims);  // "[2, 1, 64]"

// Whether any element is a unit of an LSTM's c.
bool holds_cell_state(const View& view);

// Elements 0..n-1 of a tensor of shape `dims` (a state input, a constant).
View whole(const std::vector<std::int64_t>& dims, const std::string& where);

// Units 0..size-1 of one layer's h or c, shaped [1, 1, size] (Y_h, Y_c).
View state_of(const StatePart& part, std::int64_t size);

// The ops that only move elements, with ONNX's semantics (negative axes and
// indices count from the end; Slice clamps starts and ends).
View slice(const View& view, const std::vector<std::int64_t>& starts, const std::vector<std::int64_t>& ends,
           const std::vector<std::int64_t>& axes, const std::vector<std::int64_t>& steps, const std::string& where);
View gather(const View& view, std::int64_t axis, const std::vector<std::int64_t>& indices,
            const std::vector<std::int64_t>& indices_shape, const std::string& where);
View squeeze(const View& view, const std::vector<std::int64_t>& axes, const std::string& where);
View unsqueeze(const View& view, const std::vector<std::int64_t>& axes, const std::string& where);
View reshape(const View& view, const std::vector<std::int64_t>& shape, const std::string& where);
View transpose(const View& view, std::vector<std::int64_t> perm, const std::string& where);
View concat(const std::vector<View>& views, std::int64_t axis, const std::string& where);
// Expand: numpy-style broadcast of `view` and `shape`.
View expand(const View& view, const std::vector<std::int64_t>& shape, const std::string& where);

// A recurrent node's initial h or c read from a state input: unit u of
// `part` is element `elements[u]` of `input`.
struct Read {
  std::string input;
  std::vector<std::int64_t> elements;
  StatePart part;
};

struct Input {
  std::string name;
  std::vector<std::int64_t> dims;  // any axis without a fixed size taken as 1
};

struct Output {
  std::string name;
  View view;  // elements from state_of()
};

// Pairs each state input with the output that hands back, element for
// element, the layer state its elements start. Refuses an input whose
// elements are not each read by exactly one initial_h/initial_c unit, and
// one whose layers' state comes back in another arrangement (fed back, it
// would reach the wrong units). Outputs left unpaired are read-outs.
// `describe` names a layer's h or c in messages.
std::vector<StateTensor> pair(const std::vector<Input>& inputs, const std::vector<Read>& reads,
                              const std::vector<Output>& outputs,
                              const std::function<std::string(const StatePart&)>& describe);

}  // namespace grurt::convert::onnx_state
