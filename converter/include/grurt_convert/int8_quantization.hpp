// Symmetric per-row int8 weights (the schema's I8, layout Panel16x4) for
// grurt-convert --weights int8.
#pragma once

#include <cstdint>
#include <vector>

namespace grurt::convert {

// A row-major [rows][cols] matrix quantized row by row:
// weight(i, k) ~= q[i * cols + k] * scales[i].
struct QuantizedRows {
  std::vector<std::int8_t> q;   // [rows * cols], each in -127..127
  std::vector<float> scales;    // [rows], each finite and > 0
};

// The stored form of a QuantizedRows (schema/grurt.fbs, Panel16x4): `packed`
// holds stored_rows * c4 bytes (stored_rows: every row block padded to whole
// 16-row panels; c4: cols rounded up to a multiple of 4); `row_scales` one
// scale per stored row, padding rows 1.0f (their q are 0).
struct QuantizedMatrix {
  std::vector<std::int8_t> packed;
  std::vector<float> row_scales;
};

// Quantizes each row of a finite row-major [rows][cols] matrix:
//   scale = max_k |w(i, k)| / 127 in float64, rounded to the nearest float32;
//           1.0f for an all-zero row; a quotient below the smallest normal
//           float (2^-126) is rounded up to a multiple of 2^-149 instead, so
//           it never becomes 0 and the row's largest value never clamps;
//   q     = round to nearest, ties to even, of w / scale in float64 (scale as
//           stored, so q * scale is what the runtime multiplies), clamped to
//           [-127, 127] (-128 never: the kernels negate weights).
// So |w - q * scale| <= scale / 2 for every element.
// tests/fixtures/int8/make_int8_fixtures.py computes the same in numpy.
QuantizedRows quantize_rows(const std::vector<float>& row_major, std::uint32_t rows, std::uint32_t cols);

// Panel16x4 packing of quantized rows whose rows form `blocks` equal blocks
// (a GRU's three gates; 1 for a Dense layer): row p*16 + j, column k of a
// block at byte (p * c4 + (k / 4) * 4) * 16 + j * 4 + k % 4, block b's panels
// after block b-1's.
QuantizedMatrix pack_panel16x4(const QuantizedRows& rows_in, std::uint32_t rows, std::uint32_t cols,
                               std::uint32_t blocks);

}  // namespace grurt::convert
