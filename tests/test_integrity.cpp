// The file's CRC-32C (schema/grurt.fbs, Model.crc32c): the algorithm against
// published check values, the writer's stored value against an independent
// bit-at-a-time CRC over the field found by walking the vtable by hand, and
// the loaders' refusals of damaged files (Model, IntegerModel, the options).
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "grurt/crc32c.hpp"
#include "grurt/grurt.hpp"
#include "grurt/grurt_integer.h"
#include "grurt_convert/integer_plan.hpp"
#include "host_file.hpp"
#include "support/random_models.hpp"

using namespace grurt;
using namespace grurt::test;

namespace {

// CRC-32C one bit at a time from the definition (reflected 0x82F63B78,
// initial and final XOR 0xFFFFFFFF): no table, nothing shared with the runtime.
std::uint32_t bitwise_crc32c(const std::uint8_t* bytes, std::size_t size) {
  std::uint32_t r = 0xFFFFFFFFu;
  for (std::size_t i = 0; i < size; ++i) {
    r ^= bytes[i];
    for (int bit = 0; bit < 8; ++bit) r = (r >> 1) ^ ((r & 1u) ? 0x82F63B78u : 0u);
  }
  return ~r;
}

std::uint32_t crc_of(const std::string& text) { return crc32c(text.data(), text.size()); }

std::uint32_t little_endian32(const std::uint8_t* p) {
  return p[0] | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[3]} << 24);
}
std::uint32_t little_endian16(const std::uint8_t* p) { return p[0] | (std::uint32_t{p[1]} << 8); }

// Where the checksum's 4 bytes are, found as the schema says another
// implementation would: the root offset, the root table's vtable, its entry
// for field 7 (byte 18). 0 when the vtable has no such field.
std::size_t checksum_offset(const std::vector<std::uint8_t>& file) {
  const std::uint32_t table = little_endian32(file.data());
  const std::uint32_t vtable = table - static_cast<std::int32_t>(little_endian32(file.data() + table));
  if (little_endian16(file.data() + vtable) <= 18) return 0;
  const std::uint32_t field = little_endian16(file.data() + vtable + 18);
  return field == 0 ? 0 : table + field;
}

// A small model: GRU(2 -> 3) and Dense(3 -> 2), a few hundred bytes.
CanonicalModel small_model() {
  std::mt19937 rng(18);
  return stacked_model(2, {{"", random_gru(rng, 2, 3, true)}, {"", random_dense(rng, 3, 2, Activation::kIdentity)}});
}

struct Attempt {
  Status status;
  std::string message;
  Integrity integrity;
};

Attempt try_load(const std::vector<std::uint8_t>& file, const LoadOptions& options = LoadOptions{}) {
  AlignedBytes bytes(file.data(), file.size());
  Model model;
  const Status status = model.load(bytes.data(), bytes.size(), options);
  return {status, model.error(), model.integrity()};
}

LoadOptions unchecked() {
  LoadOptions options;
  options.verify_checksum = false;
  return options;
}

LoadOptions mandatory() {
  LoadOptions options;
  options.require_checksum = true;
  return options;
}

// The offset of layer 0's W data (its first weight) inside the file.
std::size_t first_weight_offset(const std::vector<std::uint8_t>& file) {
  AlignedBytes bytes(file.data(), file.size());
  Model model;
  REQUIRE(model.load(bytes.data(), bytes.size()) == Status::kOk);
  return static_cast<std::size_t>(static_cast<const std::uint8_t*>(model.layer(0).weight.data) - bytes.data());
}

std::string hex(std::uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08X", static_cast<unsigned>(value));
  return text;
}

}  // namespace

TEST_CASE("CRC-32C gives the published check values", "[integrity]") {
  CHECK(crc_of("123456789") == 0xE3069283u);  // the CRC catalogue's check value
  CHECK(crc_of("") == 0u);
  CHECK(crc_of("a") == 0xC1D04330u);
  // RFC 3720 (iSCSI), appendix B.4: 32 bytes of 0x00, of 0xFF, ascending, descending.
  std::uint8_t block[32];
  std::memset(block, 0, sizeof block);
  CHECK(crc32c(block, sizeof block) == 0x8A9136AAu);
  std::memset(block, 0xFF, sizeof block);
  CHECK(crc32c(block, sizeof block) == 0x62A8AB43u);
  for (int i = 0; i < 32; ++i) block[i] = static_cast<std::uint8_t>(i);
  CHECK(crc32c(block, sizeof block) == 0x46DD794Eu);
  for (int i = 0; i < 32; ++i) block[i] = static_cast<std::uint8_t>(31 - i);
  CHECK(crc32c(block, sizeof block) == 0x113FDB5Cu);
}

