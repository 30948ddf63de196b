// NaN and infinity: what the runtime does with them (README "Reliability").
//  - weights: refused at load (kNonFiniteValue), so a model never runs with them;
//  - inputs: by default streamed, poisoning the state until reset/write_state;
//    with refuse_non_finite_inputs(true) refused with state and outputs untouched;
//  - state: state_is_finite() detects poisoning; write_state refuses NaN/inf.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "grurt/grurt.hpp"
#include "grurt_convert/model_writer.hpp"
#include "support/compare.hpp"
#include "support/random_models.hpp"
#include "support/reference_gru.hpp"

using namespace grurt;
using namespace grurt::test;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr double kTolerance = 1e-5;

CanonicalModel two_layer_model() { return two_gru_layers_and_head(41); }

std::vector<float> some_inputs(std::size_t steps, unsigned seed) {
  std::mt19937 rng(seed);
  return random_values(rng, steps * 3, 1.0f);
}

std::vector<float> state_of(Session& session) {
  std::vector<float> state(session.state_size());
  REQUIRE(session.read_state(state.data(), state.size()) == Status::kOk);
  return state;
}

bool bits_equal(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

}  // namespace

TEST_CASE("By default a NaN input poisons the state until reset", "[non-finite]") {
  const CanonicalModel spec = two_layer_model();
  auto loaded = load_model(spec);
  Session& session = loaded->session;
  REQUIRE(session.state_is_finite());
  const float bad[3] = {0.1f, kNaN, 0.2f};
  float out[2];
  REQUIRE(session.step(bad, out) == Status::kOk);  // not checked: the documented default
  REQUIRE_FALSE(session.state_is_finite());
  const auto inputs = some_inputs(4, 1);
  const auto after = run_steps(session, inputs, 3, 2);
  for (float y : after) REQUIRE(std::isnan(y));  // every later output, not just the next
  REQUIRE_FALSE(session.state_is_finite());

  REQUIRE(session.reset() == Status::kOk);
  REQUIRE(session.state_is_finite());
  require_close(run_steps(session, inputs, 3, 2), reference_outputs(spec, inputs), kTolerance, "after reset");
}

TEST_CASE("Restoring a checkpoint recovers a poisoned stream exactly", "[non-finite]") {
  auto loaded = load_model(two_layer_model());
  Session& session = loaded->session;
  run_steps(session, some_inputs(5, 2), 3, 2);
  const auto checkpoint = state_of(session);
  const auto tail = some_inputs(6, 3);
  const auto expected = run_steps(session, tail, 3, 2);

  REQUIRE(session.write_state(checkpoint.data(), checkpoint.size()) == Status::kOk);
  // One infinity may only saturate the gates; two of opposite signs meet as inf - inf = NaN.
  const float bad[3] = {kInf, -kInf, 0.0f};
  float out[2];
  REQUIRE(session.step(bad, out) == Status::kOk);
  REQUIRE_FALSE(session.state_is_finite());
  REQUIRE(session.write_state(checkpoint.data(), checkpoint.size()) == Status::kOk);
  REQUIRE(session.state_is_finite());
  REQUIRE(bits_equal(run_steps(session, tail, 3, 2), expected));
}

TEST_CASE("With the check on, step refuses NaN and infinities and changes nothing", "[non-finite]") {
  const CanonicalModel spec = two_layer_model();
  for (Isa isa : {Isa::kScalar, best_isa()}) {
    auto loaded = load_model(spec, isa);
    Session& session = loaded->session;
    REQUIRE(session.refuse_non_finite_inputs(true) == Status::kOk);
    const auto inputs = some_inputs(6, 4);
    run_steps(session, std::vector<float>(inputs.begin(), inputs.begin() + 9), 3, 2);  // three good steps
    const auto before = state_of(session);
    for (float bad_value : {kNaN, kInf, -kInf}) {
      for (int position = 0; position < 3; ++position) {
        float bad[3] = {0.5f, -0.5f, 0.25f};
        bad[position] = bad_value;
        float out[2] = {7.0f, 7.0f};
        REQUIRE(session.step(bad, out) == Status::kNonFiniteValue);
        const std::string name = std::isnan(bad_value) ? "NaN" : (bad_value > 0 ? "inf" : "-inf");
        REQUIRE(std::string(session.error()) == "input " + std::to_string(position) + " of step 0 is " + name +
                                                    "; refused (refuse_non_finite_inputs is on): state and "
                                                    "outputs unchanged");
        REQUIRE(out[0] == 7.0f);
        REQUIRE(out[1] == 7.0f);
        REQUIRE(bits_equal(state_of(session), before));
      }
    }
    // The stream goes on as if the refused steps had never been offered.
    const std::vector<float> rest(inputs.begin() + 9, inputs.end());
    auto reference = load_model(spec, isa);
    run_steps(reference->session, std::vector<float>(inputs.begin(), inputs.begin() + 9), 3, 2);
    REQUIRE(bits_equal(run_steps(session, rest, 3, 2), run_steps(reference->session, rest, 3, 2)));
  }
}

