// The integer path (IntegerModel, IntegerSession) on whole models written by
// the converter's plan (--activations int16): bit for bit against a reference
// written here from the schema's formulas (IntegerPlan) over row-major int8
// weights, on shapes that are not multiples of the kernels' 4 rows, 4 columns
// or 16-row panels; the session's calls; and every kind of broken file.
#include <catch2/catch.hpp>
#include <cstring>
#include <random>
#include <string>

#include "grurt/grurt_integer.h"
#include "grurt/integer_session.hpp"
#include "grurt_convert/int8_quantization.hpp"
#include "grurt_convert/integer_plan.hpp"
#include "grurt_convert/panel_rows.hpp"
#include "integer/fixed_point.hpp"
#include "support/random_models.hpp"

using namespace grurt;
using namespace grurt::test;
using convert::IntegerPlanSpec;
using convert::IntegerRowsSpec;

namespace {

std::vector<std::vector<float>> random_rows(std::mt19937& rng, std::size_t steps, std::uint32_t width, float scale) {
  std::vector<std::vector<float>> rows;
  for (std::size_t t = 0; t < steps; ++t) rows.push_back(random_values(rng, width, scale));
  return rows;
}

// The model with int8 weights and the plan calibrated on `inputs`.
CanonicalModel integer_model(CanonicalModel model, const std::vector<std::vector<float>>& inputs) {
  model.weight_type = ElementType::kI8;
  model.integer = convert::plan_integer(model, convert::calibrate(model, inputs));
  return model;
}

// The schema's formulas, one product row at a time over row-major weights.
class Reference {
 public:
  explicit Reference(const CanonicalModel& model) : model_(model), states_(model.layers.size()) {
    for (std::size_t l = 0; l < model.layers.size(); ++l) {
      if (const auto* gru = std::get_if<GruSpec>(&model.layers[l].layer)) states_[l].assign(gru->hidden_size, 0);
      if (const auto* lstm = std::get_if<LstmSpec>(&model.layers[l].layer)) states_[l].assign(2 * lstm->hidden_size, 0);
    }
  }

  std::vector<std::int32_t> step(const std::vector<std::int16_t>& input) {
    std::vector<std::int32_t> x(input.begin(), input.end());
    for (std::int32_t& v : x) v = v < -32767 ? -32767 : v;
    for (std::size_t l = 0; l < model_.layers.size(); ++l) {
      const convert::IntegerLayerSpec& plan = model_.integer->layers[l];
      if (const auto* gru = std::get_if<GruSpec>(&model_.layers[l].layer)) {
        const std::uint32_t h = gru->hidden_size;
        const auto gx = product(gru->w, 3 * h, gru->input_size, 3, plan.input, x);
        const auto gh = product(gru->r, 3 * h, h, 3, plan.recurrent, states_[l]);
        for (std::uint32_t j = 0; j < h; ++j) {
          const std::int64_t r = integer::sigmoid_q15(gx[j] + gh[j]);
          const std::int64_t z = integer::sigmoid_q15(gx[h + j] + gh[h + j]);
          const std::int64_t reset = (r * gh[2 * h + j] + 16384) >> 15;
          const std::int64_t n = integer::tanh_q15(static_cast<std::int32_t>(gx[2 * h + j] + reset));
          const std::int64_t next = n + ((z * (states_[l][j] - n) + 16384) >> 15);
          states_[l][j] = static_cast<std::int32_t>(next > 32767 ? 32767 : next < -32767 ? -32767 : next);
        }
        x = states_[l];
      } else if (const auto* lstm = std::get_if<LstmSpec>(&model_.layers[l].layer)) {
        // state: h (Q15) then c (Q4.11)
        const std::uint32_t h = lstm->hidden_size;
        const auto gx = product(lstm->w, 4 * h, lstm->input_size, 4, plan.input, x);
        const std::vector<std::int32_t> previous(states_[l].begin(), states_[l].begin() + h);
        const auto gh = product(lstm->r, 4 * h, h, 4, plan.recurrent, previous);
        for (std::uint32_t j = 0; j < h; ++j) {
          const std::int64_t i = integer::sigmoid_q15(gx[j] + gh[j]);
          const std::int64_t f = integer::sigmoid_q15(gx[h + j] + gh[h + j]);
          const std::int64_t g = integer::tanh_q15(gx[2 * h + j] + gh[2 * h + j]);
          const std::int64_t o = integer::sigmoid_q15(gx[3 * h + j] + gh[3 * h + j]);
          // c = f c + i g: Q15 * Q11 and Q15 * Q15 / 16 in Q26, rounded to Q11, saturated.
          std::int64_t c = (f * states_[l][h + j] + ((i * g + 8) >> 4) + 16384) >> 15;
          c = c > 32767 ? 32767 : c < -32767 ? -32767 : c;
          states_[l][h + j] = static_cast<std::int32_t>(c);
          std::int64_t out = (o * integer::tanh_q15(static_cast<std::int32_t>(2 * c)) + 16384) >> 15;
          states_[l][j] = static_cast<std::int32_t>(out > 32767 ? 32767 : out < -32767 ? -32767 : out);
        }
        x.assign(states_[l].begin(), states_[l].begin() + h);
      } else {
        const auto& dense = std::get<DenseSpec>(model_.layers[l].layer);
        auto y = product(dense.weight, dense.output_size, dense.input_size, 1, plan.input, x);
        for (std::int32_t& v : y) {
          if (dense.activation == Activation::kRelu) v = v < 0 ? 0 : v;
          if (dense.activation == Activation::kTanh) v = integer::tanh_q15(v);
          if (dense.activation == Activation::kSigmoid) v = integer::sigmoid_q15(v);
          v = v > 32767 ? 32767 : v < -32767 ? -32767 : v;
        }
        x = y;
      }
    }
    return x;
  }

