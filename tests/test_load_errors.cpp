// Every way a model buffer can be wrong gets its own status and message.
#include <catch2/catch.hpp>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "grurt/grurt_generated.h"
#include "grurt_convert/model_writer.hpp"
#include "support/load_result.hpp"
#include "support/random_models.hpp"

using namespace grurt;
using namespace grurt::test;

namespace {

std::vector<std::uint8_t> valid_model_bytes() {
  std::mt19937 rng(1);
  return convert::write_model(stacked_model(3, {{"gru", random_gru(rng, 3, 5, true)},
                                                {"head", random_dense(rng, 5, 2, Activation::kTanh)}}));
}

// Builds one-GRU-layer files field by field, so each field can be made wrong.
struct RawGru {
  std::uint32_t format_version = kFormatVersion;
  std::uint32_t input_size = 2;
  std::uint32_t output_size = 3;
  std::uint32_t layer_input = 2;
  std::uint32_t hidden = 3;
  std::uint32_t w_rows = 9;  // 3 * hidden
  std::uint32_t w_cols = 2;
  std::size_t w_bytes = 3 * 16 * 2 * 4;  // panel16: 3 gate blocks of 16 rows x 2 cols
  fb::ElementType w_type = fb::ElementType::F32;
  std::uint8_t w_layout = 1;  // panel16
  std::uint32_t w_blocks = 3;
  std::size_t w_row_scales = 0;   // row scales stored with W
  int w_infinite_half_at = -1;    // W value (as f16) set to infinity
  float w_scale = 1.0f;           // the value of every row scale
  int w_scale_at = -1;            // ... but this one, set to bad_scale
  float bad_scale = 0.0f;
  int w_byte_128_at = -1;         // W byte set to 0x80 (i8 -128)
  bool with_f16_bias = false;     // bW as f16 (biases must be f32)
  bool with_w = true;
  bool with_layer_table = true;
  std::uint8_t kind = static_cast<std::uint8_t>(fb::LayerKind::GruLayer);
  bool with_layers = true;

  std::vector<std::uint8_t> build() const {
    flatbuffers::FlatBufferBuilder b;
    auto tensor = [&](std::uint32_t rows, std::uint32_t cols, std::size_t bytes, fb::ElementType type,
                      std::uint8_t layout, std::uint32_t blocks, std::size_t row_scales = 0, int infinite_at = -1) {
      std::vector<std::uint8_t> data(bytes, 0);
      if (infinite_at >= 0) data[2 * infinite_at + 1] = 0x7c;  // little-endian half 0x7c00: +inf
      std::vector<float> scale_values(row_scales, w_scale);
      if (w_scale_at >= 0 && static_cast<std::size_t>(w_scale_at) < row_scales) scale_values[w_scale_at] = bad_scale;
      if (w_byte_128_at >= 0 && type == fb::ElementType::I8) data[w_byte_128_at] = 0x80;
      auto scales = row_scales != 0 ? b.CreateVector(scale_values) : 0;
      b.ForceVectorAlignment(bytes, 1, 64);
      auto vec = b.CreateVector(data);
      return fb::CreateTensor(b, rows, cols, type, static_cast<fb::WeightLayout>(layout), vec, scales, blocks);
    };
    auto w = with_w ? tensor(w_rows, w_cols, w_bytes, w_type, w_layout, w_blocks, w_row_scales, w_infinite_half_at)
                    : 0;
    auto bias = with_f16_bias ? tensor(9, 1, 3 * 16 * 2, fb::ElementType::F16, 1, 3) : 0;
    const std::uint32_t gate_rows = (hidden + 15) / 16 * 16;  // a gate block padded to whole panels
    auto r = tensor(3 * hidden, hidden, 3 * gate_rows * hidden * 4, fb::ElementType::F32, 1, 3);
    auto gru = fb::CreateGruLayer(b, layer_input, hidden, true, w, r, bias);
    auto layer = fb::CreateLayer(b, static_cast<fb::LayerKind>(kind), with_layer_table ? gru.Union() : 0);
    auto layers = with_layers ? b.CreateVector(&layer, 1) : 0;
    b.Finish(fb::CreateModel(b, format_version, input_size, output_size, layers), fb::ModelIdentifier());
    return {b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize()};
  }
};

}  // namespace

