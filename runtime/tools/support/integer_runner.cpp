#include "integer_runner.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "grurt/status.hpp"

namespace grurt::tools {

std::int16_t quantize_int16(double value, double scale) {
  if (std::isnan(value)) throw std::runtime_error("the integer path takes no NaN (an input or state value is NaN)");
  const double q = std::nearbyint(value / scale);
  return static_cast<std::int16_t>(std::fmax(-32767.0, std::fmin(32767.0, q)));
}

IntegerRunner::IntegerRunner(const void* bytes, std::size_t size) {
  if (model_.load(bytes, size) != Status::kOk) {
    throw std::runtime_error(std::string(status_name(model_.status())) + ": " + model_.error());
  }
  arena_ = AlignedBytes(model_.arena_bytes());
  if (session_.init(model_, arena_.data(), arena_.size()) != Status::kOk) {
    throw std::runtime_error(std::string("integer session: ") + session_.error());
  }
  in_.resize(model_.input_size());
  out_.resize(model_.output_size());
  state_.resize(model_.state_size());
}

double IntegerRunner::state_unit(std::size_t index) const {
  return std::ldexp(1.0, -model_.state_fraction_bits(index));
}

void IntegerRunner::step(const float* input, float* output) {
  for (std::size_t i = 0; i < in_.size(); ++i) in_[i] = quantize_int16(input[i], model_.input_scale());
  session_.step(in_.data(), out_.data());
  for (std::size_t i = 0; i < out_.size(); ++i) output[i] = static_cast<float>(out_[i] * double{model_.output_scale()});
}

std::vector<float> IntegerRunner::read_state() {
  session_.read_state(state_.data(), state_.size());
  std::vector<float> state(state_.size());
  for (std::size_t i = 0; i < state.size(); ++i) state[i] = static_cast<float>(state_[i] * state_unit(i));
  return state;
}

void IntegerRunner::write_state(const std::vector<float>& state) {
  if (state.size() != state_.size()) {
    throw std::runtime_error("the integer state has " + std::to_string(state_.size()) + " values, not " +
                             std::to_string(state.size()));
  }
  for (std::size_t i = 0; i < state.size(); ++i) state_[i] = quantize_int16(state[i], state_unit(i));
  session_.write_state(state_.data(), state_.size());
}

}  // namespace grurt::tools