TEST_CASE("CRC-32C continues over pieces and equals the bit-at-a-time definition", "[integrity]") {
  std::mt19937 rng(7);
  std::vector<std::uint8_t> data(3000);
  for (auto& b : data) b = static_cast<std::uint8_t>(rng());
  const std::uint32_t whole = crc32c(data.data(), data.size());
  CHECK(whole == bitwise_crc32c(data.data(), data.size()));
  for (std::size_t cut : {std::size_t{0}, std::size_t{1}, std::size_t{1499}, std::size_t{3000}}) {
    INFO("cut at " << cut);
    CHECK(crc32c(data.data() + cut, data.size() - cut, crc32c(data.data(), cut)) == whole);
  }
}

TEST_CASE("The writer stores the CRC-32C of the whole file with the field read as zero", "[integrity]") {
  std::vector<std::uint8_t> file = convert::write_model(small_model());
  const std::size_t at = checksum_offset(file);
  REQUIRE(at != 0);
  REQUIRE(at % 4 == 0);
  REQUIRE(at + 4 <= file.size());
  const std::uint32_t stored = little_endian32(file.data() + at);
  std::memset(file.data() + at, 0, 4);
  CHECK(stored == bitwise_crc32c(file.data(), file.size()));
  std::memcpy(file.data() + at, &stored, 4);  // little-endian host (model.cpp asserts it)
  const Attempt loaded = try_load(file);
  REQUIRE(loaded.status == Status::kOk);
  CHECK(loaded.integrity.present);
  CHECK(loaded.integrity.checked);
  CHECK(loaded.integrity.stored == stored);
  CHECK(loaded.integrity.computed == stored);
}

TEST_CASE("A flipped bit in a weight is refused by the checksum with both values in the message", "[integrity]") {
  const CanonicalModel spec = small_model();
  const std::vector<std::uint8_t> good = convert::write_model(spec);
  std::vector<std::uint8_t> bad = good;
  bad[first_weight_offset(good) + 1] ^= 0x10;  // a mantissa bit of the first weight
  const Attempt refused = try_load(bad);
  REQUIRE(refused.status == Status::kCorruptFile);
  const std::uint32_t stored = little_endian32(good.data() + checksum_offset(good));
  std::memset(bad.data() + checksum_offset(bad), 0, 4);
  const std::uint32_t computed = bitwise_crc32c(bad.data(), bad.size());
  CHECK(refused.message == "CRC-32C mismatch: the file stores " + hex(stored) + ", its " +
                               std::to_string(good.size()) + " bytes give " + hex(computed) +
                               ": it was damaged or changed after it was written");
  CHECK(refused.integrity.present);
  CHECK(refused.integrity.checked);
  CHECK(refused.integrity.stored == stored);
  CHECK(refused.integrity.computed == computed);

  // The structure is intact, so without the check it loads (the caller vouches
  // for the bytes), and computes with the changed weight.
  std::memcpy(bad.data() + checksum_offset(bad), &stored, 4);
  const Attempt opted_out = try_load(bad, unchecked());
  CHECK(opted_out.status == Status::kOk);
  CHECK(opted_out.integrity.present);
  CHECK_FALSE(opted_out.integrity.checked);
  auto run = [](const std::vector<std::uint8_t>& file) {
    AlignedBytes bytes(file.data(), file.size());
    Model model;
    REQUIRE(model.load(bytes.data(), bytes.size(), unchecked()) == Status::kOk);
    AlignedBytes arena(model.arena_bytes());
    Session session;
    REQUIRE(session.init(model, arena.data(), arena.size()) == Status::kOk);
    const float x[2] = {0.5f, -0.25f};
    float y[2];
    REQUIRE(session.step(x, y) == Status::kOk);
    return std::vector<float>(y, y + 2);
  };
  CHECK(run(bad) != run(good));
}

