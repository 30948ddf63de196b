#include "onnx_state.hpp"

#include <algorithm>
#include <map>
#include <numeric>

#include "grurt_convert/conversion_error.hpp"
#include "onnx_axes.hpp"

namespace grurt::convert::onnx_state {
namespace {

[[noreturn]] void fail(const std::string& where, const std::string& why) { throw ConversionError(where + ": " + why); }

// An output element's source: unit `unit` of `part` (units are below 2^31).
std::int64_t code(const StatePart& part, std::int64_t unit) {
  return ((static_cast<std::int64_t>(part.layer) * 2 + part.vector) << 31) | unit;
}
StatePart part_of(std::int64_t c) { return {static_cast<std::size_t>((c >> 31) / 2), static_cast<int>((c >> 31) % 2)}; }
std::int64_t unit_of(std::int64_t c) { return c & ((std::int64_t{1} << 31) - 1); }

// Saturates just above kMaxElements, so that no shape a file declares can overflow it.
std::int64_t product(const std::vector<std::int64_t>& dims, std::size_t from, std::size_t to) {
  std::int64_t n = 1;
  for (std::size_t a = from; a < to; ++a) {
    if (dims[a] <= 0) return dims[a] == 0 ? 0 : -1;
    n = n > kMaxElements / dims[a] ? kMaxElements + 1 : n * dims[a];
  }
  return n;
}

// The elements at `positions` along `axis`, in that order.
View take(const View& view, std::size_t axis, const std::vector<std::int64_t>& positions, const std::string& where) {
  const std::int64_t outer = product(view.dims, 0, axis), n = view.dims[axis];
  const std::int64_t inner = product(view.dims, axis + 1, view.dims.size());
  View out{view.dims, {}};
  out.dims[axis] = static_cast<std::int64_t>(positions.size());
  if (positions.size() > static_cast<std::size_t>(kMaxElements) || count(out.dims) > kMaxElements) {
    fail(where, "makes more than " + std::to_string(kMaxElements) + " elements");
  }
  out.elements.reserve(static_cast<std::size_t>(outer * out.dims[axis] * inner));
  for (std::int64_t o = 0; o < outer; ++o) {
    for (const std::int64_t p : positions) {
      const auto from = view.elements.begin() + (o * n + p) * inner;
      out.elements.insert(out.elements.end(), from, from + inner);
    }
  }
  return out;
}

std::string describe_element(const std::int64_t c, const std::function<std::string(const StatePart&)>& describe) {
  return describe(part_of(c)) + " unit " + std::to_string(unit_of(c));
}

}  // namespace

std::int64_t count(const std::vector<std::int64_t>& dims) { return product(dims, 0, dims.size()); }

std::string shape_text(const std::vector<std::int64_t>& dims) {
  std::string text = "[";
  for (std::size_t i = 0; i < dims.size(); ++i) text += (i ? ", " : "") + std::to_string(dims[i]);
  return text + "]";
}

bool holds_cell_state(const View& view) {
  return std::any_of(view.elements.begin(), view.elements.end(), [](std::int64_t c) { return part_of(c).vector == 1; });
}

View whole(const std::vector<std::int64_t>& dims, const std::string& where) {
  for (const std::int64_t d : dims) {
    if (d <= 0 || d > kMaxElements) fail(where, "has shape " + shape_text(dims));
  }
  if (count(dims) > kMaxElements) fail(where, "has more than " + std::to_string(kMaxElements) + " elements");
  View view{dims, std::vector<std::int64_t>(static_cast<std::size_t>(count(dims)))};
  std::iota(view.elements.begin(), view.elements.end(), std::int64_t{0});
  return view;
}

View state_of(const StatePart& part, std::int64_t size) {
  View view{{1, 1, size}, {}};
  for (std::int64_t u = 0; u < size; ++u) view.elements.push_back(code(part, u));
  return view;
}

View slice(const View& view, const std::vector<std::int64_t>& starts, const std::vector<std::int64_t>& ends,
           const std::vector<std::int64_t>& axes, const std::vector<std::int64_t>& steps, const std::string& where) {
  View out = view;
  for (std::size_t k = 0; k < axes.size(); ++k) {
    const std::size_t a = onnx_axes::axis_index(axes[k], out.dims.size(), where);
    const std::int64_t dim = out.dims[a];
    if (dim == 0) fail(where, "selects no elements");  // std::clamp below needs dim - 1 >= 0, the loop a step != 0
    if (!steps.empty() && steps[k] == 0) fail(where, "has a step of 0");
    // A step longer than the axis takes one element, as the axis's length does (and cannot overflow).
    const std::int64_t step = steps.empty() ? 1 : std::clamp(steps[k], -dim, dim);
    const auto clamp = [dim](std::int64_t i, std::int64_t low, std::int64_t high) {
      return std::clamp(i < 0 ? i + dim : i, low, high);
    };
    const std::int64_t start = step > 0 ? clamp(starts[k], 0, dim) : clamp(starts[k], 0, dim - 1);
    const std::int64_t end = step > 0 ? clamp(ends[k], 0, dim) : clamp(ends[k], -1, dim - 1);
    std::vector<std::int64_t> positions;
    for (std::int64_t i = start; step > 0 ? i < end : i > end; i += step) positions.push_back(i);
    if (positions.empty()) fail(where, "selects no elements");
    out = take(out, a, positions, where);
  }
  return out;
}

View gather(const View& view, std::int64_t axis, const std::vector<std::int64_t>& indices,
            const std::vector<std::int64_t>& indices_shape, const std::string& where) {
  const std::size_t a = onnx_axes::axis_index(axis, view.dims.size(), where);
  const std::int64_t dim = view.dims[a];
  std::vector<std::int64_t> positions;
  for (const std::int64_t i : indices) {
    if (i < -dim || i >= dim) {
      fail(where, "gathers index " + std::to_string(i) + " of an axis with " + std::to_string(dim) + " elements");
    }
    positions.push_back(i < 0 ? i + dim : i);
  }
  View out = take(view, a, positions, where);
  out.dims.erase(out.dims.begin() + static_cast<std::ptrdiff_t>(a));
  out.dims.insert(out.dims.begin() + static_cast<std::ptrdiff_t>(a), indices_shape.begin(), indices_shape.end());
  return out;
}

View squeeze(const View& view, const std::vector<std::int64_t>& axes, const std::string& where) {
  std::vector<bool> listed(view.dims.size(), axes.empty());
  for (const std::int64_t axis : axes) listed[onnx_axes::axis_index(axis, view.dims.size(), where)] = true;
  View out{{}, view.elements};
  for (std::size_t a = 0; a < view.dims.size(); ++a) {
    if (listed[a] && view.dims[a] != 1 && !axes.empty()) {
      fail(where, "squeezes axis " + std::to_string(a) + " of shape " + shape_text(view.dims) + ", which is not of size 1");
    }
    if (!listed[a] || view.dims[a] != 1) out.dims.push_back(view.dims[a]);
  }
  return out;
}

View unsqueeze(const View& view, const std::vector<std::int64_t>& axes, const std::string& where) {
  const std::size_t rank = view.dims.size() + axes.size();
  std::vector<bool> unit(rank, false);
  for (const std::int64_t axis : axes) {
    const std::size_t a = onnx_axes::axis_index(axis, rank, where);
    if (unit[a]) fail(where, "lists axis " + std::to_string(a) + " twice");
    unit[a] = true;
  }
  View out{{}, view.elements};
  std::size_t next = 0;
  for (std::size_t a = 0; a < rank; ++a) out.dims.push_back(unit[a] ? 1 : view.dims[next++]);
  return out;
}

View reshape(const View& view, const std::vector<std::int64_t>& shape, const std::string& where) {
  std::vector<std::int64_t> dims = shape;
  std::size_t infer = dims.size();
  const std::int64_t n = count(view.dims);
  for (std::size_t a = 0; a < dims.size(); ++a) {
    if (dims[a] == 0 && a < view.dims.size()) dims[a] = view.dims[a];
    if (dims[a] == -1 && infer == dims.size()) infer = a;
    else if (dims[a] <= 0 || dims[a] > n) fail(where, "reshapes " + shape_text(view.dims) + " to " + shape_text(shape));
  }
  if (infer < dims.size()) {
    dims[infer] = 1;
    if (n % count(dims) != 0) fail(where, "reshapes " + shape_text(view.dims) + " to " + shape_text(shape));
    dims[infer] = n / count(dims);
  }
  if (count(dims) != n) fail(where, "reshapes " + shape_text(view.dims) + " to " + shape_text(shape));
  return View{std::move(dims), view.elements};
}

View transpose(const View& view, std::vector<std::int64_t> perm, const std::string& where) {
  const std::size_t rank = view.dims.size();
  if (perm.empty()) {
    for (std::size_t a = rank; a-- > 0;) perm.push_back(static_cast<std::int64_t>(a));
  }
  std::vector<std::int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t a = 0; a < sorted.size(); ++a) {
    if (sorted.size() != rank || sorted[a] != static_cast<std::int64_t>(a)) fail(where, "has an invalid perm");
  }
  std::vector<std::int64_t> strides(rank, 1);
  for (std::size_t a = rank; a-- > 1;) strides[a - 1] = strides[a] * view.dims[a];
  View out{{}, {}};
  for (const std::int64_t p : perm) out.dims.push_back(view.dims[static_cast<std::size_t>(p)]);
  std::vector<std::int64_t> index(rank, 0);
  for (std::int64_t n = 0; n < count(out.dims); ++n) {
    std::int64_t from = 0;
    for (std::size_t a = 0; a < rank; ++a) from += index[a] * strides[static_cast<std::size_t>(perm[a])];
    out.elements.push_back(view.elements[static_cast<std::size_t>(from)]);
    for (std::size_t a = rank; a-- > 0;) {  // next index of the output, row-major
      if (++index[a] < out.dims[a]) break;
      index[a] = 0;
    }
  }
  return out;
}