TEST_CASE("A well-formed hand-built file loads (baseline for the cases below)", "[load]") {
  const auto result = load_bytes(RawGru{}.build());
  INFO(result.message);
  REQUIRE(result.status == Status::kOk);
}

TEST_CASE("Null and empty buffers", "[load]") {
  Model model;
  REQUIRE(model.load(nullptr, 100) == Status::kNullArgument);
  REQUIRE_THAT(model.error(), Catch::Contains("null"));
  alignas(64) static const unsigned char nothing[64] = {};
  REQUIRE(model.load(nothing, 0) == Status::kEmptyBuffer);
  REQUIRE_THAT(model.error(), Catch::Contains("empty (0 bytes)"));
  REQUIRE_FALSE(model.loaded());
}

TEST_CASE("Buffers shorter than the header are truncated", "[load]") {
  const auto bytes = valid_model_bytes();
  for (std::size_t size = 1; size < 8; ++size) {
    const auto result = load_bytes({bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(size)});
    REQUIRE(result.status == Status::kTruncated);
    REQUIRE_THAT(result.message, Catch::Contains("has " + std::to_string(size) + " bytes"));
  }
}

TEST_CASE("A file cut at any offset is refused", "[load]") {
  const auto bytes = valid_model_bytes();
  // Zero bytes at the very end are alignment padding no table refers to;
  // cutting only those leaves the model whole, so they are not cut here.
  std::size_t end = bytes.size();
  while (end > 0 && bytes[end - 1] == 0) --end;
  for (std::size_t size = 8; size < end; ++size) {
    const auto result = load_bytes({bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(size)});
    INFO("cut at " << size << " of " << bytes.size() << ": " << result.message);
    REQUIRE(result.status == Status::kCorruptFile);
    REQUIRE_THAT(result.message, Catch::Contains("truncated or corrupted"));
  }
}

TEST_CASE("A size beyond the format's 2 GiB limit is refused before anything is read", "[load]") {
  if (sizeof(std::size_t) < 8) return;  // such a size does not exist on 32-bit targets
  AlignedBytes bytes(valid_model_bytes());
  Model model;
  // Only the header is inside the real buffer; nothing past it may be read.
  REQUIRE(model.load(bytes.data(), std::size_t{3} << 30) == Status::kInvalidModel);
  REQUIRE_THAT(model.error(), Catch::Contains("3221225472 bytes; the format's limit is 2147483646"));
}

TEST_CASE("A file with another identifier is refused", "[load]") {
  auto bytes = valid_model_bytes();
  std::memcpy(bytes.data() + 4, "PK\x03\x04", 4);
  const auto result = load_bytes(bytes);
  REQUIRE(result.status == Status::kBadIdentifier);
  REQUIRE_THAT(result.message, Catch::Contains("'PK?" "?'") && Catch::Contains("expected 'GRUT'"));
}

TEST_CASE("Corrupted offsets are caught by the verifier", "[load]") {
  auto bytes = valid_model_bytes();
  const std::uint32_t huge = 0x7ffffff0u;
  std::memcpy(bytes.data(), &huge, 4);  // root table offset far outside the buffer
  auto result = load_bytes(bytes);
  REQUIRE(result.status == Status::kCorruptFile);

  bytes = valid_model_bytes();
  // The root table's vtable offset (a signed 32-bit value at the root) pointed away.
  std::uint32_t root = 0;
  std::memcpy(&root, bytes.data(), 4);
  const std::int32_t bad_vtable = -0x100000;
  std::memcpy(bytes.data() + root, &bad_vtable, 4);
  result = load_bytes(bytes);
  REQUIRE(result.status == Status::kCorruptFile);
}

TEST_CASE("Any single corrupted byte is either refused or loads a well-formed model", "[load]") {
  // Bytes of weight data may change freely; everything else must be caught.
  const auto bytes = valid_model_bytes();
  std::size_t refused = 0;
  for (std::size_t at = 0; at < bytes.size(); ++at) {
    for (std::uint8_t value : {std::uint8_t{0x00}, std::uint8_t{0xff}, std::uint8_t{0x41}}) {
      if (bytes[at] == value) continue;
      auto corrupted = bytes;
      corrupted[at] = value;
      AlignedBytes aligned(corrupted);
      Model model;
      if (model.load(aligned.data(), aligned.size()) != Status::kOk) {
        REQUIRE(std::strlen(model.error()) > 0);
        ++refused;
        continue;
      }
      // Whatever loaded must run: shapes were all checked against the data.
      AlignedBytes arena(std::vector<std::uint8_t>(model.arena_bytes()));
      Session session;
      REQUIRE(session.init(model, arena.data(), arena.size()) == Status::kOk);
      std::vector<float> in(model.input_size(), 0.5f), out(model.output_size());
      REQUIRE(session.step(in.data(), out.data()) == Status::kOk);
    }
  }
  REQUIRE(refused > 0);
}

