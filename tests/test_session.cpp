// Session life cycle: arena checks, reset, state read/write, bad calls.
#include <catch2/catch.hpp>
#include <cstring>
#include <random>

#include "grurt/owned_session.hpp"
#include "grurt_convert/model_writer.hpp"
#include "support/compare.hpp"
#include "support/random_models.hpp"
#include "support/reference_gru.hpp"

using namespace grurt;
using namespace grurt::test;

namespace {

constexpr double kTolerance = 1e-5;

CanonicalModel two_layer_model() { return two_gru_layers_and_head(77); }

std::vector<float> some_inputs(std::size_t steps, std::uint32_t width, unsigned seed) {
  std::mt19937 rng(seed);
  return random_values(rng, steps * width, 1.0f);
}

}  // namespace

TEST_CASE("arena_bytes is exact: one byte less is refused, the exact size works", "[session][arena]") {
  const CanonicalModel spec = two_layer_model();
  AlignedBytes bytes(convert::write_model(spec));
  Model model;
  REQUIRE(model.load(bytes.data(), bytes.size()) == Status::kOk);
  REQUIRE(Session::arena_bytes(model) == model.arena_bytes());
  REQUIRE(model.arena_bytes() % 64 == 0);

  AlignedBytes arena(std::vector<std::uint8_t>(model.arena_bytes()));
  Session session;
  REQUIRE(session.init(model, arena.data(), model.arena_bytes() - 1) == Status::kArenaTooSmall);
  REQUIRE_THAT(session.error(), Catch::Contains("arena has " + std::to_string(model.arena_bytes() - 1) +
                                                " bytes; this model needs " + std::to_string(model.arena_bytes())));
  REQUIRE_FALSE(session.initialized());
  REQUIRE(session.init(model, arena.data(), model.arena_bytes()) == Status::kOk);
  REQUIRE(session.initialized());
  REQUIRE(session.state_size() == 12);
}

TEST_CASE("The session writes nothing outside its arena", "[session][arena]") {
  const CanonicalModel spec = two_layer_model();
  AlignedBytes bytes(convert::write_model(spec));
  Model model;
  REQUIRE(model.load(bytes.data(), bytes.size()) == Status::kOk);
  const std::size_t n = model.arena_bytes();
  // Guard zones of a known pattern on both sides of the arena.
  AlignedBytes block(std::vector<std::uint8_t>(n + 128, 0xA5));
  Session session;
  REQUIRE(session.init(model, block.data() + 64, n) == Status::kOk);
  const auto inputs = some_inputs(10, 3, 1);
  run_steps(session, inputs, 3, 2);
  for (std::size_t i = 0; i < 64; ++i) {
    REQUIRE(block.data()[i] == 0xA5);
    REQUIRE(block.data()[64 + n + i] == 0xA5);
  }
}

TEST_CASE("A misaligned or null arena is refused", "[session][arena]") {
  auto loaded = load_model(two_layer_model());
  const std::size_t n = loaded->model.arena_bytes();
  AlignedBytes arena(std::vector<std::uint8_t>(n + 64));
  Session session;
  REQUIRE(session.init(loaded->model, arena.data() + 8, n) == Status::kArenaMisaligned);
  REQUIRE_THAT(session.error(), Catch::Contains("not 64-byte aligned") && Catch::Contains("mod 64 = 8"));
  REQUIRE(session.init(loaded->model, nullptr, n) == Status::kNullArgument);
}

TEST_CASE("A session cannot be made from a model that did not load", "[session]") {
  Model model;
  AlignedBytes arena(std::vector<std::uint8_t>(1024));
  Session session;
  REQUIRE(session.init(model, arena.data(), arena.size()) == Status::kNotLoaded);
  REQUIRE_THAT(session.error(), Catch::Contains("model is not loaded"));
}

TEST_CASE("Calls before init report kNotInitialized", "[session]") {
  Session session;
  float in[3] = {}, out[2] = {};
  REQUIRE(session.step(in, out) == Status::kNotInitialized);
  REQUIRE_THAT(session.error(), Catch::Contains("not initialized"));
  REQUIRE(session.reset() == Status::kNotInitialized);
  REQUIRE(session.read_state(in, 0) == Status::kNotInitialized);
  REQUIRE(session.write_state(in, 0) == Status::kNotInitialized);
}

TEST_CASE("Null input or output pointers are refused by step", "[session]") {
  auto loaded = load_model(two_layer_model());
  float in[3] = {}, out[2] = {};
  REQUIRE(loaded->session.step(nullptr, out) == Status::kNullArgument);
  REQUIRE(loaded->session.step(in, nullptr) == Status::kNullArgument);
  REQUIRE_THAT(loaded->session.error(), Catch::Contains("null"));
  REQUIRE(loaded->session.step(in, out) == Status::kOk);
}

TEST_CASE("reset() returns the session to its initial state", "[session][state]") {
  const CanonicalModel spec = two_layer_model();
  auto loaded = load_model(spec);
  const auto inputs = some_inputs(12, 3, 2);
  const auto first = run_steps(loaded->session, inputs, 3, 2);
  REQUIRE(loaded->session.reset() == Status::kOk);
  std::vector<float> state(loaded->session.state_size(), 1.0f);
  REQUIRE(loaded->session.read_state(state.data(), state.size()) == Status::kOk);
  for (float v : state) REQUIRE(v == 0.0f);
  const auto second = run_steps(loaded->session, inputs, 3, 2);
  REQUIRE(first == second);  // same arithmetic in the same order: bit-identical
  require_close(first, reference_outputs(spec, inputs), kTolerance, "after reset");
}