TEST_CASE("With the check on, run refuses the whole block before computing any step", "[non-finite]") {
  auto loaded = load_model(two_layer_model());
  Session& session = loaded->session;
  REQUIRE(session.refuse_non_finite_inputs(true) == Status::kOk);
  auto block = some_inputs(9, 5);
  block[6 * 3 + 2] = kNaN;  // step 6, input 2
  std::vector<float> outputs(9 * 2, 3.0f);
  const auto before = state_of(session);
  REQUIRE(session.run(block.data(), outputs.data(), 9) == Status::kNonFiniteValue);
  REQUIRE_THAT(session.error(), Catch::StartsWith("input 2 of step 6 is NaN"));
  for (float y : outputs) REQUIRE(y == 3.0f);
  REQUIRE(bits_equal(state_of(session), before));
  block[6 * 3 + 2] = 0.0f;
  REQUIRE(session.run(block.data(), outputs.data(), 9) == Status::kOk);
}

TEST_CASE("The check is off after init, can be turned off, and needs an initialized session", "[non-finite]") {
  auto loaded = load_model(two_layer_model());
  Session& session = loaded->session;
  const float bad[3] = {kNaN, 0.0f, 0.0f};
  float out[2];
  REQUIRE(session.refuse_non_finite_inputs(true) == Status::kOk);
  REQUIRE(session.step(bad, out) == Status::kNonFiniteValue);
  REQUIRE(session.refuse_non_finite_inputs(false) == Status::kOk);
  REQUIRE(session.step(bad, out) == Status::kOk);

  REQUIRE(session.refuse_non_finite_inputs(true) == Status::kOk);
  REQUIRE(session.init(loaded->model, loaded->arena.data(), loaded->arena.size()) == Status::kOk);
  REQUIRE(session.step(bad, out) == Status::kOk);  // init() turned it off

  Session fresh;
  REQUIRE(fresh.refuse_non_finite_inputs(true) == Status::kNotInitialized);
  REQUIRE_FALSE(fresh.state_is_finite());
}

TEST_CASE("write_state refuses NaN and infinity, naming the value, and keeps the state", "[non-finite]") {
  auto loaded = load_model(two_layer_model());
  Session& session = loaded->session;
  run_steps(session, some_inputs(3, 6), 3, 2);
  const auto before = state_of(session);
  std::vector<float> poisoned(before);
  poisoned[9] = -kInf;
  REQUIRE(session.write_state(poisoned.data(), poisoned.size()) == Status::kNonFiniteValue);
  REQUIRE(std::string(session.error()) == "state value 9 is -inf; refused: the state is unchanged");
  REQUIRE(bits_equal(state_of(session), before));
  REQUIRE(session.state_is_finite());
}