View concat(const std::vector<View>& views, std::int64_t axis, const std::string& where) {
  if (views.empty()) fail(where, "concatenates nothing");
  const std::size_t a = onnx_axes::axis_index(axis, views[0].dims.size(), where);
  View out{views[0].dims, {}};
  out.dims[a] = 0;
  for (const View& v : views) {
    for (std::size_t d = 0; d < out.dims.size(); ++d) {
      if (v.dims.size() != out.dims.size() || (d != a && v.dims[d] != out.dims[d])) {
        fail(where, "concatenates shapes " + shape_text(views[0].dims) + " and " + shape_text(v.dims) +
                        " along axis " + std::to_string(a));
      }
    }
    out.dims[a] += v.dims[a];
    if (out.dims[a] > kMaxElements || count(out.dims) > kMaxElements) {
      fail(where, "makes more than " + std::to_string(kMaxElements) + " elements");
    }
  }
  const std::int64_t outer = product(out.dims, 0, a), inner = product(out.dims, a + 1, out.dims.size());
  for (std::int64_t o = 0; o < outer; ++o) {
    for (const View& v : views) {
      const auto from = v.elements.begin() + o * v.dims[a] * inner;
      out.elements.insert(out.elements.end(), from, from + v.dims[a] * inner);
    }
  }
  return out;
}