  std::vector<std::int32_t> state() const {
    std::vector<std::int32_t> all;
    for (const auto& s : states_) all.insert(all.end(), s.begin(), s.end());
    return all;
  }

 private:
  // round(acc * multiplier / 2^32), then >> shift to nearest, per logical row.
  static std::vector<std::int32_t> product(const std::vector<float>& values, std::uint32_t rows, std::uint32_t cols,
                                           std::uint32_t blocks, const IntegerRowsSpec& spec,
                                           const std::vector<std::int32_t>& x) {
    const convert::QuantizedRows q = convert::quantize_rows(values, rows, cols);
    const convert::PanelRows layout(rows, blocks);
    std::vector<std::int32_t> y(rows);
    for (std::uint32_t i = 0; i < rows; ++i) {
      const std::uint64_t stored = layout.stored_row(i);
      std::int64_t acc = spec.bias[stored];
      for (std::uint32_t k = 0; k < cols; ++k) acc += std::int64_t{q.q[std::size_t{i} * cols + k]} * x[k];
      REQUIRE(acc == static_cast<std::int32_t>(acc));  // the plan's overflow proof
      const std::int64_t high = (acc * spec.multiplier[stored] + (std::int64_t{1} << 31)) >> 32;
      const int shift = spec.shift[stored];
      y[i] = static_cast<std::int32_t>((high + ((std::int64_t{1} << shift) >> 1)) >> shift);
    }
    return y;
  }

