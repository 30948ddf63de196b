// The runtime's heap-free message formatter.
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include "grurt/error_text.hpp"
#include "grurt/grurt.h"
#include "grurt/status.hpp"

using grurt::ErrorText;
using grurt::Status;

TEST_CASE("ErrorText formats strings and integers", "[error_text]") {
  ErrorText text;
  REQUIRE(text.status() == Status::kOk);
  REQUIRE(std::string(text.message()).empty());
  text.fail(Status::kShapeMismatch) << "a " << std::uint32_t{0} << " " << std::uint64_t{18446744073709551615ull}
                                    << " " << -7 << " " << std::numeric_limits<std::int64_t>::min();
  REQUIRE(text.status() == Status::kShapeMismatch);
  REQUIRE(std::string(text.message()) == "a 0 18446744073709551615 -7 -9223372036854775808");
  text.clear();
  REQUIRE(text.status() == Status::kOk);
  REQUIRE(std::string(text.message()).empty());
}

TEST_CASE("ErrorText cuts long messages instead of overflowing", "[error_text]") {
  ErrorText text;
  text.fail(Status::kInvalidModel);
  for (int i = 0; i < 100; ++i) text << "0123456789";
  REQUIRE(std::strlen(text.message()) == ErrorText::kCapacity - 1);
}

TEST_CASE("Every status has a name and the C enum mirrors the C++ one", "[error_text]") {
  for (int s = 0; s <= GRURT_ISA_UNAVAILABLE; ++s) {
    const std::string name = grurt::status_name(static_cast<Status>(s));
    INFO("status " << s);
    REQUIRE(name != "unknown status");
    REQUIRE(name == grurt_status_name(static_cast<grurt_status>(s)));
  }
  REQUIRE(static_cast<int>(Status::kSizeMismatch) == GRURT_SIZE_MISMATCH);
  REQUIRE(static_cast<int>(Status::kIsaUnavailable) == GRURT_ISA_UNAVAILABLE);
  REQUIRE(static_cast<int>(Status::kShapeMismatch) == GRURT_SHAPE_MISMATCH);
  REQUIRE(static_cast<int>(Status::kArenaMisaligned) == GRURT_ARENA_MISALIGNED);
  REQUIRE(std::string(grurt::status_name(static_cast<Status>(99))) == "unknown status");
}

TEST_CASE("ErrorText writes checksums as 0x and 8 upper-case hex digits", "[error_text]") {
  ErrorText text;
  text.fail(Status::kCorruptFile) << grurt::Hex32{0xE3069283u} << " " << grurt::Hex32{0u} << " "
                                  << grurt::Hex32{0xFFFFFFFFu} << " " << grurt::Hex32{0x0000ABCDu};
  REQUIRE(std::string(text.message()) == "0xE3069283 0x00000000 0xFFFFFFFF 0x0000ABCD");
}
