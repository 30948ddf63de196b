#include "grurt_convert/int8_quantization.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "grurt_convert/panel_rows.hpp"

namespace grurt::convert {
namespace {

constexpr int kMaxQ = 127;

float row_scale(const float* row, std::uint32_t cols) {
  double largest = 0.0;
  for (std::uint32_t k = 0; k < cols; ++k) largest = std::max(largest, std::fabs(static_cast<double>(row[k])));
  if (largest == 0.0) return 1.0f;
  const double scale = largest / kMaxQ;
  // Below the smallest normal float a subnormal holds few bits: rounded to
  // nearest, it could round to 0 or far enough down that the row's largest
  // value clamps. Rounded up to a whole multiple of the smallest subnormal
  // instead (exact in double), |w| / scale stays within 127.
  constexpr double kSmallestSubnormal = std::numeric_limits<float>::denorm_min();
  if (scale < std::numeric_limits<float>::min()) {
    return static_cast<float>(std::ceil(scale / kSmallestSubnormal) * kSmallestSubnormal);
  }
  return static_cast<float>(scale);
}

}  // namespace

QuantizedRows quantize_rows(const std::vector<float>& row_major, std::uint32_t rows, std::uint32_t cols) {
  QuantizedRows out;
  out.q.resize(std::size_t{rows} * cols);
  out.scales.resize(rows);
  for (std::uint32_t i = 0; i < rows; ++i) {
    const float* row = row_major.data() + std::size_t{i} * cols;
    const float scale = row_scale(row, cols);
    out.scales[i] = scale;
    for (std::uint32_t k = 0; k < cols; ++k) {
      // nearbyint rounds ties to even in the default rounding mode, as numpy's rint.
      const double q = std::nearbyint(static_cast<double>(row[k]) / scale);
      out.q[std::size_t{i} * cols + k] = static_cast<std::int8_t>(std::clamp(q, -double{kMaxQ}, double{kMaxQ}));
    }
  }
  return out;
}

QuantizedMatrix pack_panel16x4(const QuantizedRows& rows_in, std::uint32_t rows, std::uint32_t cols,
                               std::uint32_t blocks) {
  const PanelRows layout(rows, blocks);
  const std::uint64_t c4 = int8_padded_columns(cols);
  QuantizedMatrix out;
  out.packed.assign(layout.stored() * c4, 0);
  out.row_scales.assign(layout.stored(), 1.0f);
  for (std::uint32_t i = 0; i < rows; ++i) {
    const std::uint64_t stored = layout.stored_row(i);
    const std::uint64_t p = stored / kPanelRows, j = stored % kPanelRows;
    out.row_scales[stored] = rows_in.scales[i];
    for (std::uint32_t k = 0; k < cols; ++k) {
      out.packed[(p * c4 + k / kInt8GroupColumns * kInt8GroupColumns) * kPanelRows + j * kInt8GroupColumns +
                 k % kInt8GroupColumns] =
          rows_in.q[std::size_t{i} * cols + k];
    }
  }
  return out;
}

}  // namespace grurt::convert
