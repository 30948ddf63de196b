#include "session_timing.hpp"

#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "aligned_bytes.hpp"
#include "grurt/owned_session.hpp"

namespace grurt::bench {
namespace {

std::vector<float> normal_values(std::size_t count) {
  std::mt19937 rng(1);
  std::normal_distribution<float> normal;
  std::vector<float> values(count);
  for (float& v : values) v = normal(rng);
  return values;
}

template <typename Call>
CallTiming timed(Isa isa, const TimingRequest& request, Call&& call) {
  CallTiming result;
  result.isa = isa;
  result.calls = request.calls != 0 ? request.calls : calibrate_steps(call);
  result.per_call = time_steps(call, result.calls, request.repetitions);
  return result;
}

}  // namespace

CallTiming time_session(const Model& model, const TimingRequest& request, std::size_t block) {
  OwnedSession owned;
  if (owned.init(model, request.isa) != Status::kOk) throw std::runtime_error(owned.error());
  Session& s = owned.session();
  const std::vector<float> inputs = normal_values(block * model.input_size());
  std::vector<float> outputs(block * model.output_size());
  return timed(s.isa(), request, [&] {
    if (block == 1) {
      s.step(inputs.data(), outputs.data());
    } else {
      s.run(inputs.data(), outputs.data(), block);
    }
  });
}

CallTiming time_batch(const Model& model, const TimingRequest& request, std::uint32_t streams) {
  const std::size_t bytes = BatchSession::arena_bytes(model, streams);
  if (bytes == 0) throw std::runtime_error(std::to_string(streams) + " streams are too many for this model");
  tools::AlignedBytes arena(bytes);
  BatchSession batch;
  if (batch.init(model, streams, arena.data(), arena.size(), request.isa) != Status::kOk) {
    throw std::runtime_error(batch.error());
  }
  const std::vector<float> inputs = normal_values(std::size_t{streams} * model.input_size());
  std::vector<float> outputs(std::size_t{streams} * model.output_size());
  return timed(batch.isa(), request, [&] { batch.step(inputs.data(), outputs.data()); });
}

CallTiming time_sessions_in_turn(const Model& model, const TimingRequest& request, std::uint32_t streams) {
  std::vector<std::unique_ptr<OwnedSession>> sessions;
  for (std::uint32_t s = 0; s < streams; ++s) {
    sessions.push_back(std::make_unique<OwnedSession>());
    if (sessions.back()->init(model, request.isa) != Status::kOk) throw std::runtime_error(sessions.back()->error());
  }
  const std::size_t in = model.input_size(), out = model.output_size();
  const std::vector<float> inputs = normal_values(streams * in);
  std::vector<float> outputs(streams * out);
  return timed(sessions[0]->session().isa(), request, [&] {
    for (std::uint32_t s = 0; s < streams; ++s) sessions[s]->step(&inputs[s * in], &outputs[s * out]);
  });
}

}  // namespace grurt::bench
