#include "grurt/error_text.hpp"

namespace grurt {

void ErrorText::clear() noexcept {
  status_ = Status::kOk;
  length_ = 0;
  text_[0] = '\0';
}

ErrorText& ErrorText::fail(Status status) noexcept {
  clear();
  status_ = status;
  return *this;
}

void ErrorText::append(char c) noexcept {
  if (length_ + 1 < kCapacity) {
    text_[length_++] = c;
    text_[length_] = '\0';
  }
}

ErrorText& ErrorText::operator<<(const char* text) noexcept {
  if (text == nullptr) text = "(null)";
  while (*text != '\0') append(*text++);
  return *this;
}

ErrorText& ErrorText::operator<<(std::uint64_t value) noexcept {
  char digits[20];
  int count = 0;
  do {
    digits[count++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (count > 0) append(digits[--count]);
  return *this;
}

ErrorText& ErrorText::operator<<(std::int64_t value) noexcept {
  if (value < 0) {
    append('-');
    // Negate in unsigned arithmetic so INT64_MIN does not overflow.
    return *this << (~static_cast<std::uint64_t>(value) + 1u);
  }
  return *this << static_cast<std::uint64_t>(value);
}

ErrorText& ErrorText::operator<<(Hex32 value) noexcept {
  append('0');
  append('x');
  for (int shift = 28; shift >= 0; shift -= 4) append("0123456789ABCDEF"[(value.value >> shift) & 0xFu]);
  return *this;
}

}  // namespace grurt