View expand(const View& view, const std::vector<std::int64_t>& shape, const std::string& where) {
  const std::size_t rank = std::max(view.dims.size(), shape.size());
  View out{std::vector<std::int64_t>(rank - view.dims.size(), 1), view.elements};
  out.dims.insert(out.dims.end(), view.dims.begin(), view.dims.end());
  for (std::size_t a = 0; a < rank; ++a) {
    const std::int64_t want = a + shape.size() >= rank ? shape[a + shape.size() - rank] : 1;
    if (want == out.dims[a] || want == 1) continue;
    if (out.dims[a] != 1 || want < 1 || want > kMaxElements || count(out.dims) * want > kMaxElements) {
      fail(where, "expands shape " + shape_text(view.dims) + " to " + shape_text(shape));
    }
    out = take(out, a, std::vector<std::int64_t>(static_cast<std::size_t>(want), 0), where);
  }
  return out;
}

std::vector<StateTensor> pair(const std::vector<Input>& inputs, const std::vector<Read>& reads,
                              const std::vector<Output>& outputs,
                              const std::function<std::string(const StatePart&)>& describe) {
  std::vector<StateTensor> tensors;
  std::vector<bool> returned(outputs.size(), false);
  const auto runs_of = [](const std::vector<std::int64_t>& sources) {
    std::map<std::int64_t, std::vector<std::int64_t>> where;  // code of unit 0 -> element of each unit
    for (std::size_t e = 0; e < sources.size(); ++e) {
      auto& positions = where[code(part_of(sources[e]), 0)];
      const std::size_t unit = static_cast<std::size_t>(unit_of(sources[e]));
      if (positions.size() <= unit) positions.resize(unit + 1, -1);
      positions[unit] = static_cast<std::int64_t>(e);
    }
    std::vector<StateRun> runs;
    for (const auto& [c, positions] : where) {
      StateRun run{part_of(c), positions[0], positions.size() > 1 ? positions[1] - positions[0] : 1, true};
      for (std::size_t u = 0; u < positions.size(); ++u) {
        run.regular = run.regular && positions[u] == run.first + static_cast<std::int64_t>(u) * run.stride;
      }
      runs.push_back(run);
    }
    std::sort(runs.begin(), runs.end(), [](const StateRun& x, const StateRun& y) { return x.first < y.first; });
    return runs;
  };
  for (const Input& input : inputs) {
    const std::string where = "state input '" + input.name + "'";
    // What each of its elements starts: -1 for nothing yet.
    std::vector<std::int64_t> starts(static_cast<std::size_t>(count(input.dims)), -1);
    for (const Read& r : reads) {
      if (r.input != input.name) continue;
      for (std::size_t u = 0; u < r.elements.size(); ++u) {
        if (r.elements[u] < 0 || static_cast<std::size_t>(r.elements[u]) >= starts.size()) {
          fail(where, "is read at element " + std::to_string(r.elements[u]) + " of its " + std::to_string(starts.size()));
        }
        std::int64_t& start = starts[static_cast<std::size_t>(r.elements[u])];
        const std::int64_t c = code(r.part, static_cast<std::int64_t>(u));
        if (start >= 0) {
          fail(where, "element " + std::to_string(r.elements[u]) + " starts both " + describe_element(start, describe) +
                          " and " + describe_element(c, describe) + "; fed back, one would get the other's state");
        }
        start = c;
      }
    }
    const auto unread = std::find(starts.begin(), starts.end(), -1);
    if (unread == starts.begin()) {
      fail(where, "reaches no recurrent node's initial_h or initial_c; grurt streams one data input and maps "
                  "the others to recurrent state");
    }
    if (unread != starts.end()) {
      fail(where, "element " + std::to_string(unread - starts.begin()) + " of its " + std::to_string(starts.size()) +
                      " (shape " + shape_text(input.dims) + ") starts no recurrent node's initial_h or initial_c");
    }
    StateTensor tensor{input.name, "", input.dims, runs_of(starts)};
    for (std::size_t o = 0; o < outputs.size() && tensor.output.empty(); ++o) {
      if (!returned[o] && outputs[o].view.elements == starts) {
        returned[o] = true;
        tensor.output = outputs[o].name;
      }
    }
    // The same layers' state handed back in another arrangement would reach
    // the wrong units when fed back.
    for (std::size_t o = 0; o < outputs.size() && tensor.output.empty(); ++o) {
      const std::vector<std::int64_t>& back = outputs[o].view.elements;
      const bool shares = std::any_of(back.begin(), back.end(), [&](std::int64_t c) {
        return std::find(starts.begin(), starts.end(), c) != starts.end();
      });
      if (!shares) continue;
      std::size_t e = 0;
      while (e < starts.size() && e < back.size() && starts[e] == back[e]) ++e;
      const std::string out = "output '" + outputs[o].name + "'";
      fail(where, (e < starts.size() && e < back.size()
                       ? "element " + std::to_string(e) + " starts " + describe_element(starts[e], describe) +
                             ", but element " + std::to_string(e) + " of " + out + " hands back " +
                             describe_element(back[e], describe)
                       : out + " hands back " + std::to_string(back.size()) + " elements of state where it takes " +
                             std::to_string(starts.size())) +
                      ": fed back, the state would reach other units than it came from, so grurt cannot keep it as "
                      "the session state");
    }
    tensors.push_back(std::move(tensor));
  }
  for (std::size_t o = 0; o < outputs.size(); ++o) {
    if (!returned[o]) tensors.push_back(StateTensor{"", outputs[o].name, outputs[o].view.dims, runs_of(outputs[o].view.elements)});
  }
  return tensors;
}

}  // namespace grurt::convert::onnx_state
