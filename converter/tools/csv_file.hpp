// Whole CSV files of time steps, as grurt-run reads and writes them (one step
// per line, comma-separated floats), for --check-input and --expect.
#pragma once

#include <string>
#include <vector>

namespace grurt::convert {

// Every row of `path`, each of exactly `width` values. Throws ConversionError
// "PATH: line N: ..." for a bad row or a NaN or infinity, and "PATH: no rows"
// for an empty file.
std::vector<std::vector<float>> read_csv_file(const std::string& path, std::size_t width);

}  // namespace grurt::convert
