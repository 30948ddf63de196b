#include "csv_rows.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace grurt::tools {
namespace {

std::string trim(const std::string& text, std::size_t begin, std::size_t end) {
  while (begin < end && (text[begin] == ' ' || text[begin] == '\t' || text[begin] == '\r')) ++begin;
  while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r')) --end;
  return text.substr(begin, end - begin);
}

}  // namespace

bool CsvRows::next(std::vector<float>& values) {
  while (std::getline(in_, line_)) {
    ++line_number_;
    const std::string content = trim(line_, 0, line_.size());
    if (content.empty() || content[0] == '#') continue;
    values.clear();
    std::size_t begin = 0;
    while (true) {
      const std::size_t comma = content.find(',', begin);
      const std::size_t end = comma == std::string::npos ? content.size() : comma;
      const std::string field = trim(content, begin, end);
      const std::string where = "line " + std::to_string(line_number_) + ", value " + std::to_string(values.size() + 1);
      if (field.empty()) throw std::runtime_error(where + ": empty value");
      char* parsed_end = nullptr;
      errno = 0;
      const float value = std::strtof(field.c_str(), &parsed_end);
      if (parsed_end != field.c_str() + field.size()) {
        throw std::runtime_error(where + ": '" + field + "' is not a number");
      }
      if (errno == ERANGE && (value > 1.0f || value < -1.0f)) {
        throw std::runtime_error(where + ": '" + field + "' is out of float range");
      }
      values.push_back(value);
      if (comma == std::string::npos) break;
      begin = comma + 1;
    }
    if (values.size() != width_) {
      throw std::runtime_error("line " + std::to_string(line_number_) + ": " + std::to_string(values.size()) +
                               " values, but the model takes " + std::to_string(width_) + " inputs per step");
    }
    return true;
  }
  if (in_.bad()) throw std::runtime_error("read error after line " + std::to_string(line_number_));
  return false;
}

std::string format_row(const float* values, std::size_t count) {
  std::string row;
  char text[32];
  for (std::size_t i = 0; i < count; ++i) {
    // Any NaN prints as "nan": printf would print the sign bit ("-nan"), which means nothing.
    if (values[i] != values[i]) {
      std::snprintf(text, sizeof text, "nan");
    } else {
      std::snprintf(text, sizeof text, "%.9g", static_cast<double>(values[i]));
    }
    if (i > 0) row += ',';
    row += text;
  }
  return row;
}

}  // namespace grurt::tools
