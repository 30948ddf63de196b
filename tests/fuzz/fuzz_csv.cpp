// Fuzz target: the CSV reader of grurt-run. The first byte picks the row
// width (1..16); the rest is the text. Any text must give rows of exactly
// that width or a std::runtime_error naming the line.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "csv_rows.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t width = 1 + data[0] % 16;
  std::istringstream text(std::string(reinterpret_cast<const char*>(data + 1), size - 1));
  grurt::tools::CsvRows rows(text, width);
  std::vector<float> values;
  try {
    while (rows.next(values)) {
      if (values.size() != width) std::abort();
      (void)grurt::tools::format_row(values.data(), values.size());
    }
  } catch (const std::runtime_error& error) {
    if (std::string(error.what()).rfind("line ", 0) != 0) std::abort();  // must name the line
  }
  return 0;
}
