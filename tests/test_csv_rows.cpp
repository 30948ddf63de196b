// grurt-run's CSV contract.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <sstream>

#include "csv_rows.hpp"

using grurt::tools::CsvRows;

TEST_CASE("CSV rows: values, spaces, comments and blank lines", "[csv]") {
  std::istringstream in("# header comment\n1, 2.5 ,-3e-2\n\n   \n  # indented comment\n4,5,6\r\n");
  CsvRows rows(in, 3);
  std::vector<float> values;
  REQUIRE(rows.next(values));
  REQUIRE(values == std::vector<float>{1.0f, 2.5f, -3e-2f});
  REQUIRE(rows.line_number() == 2);
  REQUIRE(rows.next(values));
  REQUIRE(values == std::vector<float>{4.0f, 5.0f, 6.0f});
  REQUIRE(rows.line_number() == 6);
  REQUIRE_FALSE(rows.next(values));
}

TEST_CASE("CSV rows: CRLF line ends read as LF ones, and errors name values without the CR", "[csv]") {
  // As Windows programs write them, a CR alone on a blank line included.
  std::istringstream in("# x\r\n1,2\r\n\r\n 3 , 4 \r\n5,abc\r\n");
  CsvRows rows(in, 2);
  std::vector<float> values;
  REQUIRE(rows.next(values));
  REQUIRE(values == std::vector<float>{1.0f, 2.0f});
  REQUIRE(rows.next(values));
  REQUIRE(values == std::vector<float>{3.0f, 4.0f});
  REQUIRE(rows.line_number() == 4);
  REQUIRE_THROWS_WITH(rows.next(values), "line 5, value 2: 'abc' is not a number");
}

TEST_CASE("CSV rows: a wrong count names the line and both counts", "[csv]") {
  std::istringstream in("1,2\n1,2,3\n");
  CsvRows rows(in, 2);
  std::vector<float> values;
  REQUIRE(rows.next(values));
  REQUIRE_THROWS_WITH(rows.next(values), "line 2: 3 values, but the model takes 2 inputs per step");
}

TEST_CASE("CSV rows: a non-number names the line, the position and the text", "[csv]") {
  std::vector<float> values;
  std::istringstream bad("0.5,abc\n");
  CsvRows rows(bad, 2);
  REQUIRE_THROWS_WITH(rows.next(values), "line 1, value 2: 'abc' is not a number");
  std::istringstream trailing("# c\n1.5x\n");
  CsvRows rows2(trailing, 1);
  REQUIRE_THROWS_WITH(rows2.next(values), "line 2, value 1: '1.5x' is not a number");
  std::istringstream empty("1,,2\n");
  CsvRows rows3(empty, 3);
  REQUIRE_THROWS_WITH(rows3.next(values), "line 1, value 2: empty value");
  std::istringstream huge("1e999\n");
  CsvRows rows4(huge, 1);
  REQUIRE_THROWS_WITH(rows4.next(values), "line 1, value 1: '1e999' is out of float range");
}

TEST_CASE("format_row prints %.9g, enough to round-trip a float", "[csv]") {
  const float values[] = {0.1f, -2.0f, 1.0e-20f, 123456789.0f};
  const std::string row = grurt::tools::format_row(values, 4);
  REQUIRE(row == "0.100000001,-2,9.99999968e-21,123456792");
  std::istringstream in(row);
  CsvRows rows(in, 4);
  std::vector<float> back;
  REQUIRE(rows.next(back));
  REQUIRE(back == std::vector<float>(values, values + 4));
}

TEST_CASE("format_row prints non-finite values as nan, inf and -inf, which read back", "[csv]") {
  const float values[] = {std::numeric_limits<float>::quiet_NaN(), -std::numeric_limits<float>::quiet_NaN(),
                          std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()};
  const std::string row = grurt::tools::format_row(values, 4);
  REQUIRE(row == "nan,nan,inf,-inf");
  std::istringstream in(row);
  CsvRows rows(in, 4);
  std::vector<float> back;
  REQUIRE(rows.next(back));
  REQUIRE(std::isnan(back[0]));
  REQUIRE(std::isnan(back[1]));
  REQUIRE(back[2] == values[2]);
  REQUIRE(back[3] == values[3]);
}
