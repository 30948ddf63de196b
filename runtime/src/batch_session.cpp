#include "grurt/batch_session.hpp"

#include <cstdint>

#include "kernels/kernel_table.hpp"
#include "network.hpp"
#include "session_arena.hpp"

namespace grurt {

std::size_t BatchSession::arena_bytes(const Model& model, std::uint32_t streams) noexcept {
  if (!model.loaded() || streams == 0 || streams > kMaxStreams) return 0;
  return detail::plan_arena(model, streams).total;
}

std::uint32_t BatchSession::streams_per_pass() noexcept { return kernels::kMaxGemmSteps; }

Status BatchSession::init(const Model& model, std::uint32_t streams, void* arena, std::size_t arena_size,
                          Isa isa) noexcept {
  *this = BatchSession{};
  if (streams == 0 || streams > kMaxStreams) {
    return error_.fail(Status::kSizeMismatch) << "a batch holds 1 to " << kMaxStreams << " streams; caller asked for "
                                              << streams;
  }
  const Status status = detail::prepare_network(model, arena, arena_size, isa, streams, error_, &net_);
  if (status != Status::kOk) return status;
  streams_ = streams;
  state_size_ = net_->state_floats;
  return Status::kOk;
}

Isa BatchSession::isa() const noexcept { return net_ != nullptr ? net_->kernels->isa : Isa::kAuto; }

Status BatchSession::check_ready(const void* a, const void* b) noexcept {
  if (net_ == nullptr) {
    return error_.fail(Status::kNotInitialized) << "batch is not initialized (init() failed or was not called)";
  }
  if (a == nullptr || b == nullptr) return error_.fail(Status::kNullArgument) << "input or output pointer is null";
  return Status::kOk;
}

Status BatchSession::check_stream(std::uint32_t stream) noexcept {
  if (stream < streams_) return Status::kOk;
  return error_.fail(Status::kSizeMismatch) << "stream " << stream << " does not exist; this batch has streams 0 to "
                                            << (streams_ - 1);
}

Status BatchSession::step(const float* inputs, float* outputs) noexcept {
  const Status ready = check_ready(inputs, outputs);
  if (ready != Status::kOk) return ready;
  if (refuse_non_finite_) {
    const Status finite = detail::refuse_non_finite(*net_, inputs, streams_, "stream",
                                                    "no stream's state or output changed", error_);
    if (finite != Status::kOk) return finite;
  }
  const std::size_t input_size = net_->input_size;
  for (std::uint32_t first = 0; first < streams_; first += kernels::kMaxGemmSteps) {
    const std::uint32_t count = streams_ - first < kernels::kMaxGemmSteps ? streams_ - first : kernels::kMaxGemmSteps;
    detail::forward_streams(*net_, first, count, inputs + first * input_size,
                            outputs + std::size_t{first} * net_->output_size);
  }
  return Status::kOk;
}

Status BatchSession::reset() noexcept {
  const Status ready = check_ready(this, this);
  if (ready != Status::kOk) return ready;
  for (std::uint32_t s = 0; s < streams_; ++s) detail::set_initial_state(*net_, s);
  return Status::kOk;
}

Status BatchSession::reset(std::uint32_t stream) noexcept {
  Status status = check_ready(this, this);
  if (status == Status::kOk) status = check_stream(stream);
  if (status != Status::kOk) return status;
  detail::set_initial_state(*net_, stream);
  return Status::kOk;
}

Status BatchSession::refuse_non_finite_inputs(bool refuse) noexcept {
  const Status ready = check_ready(this, this);
  if (ready != Status::kOk) return ready;
  refuse_non_finite_ = refuse;
  return Status::kOk;
}

bool BatchSession::state_is_finite(std::uint32_t stream) const noexcept {
  return net_ != nullptr && stream < streams_ && detail::state_is_finite(*net_, stream);
}

Status BatchSession::check_state_call(std::uint32_t stream, const void* values, std::size_t count) noexcept {
  Status status = check_ready(values, values);
  if (status == Status::kOk) status = check_stream(stream);
  if (status != Status::kOk) return status;
  return detail::check_state_count(*net_, count, error_);
}

Status BatchSession::read_state(std::uint32_t stream, float* destination, std::size_t count) noexcept {
  const Status status = check_state_call(stream, destination, count);
  if (status != Status::kOk) return status;
  detail::read_state(*net_, stream, destination);
  return Status::kOk;
}

Status BatchSession::write_state(std::uint32_t stream, const float* source, std::size_t count) noexcept {
  const Status status = check_state_call(stream, source, count);
  if (status != Status::kOk) return status;
  return detail::write_state(*net_, stream, source, count, error_);
}

}  // namespace grurt