TEST_CASE("A model file with a NaN or infinite weight does not load", "[non-finite][load]") {
  std::mt19937 rng(12);
  {
    GruSpec gru = random_gru(rng, 2, 5, true);
    gru.r[17] = kNaN;
    // serialize_model skips the writer's own checks, as a hand-made or damaged file would.
    AlignedBytes bytes(convert::serialize_model(single_layer_model(gru)));
    Model model;
    REQUIRE(model.load(bytes.data(), bytes.size()) == Status::kNonFiniteValue);
    REQUIRE_FALSE(model.loaded());
    // Panel16 stores R k-major by 16-row panels: value 17 of the row-major
    // array (row 3, column 2) is panel element 2 * 16 + 3 = 35 of 3 * 16 * 5.
    REQUIRE(std::string(model.error()) == "layer 0 (gru): tensor R value 35 (of 240 stored) is NaN; weights must be finite");
  }
  {
    RnnSpec rnn = random_rnn(rng, 2, 5, Activation::kTanh);
    rnn.w[3] = kInf;  // row 1, column 1: panel element 1 * 16 + 1
    AlignedBytes bytes(convert::serialize_model(stacked_model(2, {{"", rnn}})));
    Model model;
    REQUIRE(model.load(bytes.data(), bytes.size()) == Status::kNonFiniteValue);
    REQUIRE(std::string(model.error()) == "layer 0 (rnn): tensor W value 17 (of 32 stored) is inf; weights must be finite");
  }
  {
    // The LSTM's own tensors are scanned too: peephole (vector, row 4 of gate block 1) and projection.
    LstmSpec lstm = random_lstm(rng, 2, 3, {true, true, 2});
    lstm.peephole[4] = kNaN;  // block f, row 1: stored value 16 + 1
    AlignedBytes bytes(convert::serialize_model(stacked_model(2, {{"", lstm}})));
    Model model;
    REQUIRE(model.load(bytes.data(), bytes.size()) == Status::kNonFiniteValue);
    REQUIRE(std::string(model.error()) ==
            "layer 0 (lstm): tensor peephole value 17 (of 48 stored) is NaN; weights must be finite");
    lstm = random_lstm(rng, 2, 3, {true, false, 2});
    lstm.projection[5] = kInf;  // row 1, column 2: panel element 2 * 16 + 1
    AlignedBytes projected(convert::serialize_model(stacked_model(2, {{"", lstm}})));
    REQUIRE(model.load(projected.data(), projected.size()) == Status::kNonFiniteValue);
    REQUIRE(std::string(model.error()) ==
            "layer 0 (lstm): tensor projection value 33 (of 48 stored) is inf; weights must be finite");
  }
  std::mt19937 rng2(13);
  CanonicalModel spec = stacked_model(2, {{"", random_gru(rng2, 2, 4, true)}, {"", random_dense(rng2, 4, 3, Activation::kTanh)}});
  std::get<DenseSpec>(spec.layers[1].layer).bias[2] = -kInf;
  AlignedBytes bytes(convert::serialize_model(spec));
  Model model;
  REQUIRE(model.load(bytes.data(), bytes.size()) == Status::kNonFiniteValue);
  REQUIRE_THAT(model.error(), Catch::StartsWith("layer 1 (dense): tensor bias value 2") && Catch::EndsWith("is -inf; weights must be finite"));
}

TEST_CASE("The writer refuses non-finite weights, naming the array and index", "[non-finite][writer]") {
  std::mt19937 rng(14);
  GruSpec gru = random_gru(rng, 2, 3, true);
  gru.bias_w[4] = kInf;
  REQUIRE_THROWS_WITH(convert::write_model(single_layer_model(gru)),
                      Catch::Contains("layer 0 (gru): bW value 4 is inf: weights must be finite"));
}

TEST_CASE("Huge finite inputs can poison the state too and state_is_finite tells", "[non-finite]") {
  // Every gate row is [2, -2]: with x = [3e38, 3e38] the scalar path's two
  // products overflow to +inf and -inf and their sum is NaN, although every
  // input is finite. (A fused multiply-add adds the second product exactly to
  // +inf and gives +inf: the SIMD paths saturate the gates instead.)
  GruSpec gru;
  gru.input_size = 2;
  gru.hidden_size = 1;
  gru.w = {2.0f, -2.0f, 2.0f, -2.0f, 2.0f, -2.0f};
  gru.r = {0.5f, 0.5f, 0.5f};
  for (Isa isa : {Isa::kScalar, best_isa()}) {
    auto loaded = load_model(single_layer_model(gru), isa);
    Session& session = loaded->session;
    REQUIRE(session.refuse_non_finite_inputs(true) == Status::kOk);
    const float huge[2] = {3e38f, 3e38f};
    float out[1];
    REQUIRE(session.step(huge, out) == Status::kOk);  // finite, so not refused
    INFO("isa " << isa_name(isa) << ", output (= state) " << out[0]);
    if (isa == Isa::kScalar) REQUIRE(std::isnan(out[0]));
    REQUIRE(session.state_is_finite() == !std::isnan(out[0]));
    REQUIRE(session.reset() == Status::kOk);
    REQUIRE(session.state_is_finite());
  }
}
