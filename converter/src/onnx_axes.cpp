#include "onnx_axes.hpp"

#include <set>

#include "grurt_convert/conversion_error.hpp"

namespace grurt::convert::onnx_axes {
namespace {

[[noreturn]] void fail(const std::string& where, const std::string& why) { throw ConversionError(where + ": " + why); }

}  // namespace

std::size_t axis_index(std::int64_t axis, std::size_t rank, const std::string& where) {
  const auto r = static_cast<std::int64_t>(rank);
  if (axis < -r || axis >= r) {
    fail(where, "axis " + std::to_string(axis) + " is outside a tensor of " + std::to_string(rank) + " axes");
  }
  return static_cast<std::size_t>(axis < 0 ? axis + r : axis);
}

void require_features_last(const Labels& labels, const std::string& where, const std::string& why) {
  const auto at = labels.find('F');
  if (at == Labels::npos || at + 1 != labels.size()) fail(where, "the features must be the last axis " + why);
}

Labels squeeze(Labels labels, std::vector<std::int64_t> axes, char sequence, const std::string& where) {
  if (axes.empty()) {
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (labels[i] == '1') axes.push_back(static_cast<std::int64_t>(i));
    }
  }
  std::set<std::size_t> drop;  // a repeated axis is dropped once
  for (const auto axis : axes) drop.insert(axis_index(axis, labels.size(), where));
  for (auto it = drop.rbegin(); it != drop.rend(); ++it) {
    const std::size_t i = *it;
    const char l = labels[i];
    if (l == 'F' || (l != '1' && (sequence == 0 || l == sequence))) {
      fail(where, "removes axis " + std::to_string(i) + ", which is not a unit axis (labels '" + labels + "')");
    }
    labels.erase(i, 1);
  }
  return labels;
}

Labels unsqueeze(Labels labels, const std::vector<std::int64_t>& axes, const std::string& where) {
  const std::size_t rank = labels.size() + axes.size();
  std::set<std::size_t> at;
  for (const auto axis : axes) {
    if (!at.insert(axis_index(axis, rank, where)).second) fail(where, "repeats axis " + std::to_string(axis));
  }
  for (const std::size_t i : at) {  // ascending, so each position is one of the result
    if (i > labels.size()) fail(where, "axis " + std::to_string(i) + " is outside the result");
    labels.insert(i, 1, '1');
  }
  return labels;
}

Labels transpose(const Labels& labels, std::vector<std::int64_t> perm, const std::string& where) {
  if (perm.empty()) {
    for (std::size_t i = labels.size(); i-- > 0;) perm.push_back(static_cast<std::int64_t>(i));
  }
  if (perm.size() != labels.size()) {
    fail(where, "perm has " + std::to_string(perm.size()) + " axes, the data " + std::to_string(labels.size()));
  }
  Labels moved;
  std::set<std::size_t> seen;
  for (const auto p : perm) {
    const std::size_t i = axis_index(p, labels.size(), where);
    if (!seen.insert(i).second) fail(where, "perm repeats axis " + std::to_string(i));
    moved += labels[i];
  }
  return moved;
}

Labels reshape(const Labels& labels, const std::vector<std::int64_t>& shape, std::uint32_t& width,
               const std::string& where) {
  if (shape.empty()) fail(where, "reshapes to a scalar");
  require_features_last(labels, where, "of its input");
  std::int64_t last = shape.back();
  if (last == 0 && shape.size() == labels.size()) last = width;  // 0 copies the input's dimension
  if (width == 0 && last > 0 && last <= 1 << 20) width = static_cast<std::uint32_t>(last);
  if (width == 0 || last != static_cast<std::int64_t>(width)) {
    fail(where, "must keep the " + (width ? std::to_string(width) + " " : std::string()) +
                    "features as its last axis, found " + std::to_string(shape.back()));
  }
  // The input's leading axes other than unit ones (sequence, batch): when
  // there is one and the shape has one axis other than 1, that axis is it.
  Labels moving;
  for (std::size_t i = 0; i + 1 < labels.size(); ++i) {
    if (labels[i] != '1') moving += labels[i];
  }
  std::size_t non_unit = 0;
  for (std::size_t i = 0; i + 1 < shape.size(); ++i) non_unit += shape[i] != 1;
  Labels out;
  for (std::size_t i = 0; i + 1 < shape.size(); ++i) {
    if (shape[i] == 1) out += '1';
    else if (shape[i] == 0 && i + 1 < labels.size()) out += labels[i];  // 0 copies the input's axis
    else out += (moving.size() == 1 && non_unit == 1) ? moving[0] : 'm';
  }
  return out + 'F';
}

}  // namespace grurt::convert::onnx_axes