  const CanonicalModel& model_;
  std::vector<std::vector<std::int32_t>> states_;
};

struct IntegerLoaded {
  AlignedBytes bytes;
  IntegerModel model;
  AlignedBytes arena;
  IntegerSession session;
};

std::unique_ptr<IntegerLoaded> load_integer(const CanonicalModel& model) {
  auto loaded = std::make_unique<IntegerLoaded>();
  loaded->bytes = AlignedBytes(convert::serialize_model(model));
  REQUIRE(loaded->model.load(loaded->bytes.data(), loaded->bytes.size()) == Status::kOk);
  loaded->arena = AlignedBytes(loaded->model.arena_bytes());
  REQUIRE(loaded->session.init(loaded->model, loaded->arena.data(), loaded->arena.size()) == Status::kOk);
  return loaded;
}

// Steps the runtime and the reference through `steps` random int16 inputs
// (the full range, -32768 included) and REQUIREs equal outputs and states.
void require_equal_to_reference(const CanonicalModel& model, std::size_t steps, unsigned seed) {
  auto loaded = load_integer(model);
  Reference reference(model);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> values(-32768, 32767);
  std::vector<std::int16_t> input(model.input_size), output(loaded->model.output_size());
  std::vector<std::int16_t> state(loaded->model.state_size());
  for (std::size_t t = 0; t < steps; ++t) {
    for (auto& v : input) v = static_cast<std::int16_t>(t % 5 == 4 ? values(rng) : values(rng) / 8);
    const std::vector<std::int32_t> expected = reference.step(input);
    REQUIRE(loaded->session.step(input.data(), output.data()) == Status::kOk);
    INFO("step " << t);
    REQUIRE(std::vector<std::int32_t>(output.begin(), output.end()) == expected);
    REQUIRE(loaded->session.read_state(state.data(), state.size()) == Status::kOk);
    REQUIRE(std::vector<std::int32_t>(state.begin(), state.end()) == reference.state());
  }
}

CanonicalModel gru_and_head(unsigned seed, std::uint32_t inputs, std::uint32_t hidden, std::uint32_t outputs,
                            Activation head) {
  std::mt19937 rng(seed);
  CanonicalModel model = stacked_model(inputs, {{"", random_gru(rng, inputs, hidden, true)},
                                                {"", random_dense(rng, hidden, outputs, head)}});
  return integer_model(model, random_rows(rng, 32, inputs, 2.0f));
}

}  // namespace

TEST_CASE("The integer path equals the schema's integer formulas bit for bit on many shapes", "[integer]") {
  struct Shape {
    std::uint32_t inputs, hidden, outputs;
    Activation head;
  };
  const Shape shapes[] = {{1, 16, 1, Activation::kIdentity}, {3, 5, 2, Activation::kTanh},
                          {7, 33, 3, Activation::kSigmoid},  {40, 64, 12, Activation::kIdentity},
                          {2, 1, 1, Activation::kRelu},      {13, 17, 19, Activation::kRelu}};
  unsigned seed = 1;
  for (const Shape& s : shapes) {
    INFO("GRU(" << s.inputs << " -> " << s.hidden << ") + Dense(-> " << s.outputs << ", "
                << activation_name(s.head) << ")");
    require_equal_to_reference(gru_and_head(seed++, s.inputs, s.hidden, s.outputs, s.head), 30, seed);
  }
}

TEST_CASE("The integer path stacks GRUs and Dense layers in any order", "[integer]") {
  std::mt19937 rng(77);
  CanonicalModel model = stacked_model(5, {{"", random_dense(rng, 5, 8, Activation::kRelu)},
                                           {"", random_gru(rng, 8, 6, true)},
                                           {"", random_gru(rng, 6, 21, true)},
                                           {"", random_dense(rng, 21, 4, Activation::kIdentity)},
                                           {"", random_dense(rng, 4, 2, Activation::kTanh)}});
  require_equal_to_reference(integer_model(model, random_rows(rng, 40, 5, 3.0f)), 40, 78);
}

TEST_CASE("The integer path runs LSTMs and GRUs stacked, bit for bit, their cells included", "[integer]") {
  std::mt19937 rng(81);
  CanonicalModel model = stacked_model(6, {{"", random_lstm(rng, 6, 19, {})},
                                           {"", random_gru(rng, 19, 8, true)},
                                           {"", random_lstm(rng, 8, 4, {})},
                                           {"", random_dense(rng, 4, 3, Activation::kIdentity)}});
  require_equal_to_reference(integer_model(model, random_rows(rng, 40, 6, 2.0f)), 40, 82);
  // Large weights push the cells past 16, where Q4.11 saturates: still bit for bit.
  LstmSpec loud = random_lstm(rng, 2, 5, {});
  for (float& w : loud.w) w *= 8.0f;
  for (float& b : loud.bias_w) b = 3.0f;
  require_equal_to_reference(integer_model(stacked_model(2, {{"", loud}}), random_rows(rng, 10, 2, 1.0f)), 60, 83);
}

