// The mapping file's `lstm` layer. Frameworks stack the four gate blocks in
// different orders (PyTorch i, f, g, o; Keras i, f, c, o; ONNX i, o, f, c), so
// "gates" names the order the user's stored blocks are in, and a whole tensor
// given for W, R, bW or bR is cut in that order. A per-gate object
// {"i": .., "f": .., "g" (or "c"): .., "o": ..} names each block instead.
#include <algorithm>

#include "source_layers.hpp"

namespace grurt::convert::source_layers {
namespace {

const std::vector<std::string> kGateKeys = {"i", "f", "g", "c", "o"};

// grurt's gate index (i 0, f 1, g 2, o 3) of a name; "c" is Keras's and ONNX's name for g.
int gate_index(const std::string& name) {
  if (name == "i") return 0;
  if (name == "f") return 1;
  if (name == "g" || name == "c") return 2;
  if (name == "o") return 3;
  return -1;
}

// "gates": the stored order as grurt gate indices; PyTorch's i, f, g, o when absent.
std::array<int, 4> stored_order(const Json& layer, const std::string& where) {
  if (!layer.contains("gates")) return {0, 1, 2, 3};
  const Json& gates = layer["gates"];
  const std::string expected = "\"gates\" must name i, f, g (or c) and o once each, in the order the stored gate blocks "
                               "are in (PyTorch [\"i\", \"f\", \"g\", \"o\"], Keras [\"i\", \"f\", \"c\", \"o\"], ONNX "
                               "[\"i\", \"o\", \"f\", \"c\"]), not " + gates.dump();
  if (!gates.is_array() || gates.size() != 4) fail(where, expected);
  std::array<int, 4> order{};
  std::array<bool, 4> seen{};
  for (std::size_t k = 0; k < 4; ++k) {
    const int g = gates[k].is_string() ? gate_index(gates[k].get<std::string>()) : -1;
    if (g < 0 || seen[g]) fail(where, expected);
    seen[g] = true;
    order[k] = g;
  }
  return order;
}

// Block k of n equal blocks of the slice's used rows (a transposed slice's stored columns).
TensorSlice block(const TensorSlice& whole, std::uint32_t k, std::uint32_t height) {
  TensorSlice part = whole;
  if (whole.transposed) {
    part.col += k * height;
    part.cols = height;
  } else {
    part.row += k * height;
    part.rows = height;
  }
  return part;
}

bool per_gate_object(const Json& value) { return value.is_object() && !value.contains("tensor"); }

// The per-gate object's slice for grurt gate g, if it names one; "g" and "c" are one gate.
const Json* gate_entry(const Json& object, int g, const std::string& where) {
  if (g == 2 && object.contains("g") && object.contains("c")) fail(where, "names gate g twice, as \"g\" and as \"c\"");
  static const char* kNames[4] = {"i", "f", "g", "o"};
  if (object.contains(kNames[g])) return &object[kNames[g]];
  if (g == 2 && object.contains("c")) return &object["c"];
  return nullptr;
}

// W or R (required, every gate) or bW or bR (optional, absent gates zeros):
// a whole [4H x cols] slice in the stored order, or a per-gate object of [H x cols] slices.
template <typename Slot>
void read_gates(const Json& layer, const char* field, const TensorMap& tensors, std::uint32_t H, std::uint32_t cols,
                const std::array<int, 4>& order, bool required, std::array<Slot, 4>& out, const std::string& where) {
  const std::string place = where + " " + field;
  if (!layer.contains(field)) {
    if (required) {
      fail(where, std::string("\"") + field + "\" is required: a whole [4*H x " + (cols == 1 ? "1" : "cols") +
                      "] slice in the \"gates\" order, or {\"i\": .., \"f\": .., \"g\": .., \"o\": ..}");
    }
    return;
  }
  const Json& value = layer[field];
  if (per_gate_object(value)) {
    require_known_keys(value, kGateKeys, place);
    for (int g = 0; g < 4; ++g) {
      const Json* entry = gate_entry(value, g, place);
      if (!entry) {
        const std::string gate = g == 2 ? "\"g\" (or \"c\")" : "\"" + std::string(1, "ifgo"[g]) + "\"";
        if (required) fail(where, std::string(field) + " has no gate " + gate);
        continue;
      }
      out[g] = slice(*entry, tensors, H, cols, place + "." + "ifgo"[g]);
    }
    return;
  }
  const TensorSlice whole = slice(value, tensors, 4 * H, cols, place);
  for (std::uint32_t k = 0; k < 4; ++k) out[order[k]] = block(whole, k, H);
}

// "peephole": a whole [3H] slice holding i, f, o in the order "gates" puts
// them (ONNX's P is i, o, f, its gates i, o, f, c), or {"i", "f", "o"}, absent gates zeros.
void read_peephole(const Json& layer, const TensorMap& tensors, std::uint32_t H, const std::array<int, 4>& order,
                   SourceLstm& lstm, const std::string& where) {
  if (!layer.contains("peephole")) return;
  const Json& value = layer["peephole"];
  const std::string place = where + " peephole";
  const int slot_of_gate[4] = {0, 1, -1, 2};  // i, f, (g has none), o
  if (per_gate_object(value)) {
    require_known_keys(value, {"i", "f", "o"}, place);
    for (const char* name : {"i", "f", "o"}) {
      if (value.contains(name)) {
        lstm.peephole[slot_of_gate[gate_index(name)]] = slice(value[name], tensors, H, 1, place + "." + name);
      }
    }
    return;
  }
  const TensorSlice whole = slice(value, tensors, 3 * H, 1, place);
  std::uint32_t k = 0;
  for (int g : order) {
    if (g != 2) lstm.peephole[slot_of_gate[g]] = block(whole, k++, H);
  }
}

}  // namespace

SourceVariant read_lstm(const Json& layer, const TensorMap& tensors, std::uint32_t input, const std::string& where) {
  SourceLstm lstm;
  lstm.input_size = input;
  lstm.hidden_size = size_field(layer, "hidden_size", where);
  const std::uint32_t H = lstm.hidden_size;
  if (layer.contains("projection_size") != layer.contains("projection")) {
    fail(where, "\"projection_size\" and \"projection\" ([P x H], PyTorch's weight_hr_l{k}) go together");
  }
  if (layer.contains("projection_size")) {
    lstm.projection_size = size_field(layer, "projection_size", where);
    lstm.projection = slice(layer["projection"], tensors, lstm.projection_size, H, where + " projection");
  }
  const std::array<int, 4> order = stored_order(layer, where);
  read_gates(layer, "W", tensors, H, input, order, true, lstm.w, where);
  read_gates(layer, "R", tensors, H, lstm.output_size(), order, true, lstm.r, where);
  read_gates(layer, "bW", tensors, H, 1, order, false, lstm.bias_w, where);
  read_gates(layer, "bR", tensors, H, 1, order, false, lstm.bias_r, where);
  read_peephole(layer, tensors, H, order, lstm, where);
  return lstm;
}

}  // namespace grurt::convert::source_layers
