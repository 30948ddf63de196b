// A recurrent layer's stored initial state (schema initial_state): the state
// after init() and reset(), layer after layer; checked loading; stepping from
// it equals stepping from zeros after write_state() of the same values.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>

#include "grurt_convert/model_writer.hpp"
#include "support/load_result.hpp"
#include "support/random_models.hpp"

namespace grurt::test {
namespace {

using convert::CanonicalModel;
using convert::LayerSpec;

// GRU(3 -> 5) with a stored h, Dense(5 -> 4), LSTM(4 -> 6, P 2, peephole) with
// stored h and c, RNN(2 -> 3) without one: state 5 + (2 + 6) + 3 = 16 floats.
CanonicalModel model_with_initial_states(std::vector<float>* expected_start) {
  std::mt19937 rng(41);
  auto gru = random_gru(rng, 3, 5, true);
  gru.initial_state = random_values(rng, 5, 0.8f);
  auto lstm = random_lstm(rng, 4, 6, LstmOptions{true, true, 2});
  lstm.initial_state = random_values(rng, 2 + 6, 0.8f);
  const auto rnn = random_rnn(rng, 2, 3, Activation::kTanh);
  *expected_start = gru.initial_state;
  expected_start->insert(expected_start->end(), lstm.initial_state.begin(), lstm.initial_state.end());
  expected_start->resize(16, 0.0f);
  return stacked_model(3, {LayerSpec{"gru0", gru}, LayerSpec{"dense", random_dense(rng, 5, 4, Activation::kTanh)},
                           LayerSpec{"lstm1", lstm}, LayerSpec{"rnn2", rnn}});
}

std::vector<float> read_all_state(Session& session) {
  std::vector<float> state(session.state_size());
  REQUIRE(session.read_state(state.data(), state.size()) == Status::kOk);
  return state;
}

}  // namespace

TEST_CASE("init and reset start every layer from its stored initial state, zeros where none is stored",
          "[initial_state]") {
  std::vector<float> start;
  const CanonicalModel model = model_with_initial_states(&start);
  auto loaded = load_model(model);
  Session& session = loaded->session;
  REQUIRE(session.state_size() == start.size());
  CHECK(read_all_state(session) == start);
  CHECK(loaded->model.layer(0).initial_state != nullptr);
  CHECK(loaded->model.layer(1).initial_state == nullptr);  // dense
  CHECK(loaded->model.layer(3).initial_state == nullptr);  // rnn without one

  std::vector<float> inputs(3 * 4);
  std::mt19937 rng(5);
  for (float& v : inputs) v = std::normal_distribution<float>(0.0f, 1.0f)(rng);
  const std::vector<float> first = run_steps(session, inputs, 3, 3);
  CHECK(read_all_state(session) != start);
  REQUIRE(session.reset() == Status::kOk);
  CHECK(read_all_state(session) == start);
  CHECK(run_steps(session, inputs, 3, 3) == first);

  // The same model without stored states, given the same start by write_state, agrees bit for bit.
  CanonicalModel zero_start = model;
  for (LayerSpec& spec : zero_start.layers) {
    std::visit([](auto& layer) {
      if constexpr (!std::is_same_v<std::decay_t<decltype(layer)>, convert::DenseSpec> &&
                    !std::is_same_v<std::decay_t<decltype(layer)>, convert::ActivationSpec>) {
        layer.initial_state.clear();
      }
    }, spec.layer);
  }
  auto plain = load_model(zero_start);
  CHECK(read_all_state(plain->session) == std::vector<float>(start.size(), 0.0f));
  REQUIRE(plain->session.write_state(start.data(), start.size()) == Status::kOk);
  CHECK(run_steps(plain->session, inputs, 3, 3) == first);
}

TEST_CASE("A stored initial state of the wrong size or with a NaN is refused at load, naming the layer",
          "[initial_state]") {
  std::mt19937 rng(7);
  auto gru = random_gru(rng, 2, 4, true);
  gru.initial_state = random_values(rng, 4, 0.5f);
  gru.initial_state[2] = std::numeric_limits<float>::quiet_NaN();
  const LoadResult nan = load_bytes(convert::serialize_model(single_layer_model(gru)));
  CHECK(nan.status == Status::kNonFiniteValue);
  CHECK(nan.message == "layer 0 (gru): tensor initial_state value 2 (of 16 stored) is NaN; weights must be finite");

  auto lstm = random_lstm(rng, 2, 3, LstmOptions{});
  lstm.initial_state = random_values(rng, 3, 0.5f);  // h only: c's 3 values are missing
  const LoadResult short_state = load_bytes(convert::serialize_model(stacked_model(2, {LayerSpec{"lstm0", lstm}})));
  CHECK(short_state.status != Status::kOk);
  CHECK_THAT(short_state.message, Catch::StartsWith("layer 0 (lstm): tensor initial_state") &&
                                      Catch::Contains("H+H x 1"));
}

}  // namespace grurt::test