TEST_CASE("The integer path's plan makes rows of zero weights and zero biases work", "[integer]") {
  std::mt19937 rng(5);
  GruSpec gru = random_gru(rng, 4, 6, true, /*bias=*/false);
  for (std::size_t k = 0; k < 4; ++k) gru.w[k] = 0.0f;  // row 0 of W all zero
  DenseSpec head = random_dense(rng, 6, 2, Activation::kIdentity);
  std::fill(head.weight.begin(), head.weight.begin() + 6, 0.0f);  // output 0: its bias only
  const CanonicalModel model = integer_model(stacked_model(4, {{"", gru}, {"", head}}), random_rows(rng, 16, 4, 1.0f));
  require_equal_to_reference(model, 20, 6);
}

TEST_CASE("IntegerSession reset, state round trip, aliasing and call errors", "[integer]") {
  auto loaded = load_integer(gru_and_head(3, 3, 5, 2, Activation::kIdentity));
  IntegerSession& session = loaded->session;
  std::int16_t input[3] = {1000, -2000, 3000}, first[2], again[2];
  REQUIRE(session.step(input, first) == Status::kOk);
  std::vector<std::int16_t> state(session.state_size());
  REQUIRE(session.read_state(state.data(), state.size()) == Status::kOk);
  // Reset: the state is zeros, and the first step repeats.
  REQUIRE(session.reset() == Status::kOk);
  REQUIRE(session.step(input, again) == Status::kOk);
  CHECK(std::memcmp(first, again, sizeof first) == 0);
  // write_state restores a checkpoint; -32768 is read as -32767.
  std::vector<std::int16_t> round_trip(state.size());
  REQUIRE(session.write_state(state.data(), state.size()) == Status::kOk);
  REQUIRE(session.read_state(round_trip.data(), round_trip.size()) == Status::kOk);
  CHECK(round_trip == state);
  std::vector<std::int16_t> extreme(state.size(), -32768);
  REQUIRE(session.write_state(extreme.data(), extreme.size()) == Status::kOk);
  REQUIRE(session.read_state(round_trip.data(), round_trip.size()) == Status::kOk);
  CHECK(round_trip == std::vector<std::int16_t>(state.size(), -32767));
  // Output may alias the input (3 inputs, 2 outputs: the first two).
  session.reset();
  std::int16_t in_place[3] = {1000, -2000, 3000};
  REQUIRE(session.step(in_place, in_place) == Status::kOk);
  CHECK(std::memcmp(in_place, first, sizeof first) == 0);

  CHECK(session.step(nullptr, first) == Status::kNullArgument);
  CHECK(session.write_state(state.data(), state.size() + 1) == Status::kSizeMismatch);
  CHECK(std::string(session.error()).find("state has 5 values; the call passed 6") != std::string::npos);
  IntegerSession unused;
  CHECK(unused.step(input, first) == Status::kNotInitialized);
  CHECK(unused.reset() == Status::kNotInitialized);
  IntegerModel unloaded;
  CHECK(unused.init(unloaded, loaded->arena.data(), loaded->arena.size()) == Status::kNotLoaded);
  CHECK(unused.init(loaded->model, loaded->arena.data(), loaded->arena.size() - 1) == Status::kArenaTooSmall);
  CHECK(unused.init(loaded->model, loaded->arena.data() + 4, loaded->arena.size() - 4) == Status::kArenaMisaligned);
  CHECK(unused.init(loaded->model, nullptr, 1 << 20) == Status::kNullArgument);
}

