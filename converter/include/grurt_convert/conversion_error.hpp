// The one exception type of the converter: a message a user can act on.
#pragma once

#include <stdexcept>
#include <string>

namespace grurt::convert {

class ConversionError : public std::runtime_error {
 public:
  explicit ConversionError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace grurt::convert