TEST_CASE("Format versions other than 1 are refused", "[load]") {
  RawGru raw;
  raw.format_version = 2;
  auto result = load_bytes(raw.build());
  REQUIRE(result.status == Status::kUnsupportedVersion);
  REQUIRE_THAT(result.message, Catch::Contains("format version 2"));
  raw.format_version = 0;
  REQUIRE(load_bytes(raw.build()).status == Status::kUnsupportedVersion);
}

TEST_CASE("A misaligned model buffer is refused", "[load]") {
  const auto result = load_bytes(valid_model_bytes(), 4);
  REQUIRE(result.status == Status::kMisalignedBuffer);
  REQUIRE_THAT(result.message, Catch::Contains("64-byte aligned") && Catch::Contains("mod 64 = 4"));
}

TEST_CASE("A weight array misaligned inside the buffer is refused", "[load]") {
  // Written without forced alignment, a data vector lands on a 4-byte boundary.
  flatbuffers::FlatBufferBuilder b;
  // Panel16 sizes: 3 gate blocks of 16 rows.
  std::vector<std::uint8_t> w_bytes(48 * 2 * 4, 0), r_bytes(48 * 3 * 4, 0), pad(4, 0);
  auto r = fb::CreateTensor(b, 9, 3, fb::ElementType::F32, fb::WeightLayout::Panel16, b.CreateVector(r_bytes), 0, 3);
  auto padding = b.CreateVector(pad);
  (void)padding;
  auto w = fb::CreateTensor(b, 9, 2, fb::ElementType::F32, fb::WeightLayout::Panel16, b.CreateVector(w_bytes), 0, 3);
  auto gru = fb::CreateGruLayer(b, 2, 3, true, w, r);
  auto layer = fb::CreateLayer(b, fb::LayerKind::GruLayer, gru.Union());
  b.Finish(fb::CreateModel(b, kFormatVersion, 2, 3, b.CreateVector(&layer, 1)), fb::ModelIdentifier());
  AlignedBytes aligned({b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize()});
  const auto* tensor = fb::GetModel(aligned.data())->layers()->Get(0)->kind_as_GruLayer()->w();
  const auto misalignment = reinterpret_cast<std::uintptr_t>(tensor->data()->data()) % 64;
  const auto* r_tensor = fb::GetModel(aligned.data())->layers()->Get(0)->kind_as_GruLayer()->r();
  const auto r_misalignment = reinterpret_cast<std::uintptr_t>(r_tensor->data()->data()) % 64;
  REQUIRE((misalignment != 0 || r_misalignment != 0));  // precondition of this test
  Model model;
  REQUIRE(model.load(aligned.data(), aligned.size()) == Status::kMisalignedBuffer);
  REQUIRE_THAT(model.error(), Catch::StartsWith("layer 0 (gru): tensor") && Catch::Contains("not 64-byte aligned"));
}

TEST_CASE("A model without layers is refused", "[load]") {
  RawGru raw;
  raw.with_layers = false;
  const auto result = load_bytes(raw.build());
  REQUIRE(result.status == Status::kInvalidModel);
  REQUIRE(result.message == "model has no layers");
}

TEST_CASE("Zero and oversized dimensions are refused", "[load]") {
  RawGru raw;
  raw.input_size = raw.layer_input = 0;
  auto result = load_bytes(raw.build());
  REQUIRE(result.status == Status::kInvalidModel);
  REQUIRE_THAT(result.message, Catch::Contains("input size is 0"));

  raw = RawGru{};
  raw.hidden = 0;
  result = load_bytes(raw.build());
  REQUIRE(result.status == Status::kInvalidModel);
  REQUIRE_THAT(result.message, Catch::Contains("layer 0 (gru): hidden size H is 0"));

  raw = RawGru{};
  raw.input_size = raw.layer_input = kMaxDimension + 1;
  result = load_bytes(raw.build());
  REQUIRE(result.status == Status::kInvalidModel);
  REQUIRE_THAT(result.message, Catch::Contains(std::to_string(kMaxDimension + 1)));
}

