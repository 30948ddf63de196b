// grurt_load_options (C, zero means the default) as grurt::LoadOptions, for
// the float and the integer C API alike.
#pragma once

#include "grurt/grurt.h"
#include "grurt/load_options.hpp"

namespace grurt {
namespace detail {

inline LoadOptions to_load_options(const grurt_load_options* options) noexcept {
  LoadOptions result;
  if (options != nullptr) {
    result.verify_checksum = options->skip_checksum == 0;
    result.require_checksum = options->require_checksum != 0;
  }
  return result;
}

}  // namespace detail
}  // namespace grurt
