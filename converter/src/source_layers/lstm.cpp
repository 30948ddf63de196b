// The LSTM source layer: four gates i, f, g, o, each a W, R and optional bias
// slice, optional peepholes p_i, p_f, p_o and an optional projection; its
// state is h (P or H) then c (H), the runtime's order. The mapping-file entry
// is in lstm_mapping.cpp.
#include <cmath>
#include <sstream>

#include "source_layers.hpp"

namespace grurt::convert::source_layers {
namespace {

const char* kGates[4] = {"i", "f", "g", "o"};
const char* kPeepholes[3] = {"i", "f", "o"};

// Optional per-gate vectors as one [n*H] vector, zeros where absent; empty
// when all are absent (the canonical "none").
template <std::size_t N>
std::vector<float> joined_vectors(const std::array<std::optional<TensorSlice>, N>& parts, std::uint32_t H,
                                  const TensorMap& tensors) {
  bool any = false;
  for (const auto& part : parts) any = any || part.has_value();
  if (!any) return {};
  std::vector<float> out;
  for (const auto& part : parts) {
    if (part) {
      append_slice(*part, tensors, 1.0f, out);
    } else {
      out.insert(out.end(), H, 0.0f);
    }
  }
  return out;
}

template <std::size_t N>
void slices_line(std::ostringstream& out, const char* field, const std::array<std::optional<TensorSlice>, N>& slices,
                 const char* const* names) {
  out << "      " << field << " <-";
  for (std::size_t g = 0; g < N; ++g) {
    out << (g ? " | " : " ") << names[g] << " " << (slices[g] ? slices[g]->describe() : "zeros");
  }
  out << "\n";
}

void slices_line(std::ostringstream& out, const char* field, const std::array<TensorSlice, 4>& slices) {
  out << "      " << field << " <-";
  for (std::size_t g = 0; g < 4; ++g) out << (g ? " | " : " ") << kGates[g] << " " << slices[g].describe();
  out << "\n";
}

// The peephole vector p (a block of H), or zeros when that gate has none.
Vec peephole(const Linear& linear, const std::optional<TensorSlice>& slice, std::size_t H) {
  return slice ? linear.slice(*slice, {}) : Vec(H, 0.0);
}

}  // namespace

CanonicalLayer canonical(const SourceLstm& source, const TensorMap& tensors) {
  LstmSpec lstm;
  lstm.input_size = source.input_size;
  lstm.hidden_size = source.hidden_size;
  lstm.projection_size = source.projection_size;
  lstm.gate_activation = source.gate_activation;
  lstm.hard_sigmoid_slope = source.hard_sigmoid_slope;
  lstm.hard_sigmoid_offset = source.hard_sigmoid_offset;
  for (int g = 0; g < 4; ++g) {
    append_slice(source.w[g], tensors, 1.0f, lstm.w);
    append_slice(source.r[g], tensors, 1.0f, lstm.r);
  }
  lstm.bias_w = joined_vectors(source.bias_w, source.hidden_size, tensors);
  lstm.bias_r = joined_vectors(source.bias_r, source.hidden_size, tensors);
  lstm.peephole = joined_vectors(source.peephole, source.hidden_size, tensors);
  if (source.projection) append_slice(*source.projection, tensors, 1.0f, lstm.projection);
  return lstm;
}

void add_used_tensors(const SourceLstm& lstm, std::set<std::string>& names) {
  for (int g = 0; g < 4; ++g) {
    names.insert(lstm.w[g].tensor);
    names.insert(lstm.r[g].tensor);
    add_tensor(lstm.bias_w[g], names);
    add_tensor(lstm.bias_r[g], names);
  }
  for (const auto& p : lstm.peephole) add_tensor(p, names);
  add_tensor(lstm.projection, names);
}

std::uint32_t input_width(const SourceLstm& lstm) { return lstm.input_size; }
std::uint32_t output_width(const SourceLstm& lstm) { return lstm.output_size(); }
std::uint32_t state_width(const SourceLstm& lstm) { return lstm.output_size() + lstm.hidden_size; }

// The schema's formulas on the slices as declared; `state` is h then c.
Vec evaluate(const SourceLstm& lstm, const Linear& linear, const Vec& x, Vec& state) {
  auto gate = [&](double v) {  // i, f and o: sigmoid or hard_sigmoid
    return layouts::gate(lstm.gate_activation, lstm.hard_sigmoid_slope, lstm.hard_sigmoid_offset, v);
  };
  const std::size_t H = lstm.hidden_size, out = lstm.output_size();
  const Vec h(state.begin(), state.begin() + static_cast<std::ptrdiff_t>(out));
  const Vec c(state.begin() + static_cast<std::ptrdiff_t>(out), state.end());
  Vec pre[4];
  for (int g = 0; g < 4; ++g) {
    pre[g] = layouts::add(affine(linear, lstm.w[g], lstm.bias_w[g], x), affine(linear, lstm.r[g], lstm.bias_r[g], h));
  }
  const Vec p_i = peephole(linear, lstm.peephole[0], H), p_f = peephole(linear, lstm.peephole[1], H),
            p_o = peephole(linear, lstm.peephole[2], H);
  Vec c_next(H), h_next(H);
  for (std::size_t j = 0; j < H; ++j) {
    const double i = gate(pre[0][j] + p_i[j] * c[j]);
    const double f = gate(pre[1][j] + p_f[j] * c[j]);
    const double g = std::tanh(pre[2][j]);
    c_next[j] = f * c[j] + i * g;
    const double o = gate(pre[3][j] + p_o[j] * c_next[j]);
    h_next[j] = o * std::tanh(c_next[j]);
  }
  if (lstm.projection) h_next = linear.slice(*lstm.projection, h_next);
  state = layouts::concat(h_next, c_next);
  return h_next;
}

std::string describe(const SourceLstm& lstm) {
  std::ostringstream out;
  out << "lstm " << lstm.input_size << " -> " << lstm.hidden_size;
  if (lstm.projection_size != 0) out << ", projection to " << lstm.projection_size;
  out << ", gates i, f, g, o; state h then c\n";
  // Hard gates only: a default LSTM's report stays as it was.
  if (lstm.gate_activation == GateActivation::kHardSigmoid) {
    out << "      i, f and o = hard_sigmoid clip(" << lstm.hard_sigmoid_slope << " x + " << lstm.hard_sigmoid_offset
        << ", 0, 1)\n";
  }
  slices_line(out, "W ", lstm.w);
  slices_line(out, "R ", lstm.r);
  slices_line(out, "bW", lstm.bias_w, kGates);
  slices_line(out, "bR", lstm.bias_r, kGates);
  if (lstm.peephole[0] || lstm.peephole[1] || lstm.peephole[2]) slices_line(out, "peephole", lstm.peephole, kPeepholes);
  if (lstm.projection) out << "      projection <- " << lstm.projection->describe() << "\n";
  return out.str();
}

}  // namespace grurt::convert::source_layers
