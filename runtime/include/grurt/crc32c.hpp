// CRC-32C (Castagnoli), the checksum a .grurt file carries over its own bytes
// (schema/grurt.fbs, Model.crc32c): reflected polynomial 0x82F63B78, initial
// value and final XOR 0xFFFFFFFF. Four bits at a time from a 64-byte constant table:
// no heap, no OS, the same result on every core and byte order.
#pragma once

#include <cstddef>
#include <cstdint>

namespace grurt {

// CRC-32C of `size` bytes at `data`. Pass the CRC of the bytes before them as
// `crc` to continue one computation over pieces: crc32c(b, nb, crc32c(a, na))
// is the CRC of a followed by b. crc32c("123456789", 9) == 0xE3069283.
std::uint32_t crc32c(const void* data, std::size_t size, std::uint32_t crc = 0) noexcept;

}  // namespace grurt