TEST_CASE("IntegerModel::load refuses every kind of broken integer plan with a message", "[integer]") {
  std::mt19937 rng(9);
  const CanonicalModel good = gru_and_head(9, 3, 5, 2, Activation::kIdentity);
  auto refuses = [](const CanonicalModel& model, Status status, const std::string& words) {
    const AlignedBytes bytes(convert::serialize_model(model));
    IntegerModel loaded;
    INFO("expected '" << words << "'");
    REQUIRE(loaded.load(bytes.data(), bytes.size()) == status);
    INFO("got: " << loaded.error());
    CHECK(std::string(loaded.error()).find(words) != std::string::npos);
    CHECK_FALSE(loaded.loaded());
  };
  SECTION("no plan") {
    CanonicalModel model = good;
    model.integer.reset();
    refuses(model, Status::kMissingTensor, "no integer plan: convert it with grurt-convert --activations int16");
  }
  SECTION("f32 weights") {
    CanonicalModel model = good;
    model.weight_type = ElementType::kF32;
    refuses(model, Status::kUnsupportedTensor, "layer 0, W: element type 0");
  }
  SECTION("a multiplier out of range") {
    CanonicalModel model = good;
    model.integer->layers[0].recurrent.multiplier[3] = 12345;
    refuses(model, Status::kInvalidModel, "layer 0, R: integer row 3 has multiplier 12345");
  }
  SECTION("a shift out of range") {
    CanonicalModel model = good;
    model.integer->layers[1].input.shift[0] = 31;
    refuses(model, Status::kInvalidModel, "layer 1, weight: integer row 0 has multiplier");
  }
  SECTION("a bias that lets a sum overflow") {
    CanonicalModel model = good;
    model.integer->layers[0].input.bias[1] = 2147483000;
    refuses(model, Status::kInvalidModel, "layer 0, W: row 1 can sum to");
  }
  SECTION("rows of the wrong length") {
    CanonicalModel model = good;
    model.integer->layers[0].input.shift.pop_back();
    refuses(model, Status::kShapeMismatch, "expected 48 of each");
  }
  SECTION("absent rows") {
    CanonicalModel model = good;
    model.integer->layers[0].recurrent = IntegerRowsSpec{};
    refuses(model, Status::kMissingTensor, "layer 0, R: its integer rows");
  }
  SECTION("a plan for fewer layers") {
    CanonicalModel model = good;
    model.integer->layers.pop_back();
    refuses(model, Status::kInvalidModel, "the integer plan has 1 layers; the model has 2");
  }
  SECTION("a scale that is not positive") {
    CanonicalModel model = good;
    model.integer->input_scale = -1.0f;
    refuses(model, Status::kInvalidModel, "scales must be finite and > 0");
  }
  SECTION("a GRU variant the integer path does not run") {
    CanonicalModel model = good;
    std::get<GruSpec>(model.layers[0].layer).reset_after = false;
    refuses(model, Status::kUnsupportedLayer, "the reset after R h");
  }
  SECTION("a Dense softmax") {
    CanonicalModel model = good;
    std::get<DenseSpec>(model.layers[1].layer).activation = Activation::kSoftmax;
    refuses(model, Status::kUnsupportedLayer, "layer 1, dense: activation 4");
  }
  SECTION("an RNN") {
    CanonicalModel model = stacked_model(3, {{"", random_rnn(rng, 3, 4, Activation::kTanh)}});
    model.weight_type = ElementType::kI8;
    model.integer = IntegerPlanSpec{};
    model.integer->layers.resize(1);
    refuses(model, Status::kUnsupportedLayer, "layer 0, kind: 4");
  }
  SECTION("an LSTM with peepholes") {
    CanonicalModel model =
        integer_model(stacked_model(3, {{"", random_lstm(rng, 3, 4, {})}}), random_rows(rng, 4, 3, 1.0f));
    std::get<LstmSpec>(model.layers[0].layer).peephole = random_values(rng, 12, 0.1f);
    refuses(model, Status::kUnsupportedLayer, "layer 0, lstm: the integer path runs LSTMs with sigmoid gates");
  }
  SECTION("a skip connection") {
    CanonicalModel model = good;
    model.skip = convert::SkipSpec{};
    refuses(model, Status::kUnsupportedLayer, "skip connection");
  }
}

