// The tools library's one aligned buffer: what the runtime is handed.
#include <catch2/catch.hpp>
#include <cstdint>
#include <utility>
#include <vector>

#include "aligned_bytes.hpp"

using grurt::tools::AlignedBytes;

namespace {

bool aligned(const void* p) { return reinterpret_cast<std::uintptr_t>(p) % grurt::kModelAlignment == 0; }

}  // namespace

TEST_CASE("host AlignedBytes: exactly the size asked for, 64-byte aligned, zeroed", "[aligned_bytes]") {
  STATIC_REQUIRE(AlignedBytes::kAlignment == 64);
  for (const std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{63}, std::size_t{64}, std::size_t{4097}}) {
    const AlignedBytes bytes(size);
    INFO("size " << size);
    REQUIRE(bytes.data() != nullptr);  // even for 0 bytes: a real pointer Model::load can check
    REQUIRE(aligned(bytes.data()));
    REQUIRE(bytes.size() == size);
    REQUIRE(bytes.empty() == (size == 0));
    for (std::size_t i = 0; i < size; ++i) REQUIRE(bytes.data()[i] == 0);
  }
}

TEST_CASE("host AlignedBytes: a copy of given bytes", "[aligned_bytes]") {
  const std::vector<std::uint8_t> source{1, 2, 3, 250, 251};
  const AlignedBytes from_vector(source);
  const AlignedBytes from_pointer(source.data() + 1, 3);
  REQUIRE(aligned(from_vector.data()));
  REQUIRE(std::vector<std::uint8_t>(from_vector.data(), from_vector.data() + from_vector.size()) == source);
  REQUIRE(std::vector<std::uint8_t>(from_pointer.data(), from_pointer.data() + from_pointer.size()) ==
          std::vector<std::uint8_t>{2, 3, 250});
  REQUIRE(AlignedBytes(nullptr, 0).size() == 0);
}

TEST_CASE("host AlignedBytes: default is no buffer, and moving hands the buffer over", "[aligned_bytes]") {
  AlignedBytes none;
  REQUIRE(none.data() == nullptr);
  REQUIRE(none.empty());
  AlignedBytes bytes(std::vector<std::uint8_t>{7, 8, 9});
  const std::uint8_t* const where = bytes.data();
  none = std::move(bytes);
  REQUIRE(none.data() == where);
  REQUIRE(none.size() == 3);
  REQUIRE(none.data()[2] == 9);
}