TEST_CASE("State read after a step equals the reference hidden states", "[session][state]") {
  const CanonicalModel spec = two_layer_model();
  auto loaded = load_model(spec);
  ReferenceModel reference(spec);
  const auto inputs = some_inputs(6, 3, 3);
  for (std::size_t t = 0; t < 6; ++t) {
    float out[2];
    REQUIRE(loaded->session.step(&inputs[t * 3], out) == Status::kOk);
    reference.step({inputs[t * 3], inputs[t * 3 + 1], inputs[t * 3 + 2]});
  }
  std::vector<float> state(12);
  REQUIRE(loaded->session.read_state(state.data(), 12) == Status::kOk);
  require_close(state, reference.state(), kTolerance, "state layout: layer 0 h[7] then layer 1 h[5]");
}

TEST_CASE("Checkpoint and restore: continuing from a saved state repeats the outputs", "[session][state]") {
  auto loaded = load_model(two_layer_model());
  const auto warmup = some_inputs(8, 3, 4);
  const auto tail = some_inputs(8, 3, 5);
  run_steps(loaded->session, warmup, 3, 2);
  std::vector<float> checkpoint(loaded->session.state_size());
  REQUIRE(loaded->session.read_state(checkpoint.data(), checkpoint.size()) == Status::kOk);
  const auto first = run_steps(loaded->session, tail, 3, 2);
  REQUIRE(loaded->session.write_state(checkpoint.data(), checkpoint.size()) == Status::kOk);
  REQUIRE(run_steps(loaded->session, tail, 3, 2) == first);
}

TEST_CASE("Warm start: a written state is the state the reference continues from", "[session][state]") {
  const CanonicalModel spec = two_layer_model();
  auto loaded = load_model(spec);
  std::vector<float> warm(12);
  for (std::size_t i = 0; i < warm.size(); ++i) warm[i] = 0.1f * static_cast<float>(i) - 0.5f;
  REQUIRE(loaded->session.write_state(warm.data(), warm.size()) == Status::kOk);
  ReferenceModel reference(spec);
  reference.set_state({warm.begin(), warm.end()});
  const auto inputs = some_inputs(5, 3, 6);
  std::vector<double> expected;
  for (std::size_t t = 0; t < 5; ++t) {
    const auto y = reference.step({inputs[t * 3], inputs[t * 3 + 1], inputs[t * 3 + 2]});
    expected.insert(expected.end(), y.begin(), y.end());
  }
  require_close(run_steps(loaded->session, inputs, 3, 2), expected, kTolerance, "warm start");
}

TEST_CASE("State calls with the wrong count are refused and change nothing", "[session][state]") {
  auto loaded = load_model(two_layer_model());
  std::vector<float> state(13, 3.0f);
  REQUIRE(loaded->session.write_state(state.data(), 13) == Status::kSizeMismatch);
  REQUIRE_THAT(loaded->session.error(), Catch::Contains("state has 12 floats, caller gave 13"));
  REQUIRE(loaded->session.read_state(state.data(), 11) == Status::kSizeMismatch);
  REQUIRE(loaded->session.read_state(nullptr, 12) == Status::kNullArgument);
  REQUIRE(loaded->session.read_state(state.data(), 12) == Status::kOk);
  for (std::size_t i = 0; i < 12; ++i) REQUIRE(state[i] == 0.0f);
}

TEST_CASE("A model without GRU layers has no state", "[session][state]") {
  std::mt19937 rng(8);
  auto loaded = load_model(stacked_model(2, {{"", random_dense(rng, 2, 2, Activation::kTanh)}}));
  REQUIRE(loaded->session.state_size() == 0);
  float unused = 0.0f;
  REQUIRE(loaded->session.read_state(&unused, 0) == Status::kOk);
}

TEST_CASE("Sessions on one model are independent", "[session]") {
  const CanonicalModel spec = two_layer_model();
  auto a = load_model(spec);
  AlignedBytes arena(std::vector<std::uint8_t>(a->model.arena_bytes()));
  Session b;
  REQUIRE(b.init(a->model, arena.data(), arena.size()) == Status::kOk);
  const auto in_a = some_inputs(10, 3, 9);
  const auto in_b = some_inputs(10, 3, 10);
  std::vector<float> out_a(20), out_b(20);
  for (std::size_t t = 0; t < 10; ++t) {  // interleaved
    REQUIRE(a->session.step(&in_a[t * 3], &out_a[t * 2]) == Status::kOk);
    REQUIRE(b.step(&in_b[t * 3], &out_b[t * 2]) == Status::kOk);
  }
  require_close(out_a, reference_outputs(spec, in_a), kTolerance, "session a");
  require_close(out_b, reference_outputs(spec, in_b), kTolerance, "session b");
}

TEST_CASE("OwnedSession allocates its arena and streams like a Session", "[session][owned]") {
  const CanonicalModel spec = two_layer_model();
  AlignedBytes bytes(convert::write_model(spec));
  Model model;
  REQUIRE(model.load(bytes.data(), bytes.size()) == Status::kOk);
  OwnedSession owned;
  REQUIRE(owned.init(model) == Status::kOk);
  const auto inputs = some_inputs(10, 3, 11);
  require_close(run_steps(owned.session(), inputs, 3, 2), reference_outputs(spec, inputs), kTolerance, "owned");
  REQUIRE(owned.init(model) == Status::kOk);  // re-init: fresh state, old arena released
  std::vector<float> state(12, 1.0f);
  REQUIRE(owned.session().read_state(state.data(), 12) == Status::kOk);
  for (float v : state) REQUIRE(v == 0.0f);

  Model unloaded;
  REQUIRE(owned.init(unloaded) == Status::kNotLoaded);
  REQUIRE_THAT(owned.error(), Catch::Contains("model is not loaded"));
}
