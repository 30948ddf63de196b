#include "random_models.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "grurt_convert/model_writer.hpp"

namespace grurt::test {

std::vector<float> random_values(std::mt19937& rng, std::size_t count, float scale) {
  std::uniform_real_distribution<float> uniform(-scale, scale);
  std::vector<float> values(count);
  for (float& v : values) v = uniform(rng);
  return values;
}

GruSpec random_gru(std::mt19937& rng, std::uint32_t inputs, std::uint32_t hidden, bool reset_after, bool bias) {
  const float scale = 1.0f / std::sqrt(static_cast<float>(hidden));
  GruSpec gru;
  gru.input_size = inputs;
  gru.hidden_size = hidden;
  gru.reset_after = reset_after;
  gru.w = random_values(rng, 3u * hidden * inputs, scale);
  gru.r = random_values(rng, 3u * hidden * hidden, scale);
  if (bias) {
    gru.bias_w = random_values(rng, 3u * hidden, scale);
    gru.bias_r = random_values(rng, 3u * hidden, scale);
  }
  return gru;
}

RnnSpec random_rnn(std::mt19937& rng, std::uint32_t inputs, std::uint32_t hidden, Activation activation, bool bias) {
  const float scale = 1.0f / std::sqrt(static_cast<float>(hidden));
  RnnSpec rnn;
  rnn.input_size = inputs;
  rnn.hidden_size = hidden;
  rnn.activation = activation;
  rnn.w = random_values(rng, std::size_t{hidden} * inputs, scale);
  rnn.r = random_values(rng, std::size_t{hidden} * hidden, scale);
  if (bias) {
    rnn.bias_w = random_values(rng, hidden, scale);
    rnn.bias_r = random_values(rng, hidden, scale);
  }
  return rnn;
}

LstmSpec random_lstm(std::mt19937& rng, std::uint32_t inputs, std::uint32_t hidden, const LstmOptions& options) {
  const float scale = 1.0f / std::sqrt(static_cast<float>(hidden));
  LstmSpec lstm;
  lstm.input_size = inputs;
  lstm.hidden_size = hidden;
  lstm.projection_size = options.projection;
  lstm.w = random_values(rng, 4u * hidden * inputs, scale);
  lstm.r = random_values(rng, std::size_t{4u * hidden} * lstm.output_size(), scale);
  if (options.bias) {
    lstm.bias_w = random_values(rng, 4u * hidden, scale);
    lstm.bias_r = random_values(rng, 4u * hidden, scale);
  }
  if (options.peephole) lstm.peephole = random_values(rng, 3u * hidden, scale);
  if (options.projection != 0) lstm.projection = random_values(rng, std::size_t{options.projection} * hidden, scale);
  return lstm;
}

DenseSpec random_dense(std::mt19937& rng, std::uint32_t inputs, std::uint32_t outputs, Activation activation,
                       bool bias) {
  const float scale = 1.0f / std::sqrt(static_cast<float>(inputs));
  DenseSpec dense;
  dense.input_size = inputs;
  dense.output_size = outputs;
  dense.activation = activation;
  dense.weight = random_values(rng, std::size_t{outputs} * inputs, scale);
  if (bias) dense.bias = random_values(rng, outputs, scale);
  return dense;
}

CanonicalModel single_layer_model(const GruSpec& gru) { return stacked_model(gru.input_size, {{"", gru}}); }

CanonicalModel two_gru_layers_and_head(unsigned seed) {
  std::mt19937 rng(seed);
  return stacked_model(3, {{"", random_gru(rng, 3, 7, true)},
                           {"", random_gru(rng, 7, 5, false)},
                           {"", random_dense(rng, 5, 2, Activation::kIdentity)}});
}

CanonicalModel every_matrix_kind(unsigned seed) {
  std::mt19937 rng(seed);
  LstmOptions lstm_options;
  lstm_options.peephole = true;
  lstm_options.projection = 5;
  return stacked_model(3, {{"", random_gru(rng, 3, 17, true)},
                           {"", random_gru(rng, 17, 9, false)},
                           {"", random_lstm(rng, 9, 20, lstm_options)},
                           {"", random_rnn(rng, 5, 33, Activation::kTanh)},
                           {"", random_dense(rng, 33, 2, Activation::kIdentity)}});
}

CanonicalModel stacked_model(std::uint32_t input_size, std::vector<convert::LayerSpec> layers) {
  CanonicalModel model;
  model.input_size = input_size;
  model.layers = std::move(layers);
  model.metadata.producer = "grurt tests";
  return model;
}

std::vector<Isa> simd_isas_to_test() {
  std::vector<Isa> isas;
  for (std::size_t i = 0; i < known_isa_count(); ++i) {
    const Isa isa = known_isa(i);
    if (isa == Isa::kScalar) continue;
    if (isa_available(isa)) {
      isas.push_back(isa);
    } else {
      WARN("SKIPPED: " << isa_name(isa) << " kernels are not in this build or not supported by this CPU");
    }
  }
  return isas;
}

std::vector<Isa> isas_to_test() {
  std::vector<Isa> isas = simd_isas_to_test();
  isas.insert(isas.begin(), Isa::kScalar);
  return isas;
}

std::unique_ptr<Loaded> load_model(const CanonicalModel& model, Isa isa) {
  auto loaded = std::make_unique<Loaded>();
  loaded->bytes = AlignedBytes(convert::write_model(model));
  const Status status = loaded->model.load(loaded->bytes.data(), loaded->bytes.size());
  INFO(loaded->model.error());
  REQUIRE(status == Status::kOk);
  loaded->arena = AlignedBytes(std::vector<std::uint8_t>(loaded->model.arena_bytes()));
  const Status init = loaded->session.init(loaded->model, loaded->arena.data(), loaded->arena.size(), isa);
  INFO(loaded->session.error());
  REQUIRE(init == Status::kOk);
  return loaded;
}

std::vector<float> run_steps(Session& session, const std::vector<float>& inputs, std::uint32_t input_size,
                             std::uint32_t output_size) {
  const std::size_t steps = inputs.size() / input_size;
  std::vector<float> outputs(steps * output_size);
  for (std::size_t t = 0; t < steps; ++t) {
    const Status status = session.step(&inputs[t * input_size], &outputs[t * output_size]);
    INFO(session.error());
    REQUIRE(status == Status::kOk);
  }
  return outputs;
}

void require_run_equals_steps(const CanonicalModel& model, Isa isa, const std::vector<float>& inputs,
                              std::size_t steps, const std::string& context) {
  const std::uint32_t in = model.input_size, out = model.output_size();
  auto stepped = load_model(model, isa);
  auto batched = load_model(model, isa);
  std::vector<float> expected(steps * out), actual(steps * out, -99.0f);
  for (std::size_t t = 0; t < steps; ++t) {
    REQUIRE(stepped->session.step(&inputs[t * in], &expected[t * out]) == Status::kOk);
  }
  REQUIRE(batched->session.run(inputs.data(), actual.data(), steps) == Status::kOk);
  INFO(context << ", " << steps << " steps");
  REQUIRE(actual == expected);
  std::vector<float> a(stepped->model.state_size()), b(a.size());
  REQUIRE(stepped->session.read_state(a.data(), a.size()) == Status::kOk);
  REQUIRE(batched->session.read_state(b.data(), b.size()) == Status::kOk);
  REQUIRE(a == b);
}

}  // namespace grurt::test
