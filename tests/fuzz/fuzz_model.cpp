// Fuzz target: the runtime's model loaders, then a session on whatever loads.
//
// Any byte string may be handed to Model::load and IntegerModel::load (a file
// from flash, from the network): each must either refuse it with a status and
// a message, or load a model whose sessions (and batches of streams) then
// step, run, reset and swap state without reading or writing out of bounds
// (Session: on the scalar and the best instruction set this machine has).
//
// A mutated file almost never matches its CRC-32C, so with the check on the
// fuzzer would stop at it and never reach the parser: the sessions are made
// from loads with the check off (LoadOptions::verify_checksum), and the check
// itself is exercised beside them: with it on, the same bytes load exactly
// when they load without it and carry no mismatching checksum.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "aligned_bytes.hpp"
#include "grurt/grurt.hpp"

namespace {

// AlignedBytes holds exactly the size asked for, no slack: AddressSanitizer
// sees a read one byte past the end of the model or the arena.
using grurt::tools::AlignedBytes;

void require(bool condition) {
  if (!condition) std::abort();  // a broken contract: libFuzzer reports it as a crash
}

// Streams a few steps through a session on `isa`; inputs come from the file's
// own bytes, so non-finite values (NaN, Inf) appear too.
void exercise(const grurt::Model& model, grurt::Isa isa, const std::uint8_t* data, std::size_t size) {
  if (!grurt::isa_available(isa)) return;
  AlignedBytes arena(model.arena_bytes());
  grurt::Session session;
  require(session.init(model, arena.data(), arena.size(), isa) == grurt::Status::kOk);
  constexpr std::size_t kSteps = 3;
  std::vector<float> inputs(kSteps * model.input_size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const std::size_t at = (i * sizeof(float)) % size;
    std::memcpy(&inputs[i], data + at, size - at < sizeof(float) ? size - at : sizeof(float));
  }
  std::vector<float> outputs(kSteps * model.output_size());
  require(session.step(inputs.data(), outputs.data()) == grurt::Status::kOk);
  require(session.run(inputs.data(), outputs.data(), kSteps) == grurt::Status::kOk);
  std::vector<float> state(session.state_size());
  require(session.read_state(state.data(), state.size()) == grurt::Status::kOk);
  require(session.reset() == grurt::Status::kOk);
  (void)session.write_state(state.data(), state.size());  // may refuse a non-finite state
  (void)session.state_is_finite();
  // The opt-in check: NaN or infinity refused, anything else streamed.
  require(session.refuse_non_finite_inputs(true) == grurt::Status::kOk);
  const grurt::Status checked = session.run(inputs.data(), outputs.data(), kSteps);
  require(checked == grurt::Status::kOk || checked == grurt::Status::kNonFiniteValue);
}

// A batch of 3 streams (one pass over the weights for all of them) on the
// best ISA: steps, per-stream state calls and reset within bounds; a stream
// that does not exist is refused.
void exercise_batch(const grurt::Model& model, const std::uint8_t* data, std::size_t size) {
  constexpr std::uint32_t kStreams = 3;
  const std::size_t bytes = grurt::BatchSession::arena_bytes(model, kStreams);
  if (bytes == 0 || bytes > (64u << 20)) return;
  AlignedBytes arena(bytes);
  grurt::BatchSession batch;
  require(batch.init(model, kStreams, arena.data(), arena.size()) == grurt::Status::kOk);
  std::vector<float> inputs(kStreams * model.input_size()), outputs(kStreams * model.output_size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const std::size_t at = (i * sizeof(float) + 1) % size;
    std::memcpy(&inputs[i], data + at, size - at < sizeof(float) ? size - at : sizeof(float));
  }
  require(batch.step(inputs.data(), outputs.data()) == grurt::Status::kOk);
  std::vector<float> state(batch.state_size());
  require(batch.read_state(kStreams - 1, state.data(), state.size()) == grurt::Status::kOk);
  require(batch.read_state(kStreams, state.data(), state.size()) == grurt::Status::kSizeMismatch);
  require(batch.reset(0) == grurt::Status::kOk);
  (void)batch.write_state(1, state.data(), state.size());  // may refuse a non-finite state
  require(batch.step(inputs.data(), outputs.data()) == grurt::Status::kOk);
}

// The integer path on the same bytes: IntegerModel::load refuses with a
// message or loads a plan whose sessions step (int16 inputs from the file's
// bytes, -32768 included), reset and swap state within bounds.
void exercise_integer(const AlignedBytes& buffer, const std::uint8_t* data, std::size_t size,
                      const grurt::LoadOptions& options) {
  grurt::IntegerModel model;
  if (model.load(buffer.data(), buffer.size(), options) != grurt::Status::kOk) {
    require(model.error()[0] != '\0');
    return;
  }
  if (model.arena_bytes() > (64u << 20) || size == 0) return;
  AlignedBytes arena(model.arena_bytes());
  grurt::IntegerSession session;
  require(session.init(model, arena.data(), arena.size()) == grurt::Status::kOk);
  std::vector<std::int16_t> input(model.input_size()), output(model.output_size());
  for (std::size_t i = 0; i < input.size(); ++i) {
    const std::size_t at = (i * 2) % size;
    input[i] = static_cast<std::int16_t>(data[at] | (at + 1 < size ? data[at + 1] << 8 : 0));
  }
  for (int t = 0; t < 3; ++t) require(session.step(input.data(), output.data()) == grurt::Status::kOk);
  std::vector<std::int16_t> state(session.state_size());
  require(session.read_state(state.data(), state.size()) == grurt::Status::kOk);
  require(session.reset() == grurt::Status::kOk);
  require(session.write_state(state.data(), state.size()) == grurt::Status::kOk);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const AlignedBytes buffer(data, size);
  grurt::LoadOptions unchecked;
  unchecked.verify_checksum = false;
  exercise_integer(buffer, data, size, unchecked);
  grurt::Model model;
  const grurt::Status status = model.load(buffer.data(), buffer.size(), unchecked);
  // The check: refused for a mismatch (before the checks after it), else as without it.
  grurt::Model checked;
  const grurt::Status with_check = checked.load(buffer.data(), buffer.size());
  const grurt::Integrity& found = checked.integrity();
  const bool mismatch = found.present && found.checked && found.stored != found.computed;
  require(mismatch ? with_check == grurt::Status::kCorruptFile : with_check == status);
  require(!mismatch || (model.integrity().present && !model.integrity().checked && model.integrity().stored == found.stored));
  if (status != grurt::Status::kOk) {
    require(model.error()[0] != '\0');  // every refusal says why
    return 0;
  }
  // Every size a model declares is backed by weights in the file, except the
  // width of weightless layers; keep the fuzzer's memory bounded.
  if (model.arena_bytes() > (64u << 20) || size == 0) return 0;
  exercise(model, grurt::Isa::kScalar, data, size);
  exercise(model, grurt::best_isa(), data, size);
  exercise_batch(model, data, size);
  return 0;
}
