#include "csv_file.hpp"

#include <cmath>
#include <stdexcept>

#include "csv_rows.hpp"
#include "grurt_convert/conversion_error.hpp"
#include "host_file.hpp"

namespace grurt::convert {

std::vector<std::vector<float>> read_csv_file(const std::string& path, std::size_t width) {
  std::vector<std::vector<float>> rows;
  try {
    std::ifstream in = tools::open_text_input(path);
    tools::CsvRows csv(in, width);
    std::vector<float> row;
    while (csv.next(row)) {
      // A NaN would make every later comparison fail with no useful step to name.
      for (float v : row) {
        if (!std::isfinite(v)) {
          throw ConversionError(path + ": line " + std::to_string(csv.line_number()) + ": " + std::to_string(v) +
                                " is not a finite value; the check and --expect need finite inputs and outputs");
        }
      }
      rows.push_back(row);
    }
  } catch (const ConversionError&) {
    throw;
  } catch (const std::runtime_error& e) {
    throw ConversionError(path + ": " + e.what());
  }
  if (rows.empty()) throw ConversionError(path + ": no rows (one time step per line, " + std::to_string(width) + " values)");
  return rows;
}

}  // namespace grurt::convert
