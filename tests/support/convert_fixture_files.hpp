// The converter fixtures' files (tests/fixtures/convert, GRURT_CONVERT_FIXTURES)
// as the host tests read them: a weights file as a SourceFile, a CSV of
// numbers (inputs, PyTorch's expected outputs) as rows.
#pragma once

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "grurt_convert/source_file.hpp"

namespace grurt::test {

// The whole file as text; REQUIREs that it opens.
inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in.good());
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// One row of numbers per line, comma separated.
inline std::vector<std::vector<double>> read_csv_rows(const std::string& path) {
  std::istringstream text(read_text_file(path));
  std::vector<std::vector<double>> rows;
  for (std::string line; std::getline(text, line);) {
    std::vector<double> row;
    std::istringstream fields(line);
    for (std::string field; std::getline(fields, field, ',');) row.push_back(std::stod(field));
    rows.push_back(row);
  }
  return rows;
}

// tests/fixtures/convert/`file` read by the converter's front door.
inline convert::SourceFile read_convert_fixture(const std::string& file) {
  std::ifstream in(std::string(GRURT_CONVERT_FIXTURES) + "/" + file, std::ios::binary);
  REQUIRE(in.good());
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return convert::read_source_file(bytes.data(), bytes.size());
}

// Largest |step(input) - PyTorch's output| over fixture `name`'s steps
// (name.input.csv, name.expected.csv); `step` maps one input row to outputs.
template <class Step>
double max_difference_to_pytorch(const std::string& name, Step step) {
  const auto inputs = read_csv_rows(std::string(GRURT_CONVERT_FIXTURES) + "/" + name + ".input.csv");
  const auto expected = read_csv_rows(std::string(GRURT_CONVERT_FIXTURES) + "/" + name + ".expected.csv");
  REQUIRE(inputs.size() == expected.size());
  double worst = 0.0;
  for (std::size_t t = 0; t < inputs.size(); ++t) {
    const std::vector<double> out = step(inputs[t]);
    REQUIRE(out.size() == expected[t].size());
    for (std::size_t i = 0; i < out.size(); ++i) worst = std::max(worst, std::fabs(out[i] - expected[t][i]));
  }
  return worst;
}

}  // namespace grurt::test
