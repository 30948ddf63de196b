// BatchSession: N streams of one model stepped together. Every stream's
// outputs and state must be bit for bit what a Session stepping that stream
// alone gives (same ISA), for every layer kind, weight type, skip and number
// of streams (including counts that are not multiples of the 8 streams one
// pass over the weights serves); and every bad call is refused by name.
#include <catch2/catch.hpp>
#include <cstring>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "grurt/batch_session.hpp"
#include "support/random_models.hpp"

using namespace grurt;
using namespace grurt::test;
using convert::SkipSpec;

namespace {

struct Batch {
  AlignedBytes arena;
  BatchSession session;
};

std::unique_ptr<Batch> make_batch(const Model& model, std::uint32_t streams, Isa isa) {
  auto batch = std::make_unique<Batch>();
  const std::size_t bytes = BatchSession::arena_bytes(model, streams);
  REQUIRE(bytes > 0);
  batch->arena = AlignedBytes(bytes);
  INFO(batch->session.error());
  REQUIRE(batch->session.init(model, streams, batch->arena.data(), bytes, isa) == Status::kOk);
  REQUIRE(batch->session.isa() == isa);
  REQUIRE(batch->session.streams() == streams);
  return batch;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

CanonicalModel with_skip(CanonicalModel model, SkipSpec skip) {
  model.skip = skip;
  return model;
}

CanonicalModel with_weights(CanonicalModel model, ElementType type) {
  model.weight_type = type;
  return model;
}

// Steps `streams` streams through `steps` steps in a batch and each stream in
// its own Session; stream 1's state is overwritten half way in both (a warm
// start), so streams differ in state as well as input.
void require_streams_equal_sessions(const CanonicalModel& spec, Isa isa, std::uint32_t streams,
                                    const std::string& context) {
  INFO(context << ", " << isa_name(isa) << ", " << streams << " streams");
  auto reference = load_model(spec, isa);
  const Model& model = reference->model;
  const std::uint32_t in = model.input_size(), out = model.output_size();
  auto batch = make_batch(model, streams, isa);
  std::vector<std::unique_ptr<Loaded>> alone;
  for (std::uint32_t s = 0; s < streams; ++s) alone.push_back(load_model(spec, isa));
  std::mt19937 rng(streams * 31u + in);
  const std::vector<float> warm = random_values(rng, model.state_size(), 0.8f);
  constexpr int kSteps = 6;
  for (int t = 0; t < kSteps; ++t) {
    if (t == kSteps / 2 && streams > 1) {
      REQUIRE(batch->session.write_state(1, warm.data(), warm.size()) == Status::kOk);
      REQUIRE(alone[1]->session.write_state(warm.data(), warm.size()) == Status::kOk);
    }
    const std::vector<float> inputs = random_values(rng, std::size_t{streams} * in, 1.5f);
    std::vector<float> outputs(std::size_t{streams} * out, -99.0f);
    REQUIRE(batch->session.step(inputs.data(), outputs.data()) == Status::kOk);
    for (std::uint32_t s = 0; s < streams; ++s) {
      std::vector<float> expected(out), got(outputs.begin() + s * out, outputs.begin() + (s + 1) * out);
      REQUIRE(alone[s]->session.step(&inputs[s * in], expected.data()) == Status::kOk);
      INFO("step " << t << ", stream " << s);
      REQUIRE(same_bits(got, expected));
    }
  }
  for (std::uint32_t s = 0; s < streams; ++s) {
    std::vector<float> a(model.state_size()), b(model.state_size());
    REQUIRE(alone[s]->session.read_state(a.data(), a.size()) == Status::kOk);
    REQUIRE(batch->session.read_state(s, b.data(), b.size()) == Status::kOk);
    INFO("state of stream " << s);
    REQUIRE(same_bits(a, b));
  }
}

}  // namespace

TEST_CASE("BatchSession: each stream equals its own Session bit for bit, every layer kind and weight type, on every ISA",
          "[batch][kernels]") {
  std::mt19937 rng(5);
  GruSpec hard = random_gru(rng, 4, 21, false);
  hard.gate_activation = GateActivation::kHardSigmoid;
  hard.candidate_activation = Activation::kRelu;
  const struct {
    const char* what;
    CanonicalModel model;
  } cases[] = {
      {"every matrix kind f32", every_matrix_kind(3)},
      {"every matrix kind f16", with_weights(every_matrix_kind(4), ElementType::kF16)},
      {"every matrix kind int8", with_weights(every_matrix_kind(5), ElementType::kI8)},
      {"two GRUs and head, skip from layer 1", with_skip(two_gru_layers_and_head(6), SkipSpec{false, 1, 2})},
      {"dense and activation first, hard-gate relu GRU, input skip",
       with_skip(stacked_model(4, {{"", random_dense(rng, 4, 6, Activation::kTanh)},
                                   {"", ActivationSpec{6, Activation::kSigmoid}},
                                   {"", random_gru(rng, 6, 4, true)},
                                   {"", hard},
                                   {"", random_dense(rng, 21, 3, Activation::kSoftmax)}}),
                 SkipSpec{true, 0, 1})},
  };
  for (Isa isa : isas_to_test()) {
    for (const auto& c : cases) {
      for (std::uint32_t streams : {1u, 2u, 3u, 5u, 8u, 9u, 12u}) require_streams_equal_sessions(c.model, isa, streams, c.what);
    }
  }
}

TEST_CASE("BatchSession: the arena size is exact and grows by one stream's state per stream", "[batch]") {
  auto loaded = load_model(two_gru_layers_and_head(2));
  const Model& model = loaded->model;
  const std::size_t one = BatchSession::arena_bytes(model, 1);
  REQUIRE(one >= model.arena_bytes());
  const std::size_t state_bytes = 2 * 64;  // h of 7 and of 5 floats, each padded to 64 bytes
  REQUIRE(BatchSession::arena_bytes(model, 2) == one + state_bytes);
  REQUIRE(BatchSession::arena_bytes(model, 100) == one + 99 * state_bytes);
  REQUIRE(BatchSession::arena_bytes(model, 0) == 0);
  REQUIRE(BatchSession::arena_bytes(model, BatchSession::kMaxStreams + 1) == 0);
  REQUIRE(BatchSession::arena_bytes(Model{}, 4) == 0);
  const std::size_t bytes = BatchSession::arena_bytes(model, 7);
  AlignedBytes arena(bytes + 64);
  BatchSession batch;
  REQUIRE(batch.init(model, 7, arena.data(), bytes - 1) == Status::kArenaTooSmall);
  REQUIRE(std::string(batch.error()) == "arena has " + std::to_string(bytes - 1) + " bytes; this model needs " +
                                            std::to_string(bytes) + " (BatchSession::arena_bytes(model, streams))");
  REQUIRE(batch.init(model, 7, arena.data() + 4, bytes) == Status::kArenaMisaligned);
  REQUIRE(batch.init(model, 7, arena.data(), bytes) == Status::kOk);
}

TEST_CASE("BatchSession refuses bad calls by name and changes nothing", "[batch]") {
  auto loaded = load_model(two_gru_layers_and_head(3));
  const Model& model = loaded->model;
  BatchSession idle;
  float x[6] = {};
  REQUIRE(idle.step(x, x) == Status::kNotInitialized);
  REQUIRE(std::string(idle.error()) == "batch is not initialized (init() failed or was not called)");
  REQUIRE(idle.reset() == Status::kNotInitialized);
  REQUIRE(idle.reset(0) == Status::kNotInitialized);
  REQUIRE_FALSE(idle.state_is_finite(0));

  BatchSession batch;
  AlignedBytes arena(BatchSession::arena_bytes(model, 3));
  REQUIRE(batch.init(model, 0, arena.data(), arena.size()) == Status::kSizeMismatch);
  REQUIRE(std::string(batch.error()) == "a batch holds 1 to 65536 streams; caller asked for 0");
  REQUIRE(batch.init(Model{}, 3, arena.data(), arena.size()) == Status::kNotLoaded);
  REQUIRE(batch.init(model, 3, nullptr, arena.size()) == Status::kNullArgument);
  REQUIRE(batch.init(model, 3, arena.data(), arena.size(), Isa::kScalar) == Status::kOk);
  REQUIRE(batch.step(nullptr, x) == Status::kNullArgument);
  REQUIRE(batch.step(x, nullptr) == Status::kNullArgument);

  const std::size_t S = batch.state_size();
  REQUIRE(S == model.state_size());
  std::vector<float> state(S, 0.25f), back(S);
  REQUIRE(batch.write_state(3, state.data(), S) == Status::kSizeMismatch);
  REQUIRE(std::string(batch.error()) == "stream 3 does not exist; this batch has streams 0 to 2");
  REQUIRE(batch.read_state(7, back.data(), S) == Status::kSizeMismatch);
  REQUIRE(batch.reset(3) == Status::kSizeMismatch);
  REQUIRE(batch.read_state(0, back.data(), S + 1) == Status::kSizeMismatch);
  REQUIRE(std::string(batch.error()) == "state has " + std::to_string(S) + " floats, caller gave " +
                                            std::to_string(S + 1));
  state[2] = std::numeric_limits<float>::infinity();
  REQUIRE(batch.write_state(1, state.data(), S) == Status::kNonFiniteValue);
  REQUIRE(std::string(batch.error()) == "state value 2 is inf; refused: the state is unchanged");
  state[2] = 0.25f;

  SECTION("reset(stream) resets that stream only; reset() all") {
    REQUIRE(batch.write_state(1, state.data(), S) == Status::kOk);
    REQUIRE(batch.write_state(2, state.data(), S) == Status::kOk);
    REQUIRE(batch.reset(1) == Status::kOk);
    REQUIRE(batch.read_state(1, back.data(), S) == Status::kOk);
    REQUIRE(back == std::vector<float>(S, 0.0f));
    REQUIRE(batch.read_state(2, back.data(), S) == Status::kOk);
    REQUIRE(back == state);
    REQUIRE(batch.reset() == Status::kOk);
    REQUIRE(batch.read_state(2, back.data(), S) == Status::kOk);
    REQUIRE(back == std::vector<float>(S, 0.0f));
  }
  SECTION("a non-finite input of any stream is refused before any stream steps") {
    REQUIRE(batch.write_state(0, state.data(), S) == Status::kOk);
    REQUIRE(batch.refuse_non_finite_inputs(true) == Status::kOk);
    std::vector<float> inputs(9, 0.5f), outputs(6, -1.0f);
    inputs[7] = std::numeric_limits<float>::quiet_NaN();  // input 1 of stream 2
    REQUIRE(batch.step(inputs.data(), outputs.data()) == Status::kNonFiniteValue);
    REQUIRE(std::string(batch.error()) ==
            "input 1 of stream 2 is NaN; refused (refuse_non_finite_inputs is on): no stream's state or output changed");
    REQUIRE(outputs == std::vector<float>(6, -1.0f));
    REQUIRE(batch.read_state(0, back.data(), S) == Status::kOk);
    REQUIRE(back == state);
    REQUIRE(batch.refuse_non_finite_inputs(false) == Status::kOk);
    REQUIRE(batch.step(inputs.data(), outputs.data()) == Status::kOk);
    REQUIRE(batch.state_is_finite(0));
    REQUIRE_FALSE(batch.state_is_finite(2));
    REQUIRE_FALSE(batch.state_is_finite(3));  // no such stream
  }
}
