#include "chart_rows.hpp"

#include <cstdio>
#include <stdexcept>

namespace grurt::bench {

void write_chart_rows(const std::string& path, const std::vector<ChartRow>& rows) {
  std::FILE* file = std::fopen(path.c_str(), "w");
  if (file == nullptr) throw std::runtime_error(path + ": cannot be written (--chart-data)");
  std::fprintf(file, "# kind\tI\tH\tweights_kb\tbound\tgrurt_step\tgrurt_run\tgrurt_streams\trtneural\tlibtorch\t"
                     "onednn\n");
  for (const ChartRow& r : rows) {
    std::fprintf(file, "%s\t%u\t%u\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\n", r.kind.c_str(), r.input_size,
                 r.hidden_size, r.weight_kb, r.bound, r.grurt_step, r.grurt_run, r.grurt_streams, r.rtneural,
                 r.libtorch, r.onednn);
  }
  if (std::fclose(file) != 0) throw std::runtime_error(path + ": cannot be written (--chart-data)");
}

}  // namespace grurt::bench