TEST_CASE("An unknown layer kind is refused with a hint", "[load]") {
  RawGru raw;
  raw.kind = 9;
  auto result = load_bytes(raw.build());
  REQUIRE(result.status == Status::kUnsupportedLayer);
  REQUIRE(result.message == "layer 0 has kind 9, which this runtime does not know (1 gru, 2 dense, 3 activation, "
                            "4 rnn, 5 lstm); written by a newer grurt?");
}

TEST_CASE("A layer whose union table is absent is refused", "[load]") {
  RawGru raw;
  raw.with_layer_table = false;
  auto result = load_bytes(raw.build());
  REQUIRE(result.status == Status::kInvalidModel);
  REQUIRE_THAT(result.message, Catch::Contains("layer 0 has no content"));
}

TEST_CASE("A missing weight tensor is refused, naming the tensor and its shape", "[load]") {
  RawGru raw;
  raw.with_w = false;
  const auto result = load_bytes(raw.build());
  REQUIRE(result.status == Status::kMissingTensor);
  REQUIRE(result.message == "layer 0 (gru): tensor W is missing; expected [3*H x I] = [9 x 2] f32");
}

TEST_CASE("Element types and layouts this runtime does not read are refused", "[load]") {
  RawGru raw;
  raw.w_type = static_cast<fb::ElementType>(9);
  auto result = load_bytes(raw.build());
  REQUIRE(result.status == Status::kUnsupportedTensor);
  REQUIRE(result.message == "layer 0 (gru): tensor W has element type 9 (unknown); this runtime reads weight "
                            "matrices as f32 (0), f16 (1) or i8 (2)");

  raw = RawGru{};
  raw.w_layout = 5;
  result = load_bytes(raw.build());
  REQUIRE(result.status == Status::kUnsupportedTensor);
  REQUIRE(result.message == "layer 0 (gru): tensor W (f32) has layout 5; this runtime reads f32 and f16 tensors as "
                            "panel16 (1) only");
}

TEST_CASE("f16 weight matrices load, and f16 biases, row scales, wrong sizes and infinite halves are refused",
          "[load][f16]") {
  RawGru raw;
  raw.w_type = fb::ElementType::F16;
  raw.w_bytes = 3 * 16 * 2 * 2;
  auto result = load_bytes(raw.build());
  INFO(result.message);
  REQUIRE(result.status == Status::kOk);

  RawGru f32_sized = raw;
  f32_sized.w_bytes = 3 * 16 * 2 * 4;
  result = load_bytes(f32_sized.build());
  REQUIRE(result.status == Status::kShapeMismatch);
  REQUIRE(result.message == "layer 0 (gru): tensor W holds 384 bytes = 192 f16, expected panel16 3*H x I = 96 f16 "
                            "(192 bytes)");

  RawGru scaled = raw;
  scaled.w_row_scales = 9;
  result = load_bytes(scaled.build());
  REQUIRE(result.status == Status::kUnsupportedTensor);
  REQUIRE(result.message == "layer 0 (gru): tensor W is f16 but has 9 row scales; only i8 tensors have row scales");

  RawGru infinite = raw;
  infinite.w_infinite_half_at = 5;
  result = load_bytes(infinite.build());
  REQUIRE(result.status == Status::kNonFiniteValue);
  REQUIRE(result.message == "layer 0 (gru): tensor W value 5 (of 96 stored) is inf; weights must be finite");

  RawGru half_bias = raw;
  half_bias.with_f16_bias = true;
  result = load_bytes(half_bias.build());
  REQUIRE(result.status == Status::kUnsupportedTensor);
  REQUIRE(result.message == "layer 0 (gru): tensor bW has element type 1 (f16); this runtime reads biases and "
                            "states as f32 (0) only");
}

namespace {
// Loads `raw` and requires it refused with `status` and exactly `message`.
void require_refused(const RawGru& raw, Status status, const std::string& message) {
  const auto result = load_bytes(raw.build());
  REQUIRE(result.status == status);
  REQUIRE(result.message == message);
}
}  // namespace

