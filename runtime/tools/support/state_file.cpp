#include "state_file.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace grurt::tools {
namespace {

bool blank_or_comment(const std::string& line) {
  const std::size_t first = line.find_first_not_of(" \t\r");
  return first == std::string::npos || line[first] == '#';
}

// The one float of a line, or a message saying why it is not one.
float parse_value(const std::string& line, const std::string& where) {
  const char* begin = line.c_str();
  char* end = nullptr;
  const float value = std::strtof(begin, &end);
  const bool rest_blank = end != begin && std::string(end).find_first_not_of(" \t\r") == std::string::npos;
  if (!rest_blank) throw std::runtime_error(where + ": '" + line + "' is not one number");
  if (!std::isfinite(value)) {
    // "nan", "inf" and literals beyond float's range (strtof gives inf) alike.
    throw std::runtime_error(where + ": '" + line + "' is not finite; a state must be (Session::write_state refuses it)");
  }
  return value;
}

}  // namespace

std::vector<float> read_state_file(const std::string& path, std::size_t count) {
  const AlignedBytes bytes = read_file(path, kStateFileLimit);
  const std::string text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  std::vector<float> values;
  std::size_t line_number = 0;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();  // a CRLF line end: named without its CR
    start = end + 1;
    ++line_number;
    if (blank_or_comment(line)) continue;
    const std::string where = "'" + path + "' line " + std::to_string(line_number);
    values.push_back(parse_value(line, where));
    if (values.size() > count) {
      throw std::runtime_error(where + ": more than " + std::to_string(count) +
                               " values; this model's state has " + std::to_string(count) + " floats");
    }
  }
  if (values.size() != count) {
    throw std::runtime_error("'" + path + "' has " + std::to_string(values.size()) +
                             " values; this model's state has " + std::to_string(count) + " floats (one per line)");
  }
  return values;
}

void write_state_file(const std::string& path, const float* values, std::size_t count) {
  std::string text;
  char number[32];
  for (std::size_t i = 0; i < count; ++i) {
    std::snprintf(number, sizeof number, "%.9g\n", static_cast<double>(values[i]));
    text += number;
  }
  write_file(path, text.data(), text.size());
}

}  // namespace grurt::tools
