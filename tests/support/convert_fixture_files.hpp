// The converter fixtures' files (tests/fixtures/convert, GRURT_CONVERT_FIXTURES)
// as the host tests read them: a weights file as a SourceFile, a CSV of
// numbers (inputs, PyTorch's expected outputs) as rows.
#pragma once

#include <catch2/catch.hpp>
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

}  // namespace grurt::test