TEST_CASE("i8 weight matrices load, and missing or miscounted row scales, bad scales, -128, wrong layouts and "
          "sizes are refused",
          "[load][int8]") {
  // W [9 x 2]: 3 gate blocks of 16 stored rows, the 2 columns padded to a group of 4.
  RawGru raw;
  raw.w_type = fb::ElementType::I8;
  raw.w_layout = 2;  // panel16x4
  raw.w_bytes = 3 * 16 * 4;
  raw.w_row_scales = 48;
  const auto result = load_bytes(raw.build());
  INFO(result.message);
  REQUIRE(result.status == Status::kOk);

  RawGru unscaled = raw;
  unscaled.w_row_scales = 0;
  require_refused(unscaled, Status::kInvalidModel,
                  "layer 0 (gru): tensor W is i8 but has no row scales; expected one per stored row");

  RawGru miscounted = raw;
  miscounted.w_row_scales = 9;  // one per matrix row, forgetting the padding
  require_refused(miscounted, Status::kShapeMismatch,
                  "layer 0 (gru): tensor W has 9 row scales, expected one per stored row: 48 (3*H x I rows, each "
                  "block padded to whole 16-row panels)");

  const struct {
    float scale;
    const char* name;
  } bad_scales[] = {{0.0f, "0"},
                    {-0.5f, "negative"},
                    {std::numeric_limits<float>::infinity(), "inf"},
                    {std::numeric_limits<float>::quiet_NaN(), "NaN"}};
  for (const auto& bad : bad_scales) {
    RawGru scaled = raw;
    scaled.w_scale_at = 17;
    scaled.bad_scale = bad.scale;
    require_refused(scaled, Status::kNonFiniteValue,
                    std::string("layer 0 (gru): tensor W row scale 17 is ") + bad.name +
                        "; row scales must be finite and positive");
  }

  RawGru minimum = raw;
  minimum.w_byte_128_at = 70;
  require_refused(minimum, Status::kInvalidModel,
                  "layer 0 (gru): tensor W byte 70 is -128; i8 weights are in -127..127");

  RawGru unpadded = raw;
  unpadded.w_bytes = 3 * 16 * 2;  // the columns not padded to 4
  require_refused(unpadded, Status::kShapeMismatch,
                  "layer 0 (gru): tensor W holds 96 bytes = 96 i8, expected panel16x4 3*H x I = 192 i8 (192 bytes)");

  RawGru panel16 = raw;
  panel16.w_layout = 1;
  require_refused(panel16, Status::kUnsupportedTensor,
                  "layer 0 (gru): tensor W (i8) has layout 1; this runtime reads i8 tensors as panel16x4 (2) only");

  RawGru f32_panel16x4;
  f32_panel16x4.w_layout = 2;
  require_refused(f32_panel16x4, Status::kUnsupportedTensor,
                  "layer 0 (gru): tensor W (f32) has layout 2; this runtime reads f32 and f16 tensors as panel16 "
                  "(1) only");
}

TEST_CASE("A tensor of the wrong shape is refused with expected and found shapes", "[load]") {
  RawGru raw;
  raw.w_cols = 5;
  raw.w_bytes = 9 * 5 * 4;
  const auto result = load_bytes(raw.build());
  REQUIRE(result.status == Status::kShapeMismatch);
  REQUIRE(result.message == "layer 0 (gru): tensor W is [9 x 5], expected [3*H x I] = [9 x 2]");
}

TEST_CASE("A tensor with the wrong number of elements is refused", "[load]") {
  // H = 19: R must hold 3*19*19 = 1083 floats; give it 1200.
  std::mt19937 rng(3);
  GruSpec gru = random_gru(rng, 4, 19, true);
  gru.r.resize(1200);
  const auto result = load_bytes(convert::serialize_model(single_layer_model(gru)));
  REQUIRE(result.status == Status::kShapeMismatch);
  // Panel16: each gate's 19 rows padded to 32.
  REQUIRE(result.message ==
          "layer 0 (gru): tensor R holds 4800 bytes = 1200 f32, expected panel16 3*H x H = 1824 f32 (7296 bytes)");

  RawGru raw;
  raw.w_bytes = 71;  // not even a whole number of floats
  const auto odd = load_bytes(raw.build());
  REQUIRE(odd.status == Status::kShapeMismatch);
  REQUIRE_THAT(odd.message, Catch::Contains("holds 71 bytes, expected"));
}

