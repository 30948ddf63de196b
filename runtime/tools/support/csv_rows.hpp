// The CSV contract of grurt-run: one time step per line, comma-separated
// floats; blank lines and lines starting with '#' are skipped.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

namespace grurt::tools {

class CsvRows {
 public:
  // Rows must have exactly `width` values.
  CsvRows(std::istream& in, std::size_t width) : in_(in), width_(width) {}

  // Reads the next data row into `values`. Returns false at end of input.
  // Throws std::runtime_error "line N: ..." for a wrong count or a non-number.
  bool next(std::vector<float>& values);

  std::size_t line_number() const { return line_number_; }

 private:
  std::istream& in_;
  std::size_t width_;
  std::size_t line_number_ = 0;
  std::string line_;
};

// Formats values as "%.9g" joined by commas (enough digits to round-trip a
// float); any NaN as "nan", infinities as "inf" / "-inf".
std::string format_row(const float* values, std::size_t count);

}  // namespace grurt::tools
