// The comparison bench's timings as a table for bench/draw_chart.sh (gnuplot):
// one row per (kind, size), tab-separated, ns per step (0: not measured).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace grurt::bench {

struct ChartRow {
  std::string kind;  // "gru", "lstm", "amp"
  std::uint32_t input_size = 0, hidden_size = 0;
  double weight_kb = 0;
  double bound = 0, grurt_step = 0, grurt_run = 0, grurt_streams = 0;  // streams: per stream step
  double rtneural = 0, libtorch = 0, onednn = 0;
};

// Writes `rows` to `path` with a header line naming the columns; throws
// std::runtime_error naming the file when it cannot be written.
void write_chart_rows(const std::string& path, const std::vector<ChartRow>& rows);

}  // namespace grurt::bench