TEST_CASE("Packed tensors: wrong row blocks and padded sizes are refused, row-major ones with a hint", "[load]") {
  RawGru raw;
  raw.w_blocks = 1;
  auto result = load_bytes(raw.build());
  REQUIRE(result.status == Status::kShapeMismatch);
  REQUIRE(result.message == "layer 0 (gru): tensor W has 1 row blocks, expected 3");

  // The right blocks but the unpadded byte count: 3 gates x 16 rows x 2 cols are needed.
  raw.w_blocks = 3;
  raw.w_bytes = 9 * 2 * 4;
  result = load_bytes(raw.build());
  REQUIRE(result.status == Status::kShapeMismatch);
  REQUIRE(result.message ==
          "layer 0 (gru): tensor W holds 72 bytes = 18 f32, expected panel16 3*H x I = 96 f32 (384 bytes)");

  // grurt 0.1.0 could write row-major tensors; the runtime runs packed ones only.
  raw = RawGru{};
  raw.w_layout = 0;
  raw.w_blocks = 1;
  raw.w_bytes = 9 * 2 * 4;
  result = load_bytes(raw.build());
  REQUIRE(result.status == Status::kUnsupportedTensor);
  REQUIRE(result.message == "layer 0 (gru): tensor W is row-major (layout 0); this runtime reads panel16 (layout 1) "
                            "only: convert the model again with grurt-convert");
}

TEST_CASE("RNN layers: activations other than tanh and relu, missing and misshapen tensors are refused", "[load][rnn]") {
  std::mt19937 rng(12);
  RnnSpec rnn = random_rnn(rng, 3, 4, Activation::kTanh);
  REQUIRE(load_bytes(convert::serialize_model(stacked_model(3, {{"", rnn}}))).status == Status::kOk);

  rnn.activation = Activation::kSigmoid;
  auto result = load_bytes(convert::serialize_model(stacked_model(3, {{"", rnn}})));
  REQUIRE(result.status == Status::kUnsupportedLayer);
  REQUIRE(result.message == "layer 0 (rnn): activation sigmoid is not one this layer kind runs (tanh, relu)");

  rnn.activation = Activation::kRelu;
  rnn.r.clear();
  result = load_bytes(convert::serialize_model(stacked_model(3, {{"", rnn}})));
  REQUIRE(result.status == Status::kMissingTensor);
  REQUIRE(result.message == "layer 0 (rnn): tensor R is missing; expected [H x H] = [4 x 4] f32");

  rnn = random_rnn(rng, 3, 4, Activation::kTanh);
  rnn.bias_r.resize(5);
  result = load_bytes(convert::serialize_model(stacked_model(3, {{"", rnn}})));
  REQUIRE(result.status == Status::kShapeMismatch);
  REQUIRE(result.message == "layer 0 (rnn): tensor bR holds 20 bytes = 5 f32, expected panel16 H x 1 = 16 f32 (64 bytes)");
}

TEST_CASE("LSTM layers: missing and misshapen tensors, projection and peephole mismatches are refused", "[load][lstm]") {
  std::mt19937 rng(13);
  const LstmSpec good = random_lstm(rng, 3, 4, {true, true, 2});
  auto load = [](const LstmSpec& lstm) { return load_bytes(convert::serialize_model(stacked_model(3, {{"", lstm}}))); };
  REQUIRE(load(good).status == Status::kOk);

  LstmSpec lstm = good;
  lstm.w.clear();
  auto result = load(lstm);
  REQUIRE(result.status == Status::kMissingTensor);
  REQUIRE(result.message == "layer 0 (lstm): tensor W is missing; expected [4*H x I] = [16 x 3] f32");

  lstm = good;
  lstm.r.resize(4 * 4 * 4);  // [4H x H] although the projection makes h P = 2 wide
  result = load(lstm);
  REQUIRE(result.status == Status::kShapeMismatch);
  REQUIRE_THAT(result.message, Catch::StartsWith("layer 0 (lstm): tensor R ") && Catch::Contains("4*H x P"));

  lstm = good;
  lstm.peephole.resize(4 * 4);  // [4H] instead of [3H]
  result = load(lstm);
  REQUIRE(result.status == Status::kShapeMismatch);
  REQUIRE_THAT(result.message, Catch::StartsWith("layer 0 (lstm): tensor peephole ") && Catch::Contains("3*H x 1"));

  lstm = good;
  lstm.projection.clear();  // projection_size 2 without the matrix
  result = load(lstm);
  REQUIRE(result.status == Status::kMissingTensor);
  REQUIRE(result.message == "layer 0 (lstm): tensor projection is missing; expected [P x H] = [2 x 4] f32");

  lstm = good;
  lstm.projection.resize(3 * 4);  // [3 x H] for P = 2
  result = load(lstm);
  REQUIRE(result.status == Status::kShapeMismatch);
  REQUIRE_THAT(result.message, Catch::StartsWith("layer 0 (lstm): tensor projection ") && Catch::Contains("P x H"));

  lstm = random_lstm(rng, 3, 4, {});
  lstm.projection = random_values(rng, 2 * 4, 1.0f);  // a matrix with projection_size 0
  result = load(lstm);
  REQUIRE(result.status == Status::kInvalidModel);
  REQUIRE(result.message == "layer 0 (lstm): tensor projection is present but projection_size is 0; expected no "
                            "projection tensor, or projection_size = its rows");

  lstm = good;
  lstm.projection_size = kMaxDimension + 1;
  result = load(lstm);
  REQUIRE(result.status == Status::kInvalidModel);
  REQUIRE(result.message == "layer 0 (lstm): projection size P is " + std::to_string(kMaxDimension + 1) +
                                "; expected 1.." + std::to_string(kMaxDimension));
}

