#include "grurt_convert/conversion_check.hpp"

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <memory>
#include <random>

#include "aligned_bytes.hpp"
#include "grurt/owned_session.hpp"
#include "integer_runner.hpp"
#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/source_reference.hpp"

namespace grurt::convert {
namespace {

constexpr double kFloatRounding = 1.0 / (1 << 24);  // float32's unit roundoff, 2^-24

// The scale a value's difference is measured against: max(1, |value|), or
// larger where float32 alone can move the value further, as when the terms of
// a sum cancel (a wide head with large weights whose output is near zero):
// `floor` is how far the reference moves when its data is moved by float32
// roundings, and floor / 2^-24 is the magnitude of the terms behind the value.
double scale_of(double expected, double floor) {
  return std::fmax(std::fmax(1.0, std::fabs(expected)), floor / kFloatRounding);
}

// Compares one vector of a step; records the first value beyond the tolerance.
void compare(const char* what, const std::vector<double>& expected, const std::vector<double>& moved,
             const std::vector<float>& got, std::uint32_t step, double tolerance, CheckReport& report) {
  for (std::size_t i = 0; i < got.size() && !report.mismatch; ++i) {
    const double scale = scale_of(expected[i], std::fabs(moved[i] - expected[i]));
    double d = std::fabs(got[i] - expected[i]) / scale;
    // A value beyond float32's range is right as an infinity of its sign (a
    // diverging ReLU RNN); a NaN anywhere is infinitely wrong.
    if (!(std::fabs(expected[i]) <= FLT_MAX) && std::isinf(got[i]) && (got[i] > 0) == (expected[i] > 0)) d = 0.0;
    if (std::isnan(d)) d = INFINITY;
    report.max_difference = std::fmax(report.max_difference, d);
    if (!(d <= tolerance)) report.mismatch = CheckMismatch{step, what, i, expected[i], got[i], scale};
  }
}

// Backward error analysis (Higham, Accuracy and Stability of Numerical
// Algorithms, ch. 3): a float32 evaluation equals an exact one on data moved
// by a few roundings. So the float32 twin of the reference is estimated by the
// same formulas on weights each moved one float32 step up or down at random,
// and inputs and state moved by 2^-24 of themselves.
TensorMap moved_weights(const TensorMap& tensors, std::mt19937& rng) {
  TensorMap moved = tensors;
  std::bernoulli_distribution up(0.5);
  for (auto& entry : moved) {
    for (float& v : entry.second.values) v = std::nextafter(v, up(rng) ? INFINITY : -INFINITY);
  }
  return moved;
}

std::vector<double> moved_values(std::vector<double> values, std::mt19937& rng) {
  std::bernoulli_distribution up(0.5);
  for (double& v : values) v *= 1.0 + (up(rng) ? kFloatRounding : -kFloatRounding);
  return values;
}

// A state mismatch named by its layer: "state of layer 1 'gru1', unit" 3;
// an LSTM's state is h then c, so which of them: "state c of layer 0 'lstm0', unit" 2.
void name_state_value(const SourceModel& source, CheckMismatch& m) {
  std::size_t first = 0;
  for (std::size_t k = 0; k < source.layers.size(); ++k) {
    const std::size_t width = state_width(source.layers[k]);
    if (m.index < first + width) {
      m.index -= first;
      std::string part;
      if (std::holds_alternative<SourceLstm>(source.layers[k].layer)) {
        const std::size_t h_width = output_width(source.layers[k]);
        part = m.index < h_width ? " h" : " c";
        if (m.index >= h_width) m.index -= h_width;
      }
      m.what = "state" + part + " of layer " + std::to_string(k) + " '" + source.layers[k].name + "', unit";
      return;
    }
    first += width;
  }
}

bool fits_float(const std::vector<double>& values) {
  for (double v : values) {
    if (!(std::fabs(v) <= FLT_MAX)) return false;
  }
  return true;
}

// The runtime side of the check: a Session, or with options.integer_path the
// integer path (IntegerSession, floats converted at the model's scales).
class RuntimeUnderTest {
 public:
  RuntimeUnderTest(const Model& model, const tools::AlignedBytes& buffer, bool integer_path) {
    if (integer_path) {
      try {
        integer_ = std::make_unique<tools::IntegerRunner>(buffer.data(), buffer.size());
      } catch (const std::runtime_error& e) {
        throw ConversionError(std::string("the written model's integer path does not load: ") + e.what());
      }
    } else if (owned_.init(model) != Status::kOk) {
      throw ConversionError(std::string("session: ") + owned_.error());
    }
  }
  std::size_t state_size() { return integer_ ? integer_->model().state_size() : owned_.session().state_size(); }
  void step(const float* input, float* output) {
    if (integer_) {
      integer_->step(input, output);
    } else {
      owned_.session().step(input, output);
    }
  }
  void read_state(std::vector<float>& state) {
    if (integer_) {
      state = integer_->read_state();
    } else {
      owned_.session().read_state(state.data(), state.size());
    }
  }
  void write_state(const std::vector<float>& state) {
    if (integer_) {
      integer_->write_state(state);
    } else {
      owned_.session().write_state(state.data(), state.size());
    }
  }