// Every bit of the file's first 256 bytes (header, root table and vtables),
// then one bit of every later byte: each damaged copy is refused. By default
// a file without the field loads (0.1.0 files), so a flip that hides the field
// (the root vtable's size or its entry for field 7) is the one kind that
// loads: it changed nothing else, and require_checksum refuses it too.
TEST_CASE("Single bit flips anywhere in a small model are all refused", "[integrity]") {
  const std::vector<std::uint8_t> good = convert::write_model(small_model());
  REQUIRE(try_load(good).status == Status::kOk);
  std::size_t flips = 0, by_checksum = 0, by_structure = 0, field_hidden = 0, verifier_blind = 0;
  for (std::size_t byte = 0; byte < good.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      if (byte >= 256 && bit != static_cast<int>(byte % 8)) continue;
      std::vector<std::uint8_t> bad = good;
      bad[byte] ^= static_cast<std::uint8_t>(1u << bit);
      ++flips;
      INFO("byte " << byte << " bit " << bit);
      const Attempt attempt = try_load(bad);
      if (attempt.status == Status::kOk) {
        CHECK_FALSE(attempt.integrity.present);  // only a hidden field gets through
        ++field_hidden;
      } else if (attempt.message.rfind("CRC-32C mismatch", 0) == 0) {
        CHECK(attempt.status == Status::kCorruptFile);
        ++by_checksum;
      } else {
        ++by_structure;
      }
      CHECK(try_load(bad, mandatory()).status != Status::kOk);
      if (try_load(bad, unchecked()).status == Status::kOk) ++verifier_blind;
    }
  }
  INFO(flips << " flips: " << by_checksum << " refused by the checksum, " << by_structure
             << " by the structure checks, " << field_hidden << " hid the field; " << verifier_blind
             << " load without the checksum");
  CHECK(by_checksum + by_structure + field_hidden == flips);
  CHECK(field_hidden <= 8);  // a few bits of the root vtable
  CHECK(verifier_blind > flips / 2);  // most damage is invisible to the structure checks
  CHECK(by_checksum >= verifier_blind - field_hidden);
}

TEST_CASE("require_checksum refuses a file without the field and accepts one with it", "[integrity]") {
  const std::vector<std::uint8_t> file = convert::write_model(small_model());
  CHECK(try_load(file, mandatory()).status == Status::kOk);
  // The field's vtable entry zeroed: the file as a writer without the field would lay it out.
  std::vector<std::uint8_t> without = file;
  const std::uint32_t table = little_endian32(without.data());
  const std::uint32_t vtable = table - static_cast<std::int32_t>(little_endian32(without.data() + table));
  without[vtable + 18] = 0;
  without[vtable + 19] = 0;
  const Attempt plain = try_load(without);
  CHECK(plain.status == Status::kOk);
  CHECK_FALSE(plain.integrity.present);
  const Attempt required = try_load(without, mandatory());
  CHECK(required.status == Status::kCorruptFile);
  CHECK(required.message ==
        "the file has no CRC-32C (written by grurt-convert 0.1.0, or the field was damaged) and the loader requires one");
}

TEST_CASE("IntegerModel checks the checksum as Model does", "[integrity][integer]") {
  std::mt19937 rng(3);
  CanonicalModel spec = small_model();
  spec.weight_type = ElementType::kI8;
  std::vector<std::vector<float>> inputs;
  for (int t = 0; t < 20; ++t) inputs.push_back(random_values(rng, 2, 1.0f));
  spec.integer = convert::plan_integer(spec, convert::calibrate(spec, inputs));
  const std::vector<std::uint8_t> good = convert::write_model(spec);
  std::vector<std::uint8_t> bad = good;
  bad[first_weight_offset(good)] ^= 0x01;  // an int8 weight
  AlignedBytes good_bytes(good.data(), good.size()), bad_bytes(bad.data(), bad.size());
  IntegerModel model;
  REQUIRE(model.load(good_bytes.data(), good_bytes.size()) == Status::kOk);
  REQUIRE(model.load(bad_bytes.data(), bad_bytes.size()) == Status::kCorruptFile);
  CHECK(std::string(model.error()).rfind("CRC-32C mismatch: the file stores 0x", 0) == 0);
  CHECK(model.load(bad_bytes.data(), bad_bytes.size(), unchecked()) == Status::kOk);

  grurt_integer_model c_model{};
  grurt_load_options skip{};
  skip.skip_checksum = 1;
  CHECK(grurt_integer_model_load(&c_model, bad_bytes.data(), bad_bytes.size()) == GRURT_CORRUPT_FILE);
  CHECK(grurt_integer_model_load_with_options(&c_model, bad_bytes.data(), bad_bytes.size(), &skip) == GRURT_OK);
  CHECK(grurt_integer_model_load_with_options(&c_model, bad_bytes.data(), bad_bytes.size(), nullptr) ==
        GRURT_CORRUPT_FILE);
}

TEST_CASE("The 0.1.0 files have no checksum and load unless one is required", "[integrity][compat]") {
  for (const char* name : {"gru_f32", "lstm_f32", "gru_int8", "gru_f16"}) {
    INFO(name);
    const AlignedBytes file =
        tools::read_file(std::string(GRURT_COMPAT_FIXTURES) + "/0.1.0/" + name + ".grurt", {1u << 20, "a fixture", "small"});
    const std::vector<std::uint8_t> bytes(file.data(), file.data() + file.size());
    CHECK(checksum_offset(bytes) == 0);
    const Attempt loaded = try_load(bytes);
    CHECK(loaded.status == Status::kOk);
    CHECK_FALSE(loaded.integrity.present);
    CHECK_FALSE(loaded.integrity.checked);
    CHECK(try_load(bytes, mandatory()).status == Status::kCorruptFile);
  }
}