TEST_CASE("Layers whose sizes do not chain are refused", "[load]") {
  std::mt19937 rng(4);
  auto model = stacked_model(3, {{"", random_gru(rng, 3, 10, true)}, {"", random_gru(rng, 9, 4, true)}});
  auto result = load_bytes(convert::serialize_model(model));
  REQUIRE(result.status == Status::kDimensionMismatch);
  REQUIRE(result.message == "layer 1 (gru): input size 9, but layer 0 outputs 10");

  model = stacked_model(2, {{"", random_gru(rng, 3, 10, true)}});
  result = load_bytes(convert::serialize_model(model));
  REQUIRE(result.status == Status::kDimensionMismatch);
  REQUIRE(result.message == "layer 0 (gru): input size 3, but the model input size is 2");

  model = stacked_model(10, {{"", random_gru(rng, 10, 6, true)}, {"", random_dense(rng, 5, 2, Activation::kRelu)}});
  result = load_bytes(convert::serialize_model(model));
  REQUIRE(result.status == Status::kDimensionMismatch);
  REQUIRE(result.message == "layer 1 (dense): input size 5, but layer 0 outputs 6");
}

TEST_CASE("A declared output size that differs from the last layer is refused", "[load]") {
  RawGru raw;
  raw.output_size = 4;
  const auto result = load_bytes(raw.build());
  REQUIRE(result.status == Status::kDimensionMismatch);
  REQUIRE(result.message == "model output size is 4, but the last layer (0) outputs 3");
}

TEST_CASE("An unknown activation value is refused", "[load]") {
  flatbuffers::FlatBufferBuilder b;
  auto layer = fb::CreateLayer(b, fb::LayerKind::ActivationLayer,
                               fb::CreateActivationLayer(b, 2, static_cast<fb::Activation>(42)).Union());
  b.Finish(fb::CreateModel(b, kFormatVersion, 2, 2, b.CreateVector(&layer, 1)), fb::ModelIdentifier());
  const auto result = load_bytes({b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize()});
  REQUIRE(result.status == Status::kUnsupportedLayer);
  REQUIRE_THAT(result.message, Catch::StartsWith("layer 0 (activation): activation 42 is unknown"));
}

TEST_CASE("A failed load leaves an earlier good model unloaded, not half-loaded", "[load]") {
  AlignedBytes good(valid_model_bytes());
  Model model;
  REQUIRE(model.load(good.data(), good.size()) == Status::kOk);
  REQUIRE(model.loaded());
  REQUIRE(std::string(model.error()).empty());
  auto bad_bytes = valid_model_bytes();
  bad_bytes[5] = 'X';
  AlignedBytes bad(bad_bytes);
  REQUIRE(model.load(bad.data(), bad.size()) == Status::kBadIdentifier);
  REQUIRE_FALSE(model.loaded());
  REQUIRE(model.num_layers() == 0);
  REQUIRE(model.arena_bytes() == 0);
}