TEST_CASE("The converter's plan refuses what the integer path does not run, naming the layer", "[integer]") {
  std::mt19937 rng(10);
  const auto inputs = random_rows(rng, 4, 3, 1.0f);
  auto refusal = [&](const CanonicalModel& model) {
    try {
      convert::plan_integer(model, convert::calibrate(model, inputs));
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(refusal(stacked_model(3, {{"", random_rnn(rng, 3, 4, Activation::kTanh)}})) ==
        "layer 0 (rnn): the integer path runs GRU, LSTM and Dense layers only");
  LstmOptions projected;
  projected.projection = 2;
  CHECK(refusal(stacked_model(3, {{"", random_lstm(rng, 3, 4, projected)}})) ==
        "layer 0 (lstm): the integer path runs LSTMs with sigmoid gates, without peepholes, a projection or a "
        "stored initial state");
  CHECK(refusal(stacked_model(3, {{"", random_gru(rng, 3, 4, false)}})).find("layer 0 (gru): the integer path runs "
                                                                            "GRUs with sigmoid gates") == 0);
  CHECK(refusal(stacked_model(3, {{"", random_dense(rng, 3, 2, Activation::kSoftmax)}})) ==
        "layer 0 (dense): the integer path has no softmax (identity, tanh, sigmoid, relu)");
  // Weights so large against a tiny input range that one unit of the sum is
  // more than half a unit of the Q.12 gates: the requantization cannot hold it.
  GruSpec huge = random_gru(rng, 3, 4, true);
  for (float& w : huge.w) w *= 1e6f;
  const std::string why = refusal(stacked_model(3, {{"", huge}}));
  CHECK(why.find("layer 0 (gru) W row 0: its sums would be scaled by") == 0);
  CHECK(why.find("too large") != std::string::npos);
}

TEST_CASE("The integer C API loads, steps and reports like the C++ classes", "[integer]") {
  const CanonicalModel model = gru_and_head(11, 3, 5, 2, Activation::kTanh);
  const AlignedBytes bytes(convert::serialize_model(model));
  grurt_integer_model c_model{};
  REQUIRE(grurt_integer_model_load(&c_model, bytes.data(), bytes.size()) == GRURT_OK);
  CHECK(grurt_integer_model_input_size(&c_model) == 3);
  CHECK(grurt_integer_model_output_size(&c_model) == 2);
  CHECK(grurt_integer_model_state_size(&c_model) == 5);
  AlignedBytes arena(grurt_integer_model_arena_bytes(&c_model));
  grurt_integer_session c_session{};
  CHECK(grurt_integer_session_step(&c_session, nullptr, nullptr) == GRURT_NOT_INITIALIZED);
  REQUIRE(grurt_integer_session_init(&c_session, &c_model, arena.data(), arena.size()) == GRURT_OK);
  auto cpp = load_integer(model);
  std::int16_t input[3] = {-32768, 12, 32767}, c_out[2], cpp_out[2];
  for (int t = 0; t < 5; ++t) {
    REQUIRE(grurt_integer_session_step(&c_session, input, c_out) == GRURT_OK);
    REQUIRE(cpp->session.step(input, cpp_out) == Status::kOk);
    REQUIRE(std::memcmp(c_out, cpp_out, sizeof c_out) == 0);
  }
  std::int16_t state[5];
  REQUIRE(grurt_integer_session_read_state(&c_session, state, 5) == GRURT_OK);
  CHECK(grurt_integer_session_write_state(&c_session, state, 4) == GRURT_SIZE_MISMATCH);
  CHECK(std::string(grurt_integer_session_error(&c_session)) == "state has 5 values; the call passed 4");
  CHECK(grurt_integer_session_reset(&c_session) == GRURT_OK);
  CHECK(grurt_integer_session_init(nullptr, &c_model, arena.data(), arena.size()) == GRURT_NULL_ARGUMENT);
  CHECK(grurt_integer_model_load(nullptr, bytes.data(), bytes.size()) == GRURT_NULL_ARGUMENT);
  grurt_integer_model empty{};
  CHECK(grurt_integer_model_load(&empty, bytes.data(), 3) == GRURT_TRUNCATED);
  CHECK(std::string(grurt_integer_model_error(&empty)).find("a .grurt file has at least 8") != std::string::npos);
  CHECK(grurt_integer_model_input_size(nullptr) == 0);
  CHECK(std::string(grurt_integer_session_error(nullptr)) == "session pointer is null");
}
