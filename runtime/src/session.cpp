#include "grurt/session.hpp"

#include <cstdint>

#include "kernels/kernel_table.hpp"
#include "network.hpp"

namespace grurt {

Isa Session::isa() const noexcept { return net_ != nullptr ? net_->kernels->isa : Isa::kAuto; }

Status Session::init(const Model& model, void* arena, std::size_t arena_size, Isa isa) noexcept {
  *this = Session{};
  const Status status = detail::prepare_network(model, arena, arena_size, isa, 0, error_, &net_);
  if (status == Status::kOk) state_size_ = net_->state_floats;
  return status;
}

Status Session::check_ready(const void* a, const void* b) noexcept {
  if (net_ == nullptr) {
    return error_.fail(Status::kNotInitialized) << "session is not initialized (init() failed or was not called)";
  }
  if (a == nullptr || b == nullptr) return error_.fail(Status::kNullArgument) << "input or output pointer is null";
  return Status::kOk;
}

Status Session::check_inputs(const float* inputs, std::size_t steps) noexcept {
  if (!refuse_non_finite_) return Status::kOk;
  return detail::refuse_non_finite(*net_, inputs, steps, "step", "state and outputs unchanged", error_);
}

Status Session::refuse_non_finite_inputs(bool refuse) noexcept {
  if (net_ == nullptr) {
    return error_.fail(Status::kNotInitialized) << "session is not initialized (init() failed or was not called)";
  }
  refuse_non_finite_ = refuse;
  return Status::kOk;
}

bool Session::state_is_finite() const noexcept { return net_ != nullptr && detail::state_is_finite(*net_, 0); }

Status Session::step(const float* input, float* output) noexcept {
  Status ready = check_ready(input, output);
  if (ready == Status::kOk) ready = check_inputs(input, 1);
  if (ready != Status::kOk) return ready;
  detail::forward_step(*net_, input, output);
  return Status::kOk;
}

Status Session::run(const float* inputs, float* outputs, std::size_t steps) noexcept {
  if (steps == 0 && net_ != nullptr) return Status::kOk;  // nothing to read or write
  Status ready = check_ready(inputs, outputs);
  if (ready == Status::kOk) ready = check_inputs(inputs, steps);
  if (ready != Status::kOk) return ready;
  if (net_->run_step_by_step) {
    for (std::size_t t = 0; t < steps; ++t) {
      detail::forward_step(*net_, inputs + t * net_->input_size, outputs + t * net_->output_size);
    }
    return Status::kOk;
  }
  for (std::size_t t0 = 0; t0 < steps; t0 += kernels::kMaxGemmSteps) {
    const auto n = static_cast<std::uint32_t>(steps - t0 < kernels::kMaxGemmSteps ? steps - t0 : kernels::kMaxGemmSteps);
    detail::forward_steps(*net_, inputs + t0 * net_->input_size, n, outputs + t0 * net_->output_size);
  }
  return Status::kOk;
}

Status Session::reset() noexcept {
  if (net_ == nullptr) {
    return error_.fail(Status::kNotInitialized) << "session is not initialized (init() failed or was not called)";
  }
  detail::set_initial_state(*net_, 0);
  return Status::kOk;
}

Status Session::check_state_call(const void* values, std::size_t count) noexcept {
  const Status ready = check_ready(values, values);
  if (ready != Status::kOk) return ready;
  return detail::check_state_count(*net_, count, error_);
}

Status Session::read_state(float* destination, std::size_t count) noexcept {
  const Status status = check_state_call(destination, count);
  if (status != Status::kOk) return status;
  detail::read_state(*net_, 0, destination);
  return Status::kOk;
}

Status Session::write_state(const float* source, std::size_t count) noexcept {
  const Status status = check_state_call(source, count);
  if (status != Status::kOk) return status;
  return detail::write_state(*net_, 0, source, count, error_);
}

}  // namespace grurt
