// The 64-byte alignment the model buffer, its weight arrays and the arena
// need, checked and described in one place.
#pragma once

#include <cstdint>

#include "grurt/error_text.hpp"
#include "grurt/model.hpp"

namespace grurt {
namespace detail {

inline std::uint64_t misalignment(const void* address) noexcept {
  return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(address) % kModelAlignment);
}

// Appends "is not 64-byte aligned (address mod 64 = N)" to a message about
// `address`, which the caller names.
inline ErrorText& not_aligned(ErrorText& message, const void* address) noexcept {
  const auto alignment = static_cast<std::uint32_t>(kModelAlignment);
  return message << "is not " << alignment << "-byte aligned (address mod " << alignment << " = "
                 << misalignment(address) << ")";
}

}  // namespace detail
}  // namespace grurt
