// Where the rows of a packed weight matrix go (Panel16 and Panel16x4 in
// schema/grurt.fbs): the rows form `blocks` equal blocks (a GRU's three gates,
// an LSTM's four; 1 for a Dense layer), each padded to whole 16-row panels,
// block b's panels after block b-1's.
#pragma once

#include <cstdint>

#include "grurt/model.hpp"

namespace grurt::convert {

struct PanelRows {
  std::uint32_t blocks;
  std::uint32_t block_rows;   // rows of one block
  std::uint64_t padded_rows;  // the same, padded to whole panels

  // `rows` must be a multiple of `blocks`.
  PanelRows(std::uint32_t rows, std::uint32_t row_blocks)
      : blocks(row_blocks), block_rows(rows / row_blocks), padded_rows(round_up_to_panel(rows / row_blocks)) {}

  // Rows stored, every block's padding included.
  std::uint64_t stored() const { return blocks * padded_rows; }
  // The stored row of row-major row i; panel stored_row / 16, row in it stored_row % 16.
  std::uint64_t stored_row(std::uint32_t i) const { return i / block_rows * padded_rows + i % block_rows; }
};

}  // namespace grurt::convert
