// A fixed-size, heap-free error message holder used by Model and Session.
#pragma once

#include <cstddef>
#include <cstdint>

#include "grurt/status.hpp"

namespace grurt {

// A 32-bit value written as 0x and 8 upper-case hex digits (checksums).
struct Hex32 {
  std::uint32_t value;
};

// Holds the status and message of the last failure. Messages are built with a
// tiny formatter of our own (strings and integers only) so the runtime never
// pulls in printf, which is large on microcontrollers and may allocate.
class ErrorText {
 public:
  static constexpr std::size_t kCapacity = 200;

  Status status() const noexcept { return status_; }
  const char* message() const noexcept { return text_; }
  void clear() noexcept;

  // Starts a new message for `status`; append parts with operator<<. A message
  // longer than kCapacity - 1 characters is cut, never overflowed.
  ErrorText& fail(Status status) noexcept;
  ErrorText& operator<<(const char* text) noexcept;
  ErrorText& operator<<(std::uint64_t value) noexcept;
  ErrorText& operator<<(std::int64_t value) noexcept;
  ErrorText& operator<<(std::uint32_t value) noexcept { return *this << static_cast<std::uint64_t>(value); }
  ErrorText& operator<<(int value) noexcept { return *this << static_cast<std::int64_t>(value); }
  ErrorText& operator<<(Hex32 value) noexcept;
  // Lets `return error_.fail(...) << ...;` return the status from a function.
  operator Status() const noexcept { return status_; }

 private:
  void append(char c) noexcept;

  Status status_ = Status::kOk;
  std::size_t length_ = 0;
  char text_[kCapacity] = {};
};

}  // namespace grurt
