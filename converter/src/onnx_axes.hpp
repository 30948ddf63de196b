// The ONNX reader's axis labels and what the pass-through ops do to them. A
// label per axis: 'a' and 'b' are the graph input's leading axes (sequence and
// batch; the first recurrent node tells which is which), 'F' the features, '1'
// an axis of size 1 (a direction axis, an inserted one), 'm' axes a Reshape
// merged. Every function throws ConversionError naming `where` for an op that
// would mix the features with other axes or drop an axis that is not size 1.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace grurt::convert::onnx_axes {

using Labels = std::string;

// `axis` (negative counts from the end) as an index into `rank` axes.
std::size_t axis_index(std::int64_t axis, std::size_t rank, const std::string& where);

// Refuses unless the features are the last axis (`why` says of what).
void require_features_last(const Labels& labels, const std::string& where, const std::string& why);

// Squeeze: drops the listed axes (all unit axes when none are listed); each
// must be a unit axis, or the batch once `sequence` (0 until known) says which that is.
Labels squeeze(Labels labels, std::vector<std::int64_t> axes, char sequence, const std::string& where);

// Unsqueeze: unit axes at the listed positions of the result.
Labels unsqueeze(Labels labels, const std::vector<std::int64_t>& axes, const std::string& where);

// Transpose: axes in `perm` order (reversed when empty, as ONNX defaults).
Labels transpose(const Labels& labels, std::vector<std::int64_t> perm, const std::string& where);

// Reshape to `shape`: the features must stay the last axis with `width`
// values (set here when still 0 and the shape says it); the other axes keep
// their label when that is unambiguous, else become 'm'.
Labels reshape(const Labels& labels, const std::vector<std::int64_t>& shape, std::uint32_t& width,
               const std::string& where);

}  // namespace grurt::convert::onnx_axes