 private:
  OwnedSession owned_;
  std::unique_ptr<tools::IntegerRunner> integer_;
};

}  // namespace

std::vector<std::vector<float>> random_check_inputs(std::uint32_t steps, std::uint32_t width) {
  std::mt19937 rng(20261121);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<std::vector<float>> rows(steps, std::vector<float>(width));
  for (auto& row : rows) {
    for (float& v : row) v = normal(rng);
  }
  return rows;
}

CheckReport check_conversion(const SourceModel& source, const TensorMap& tensors,
                             const std::vector<std::uint8_t>& model_bytes, const CheckOptions& options) {
  const tools::AlignedBytes buffer(model_bytes);
  Model model;
  if (model.load(buffer.data(), buffer.size()) != Status::kOk) {
    throw ConversionError(std::string("the written model does not load: ") + model.error());
  }
  RuntimeUnderTest session(model, buffer, options.integer_path);

  const auto reference = make_source_reference(source, tensors);
  std::mt19937 moves(20261201);
  const TensorMap moved_tensors = moved_weights(tensors, moves);
  const auto twin = make_source_reference(source, moved_tensors);
  if (reference->state().size() != session.state_size()) {
    throw ConversionError("conversion check: the source model has " + std::to_string(reference->state().size()) +
                          " state values, the written model " + std::to_string(session.state_size()));
  }
  const std::vector<std::vector<float>> inputs =
      options.inputs.empty() ? random_check_inputs(options.random_steps, model.input_size()) : options.inputs;
  const std::size_t steps = inputs.size();
  std::vector<float> input(model.input_size()), output(model.output_size()), state(session.state_size());
  CheckReport report;
  // Both start from the stored initial state: the file's (read from the
  // session before any step) against the source's.
  session.read_state(state);
  compare("state", reference->state(), twin->state(), state, 0, options.tolerance, report);
  if (report.mismatch) {
    name_state_value(source, *report.mismatch);
    report.mismatch->what = "initial " + report.mismatch->what;
    return report;
  }
  for (; report.steps < steps && !report.mismatch; ++report.steps) {
    if (inputs[report.steps].size() != input.size()) {
      throw ConversionError("check input row " + std::to_string(report.steps + 1) + " has " +
                            std::to_string(inputs[report.steps].size()) + " values; the model takes " +
                            std::to_string(input.size()));
    }
    input = inputs[report.steps];
    const std::vector<double> expected = reference->step({input.begin(), input.end()});
    std::vector<double> expected_state = reference->state();
    const std::vector<double> moved = twin->step(moved_values({input.begin(), input.end()}, moves));
    session.step(input.data(), output.data());
    session.read_state(state);
    // The state first: a mismatch there names the layer that is wrong.
    compare("state", expected_state, twin->state(), state, report.steps, options.tolerance, report);
    if (report.mismatch) name_state_value(source, *report.mismatch);
    compare("output", expected, moved, output, report.steps, options.tolerance, report);
    for (std::size_t i = 0; i < output.size(); ++i) {
      double error = std::fabs(output[i] - expected[i]);
      if (std::isnan(error)) error = INFINITY;
      report.max_output_error = std::fmax(report.max_output_error, error);
      report.sum_output_error += error;
      ++report.output_values;
    }

    // Teacher forcing: both sides go on from the reference's state, rounded to
    // float32 on both, so the next step measures that step's arithmetic only.
    // A state float32 cannot hold (a diverging ReLU RNN) restarts both from zero.
    if (!fits_float(expected_state)) expected_state.assign(expected_state.size(), 0.0);
    for (std::size_t i = 0; i < state.size(); ++i) {
      state[i] = static_cast<float>(expected_state[i]);
      expected_state[i] = state[i];
    }
    reference->set_state(expected_state);
    twin->set_state(moved_values(expected_state, moves));
    session.write_state(state);
  }
  return report;
}

CheckReport check_conversion(const SourceModel& source, const TensorMap& tensors,
                             const std::vector<std::uint8_t>& model_bytes, std::uint32_t steps) {
  CheckOptions options;
  options.random_steps = steps;
  return check_conversion(source, tensors, model_bytes, options);
}

std::string describe_mismatch(const CheckMismatch& m, double tolerance) {
  char text[320];
  char when[40];
  if (m.what.rfind("initial ", 0) == 0) {  // found before the first step
    std::snprintf(when, sizeof when, "the start (before step 1)");
  } else {
    std::snprintf(when, sizeof when, "step %u", m.step + 1);
  }
  std::snprintf(text, sizeof text,
                "%s, %s %zu: expected %.9g, got %.9g (|difference| %.3g > tolerance %.3g x scale %.3g)", when,
                m.what.c_str(), m.index, m.expected, m.got, std::fabs(m.got - m.expected), tolerance, m.scale);
  return text;
}

}  // namespace grurt::convert
