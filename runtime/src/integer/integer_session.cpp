#include <cstring>

#include "alignment.hpp"
#include "grurt/integer_session.hpp"
#include "integer/fixed_point.hpp"
#include "integer/integer_layers.hpp"
#include "integer/integer_plan.hpp"

namespace grurt {
namespace {

std::uint32_t whole_groups_of_4(std::uint32_t rows) { return (rows + 3) / 4 * 4; }

// -32768 read as -32767: the path is symmetric, which the overflow proof relies on.
std::int16_t symmetric(std::int16_t q) { return q < -integer::kMaxInt16 ? -integer::kMaxInt16 : q; }

// A GRU or LSTM step: every gate block of W x and of R h, then the update.
void step_recurrent(const integer::LayerPlan& layer, const std::int16_t* x, std::int32_t* scratch) noexcept {
  const std::uint32_t hp = layer.padded_output;
  const std::uint32_t gates = layer.gates();
  const std::uint32_t rows = whole_groups_of_4(layer.output_size);
  std::int32_t* gx = scratch;
  std::int32_t* gh = scratch + gates * hp;
  for (std::uint32_t gate = 0; gate < gates; ++gate) {
    integer::product_rows(layer.input, gate * hp, rows, x, gx + gate * hp);
    integer::product_rows(layer.recurrent, gate * hp, rows, layer.values, gh + gate * hp);
  }
  if (layer.kind == integer::LayerKind::kGru) {
    integer::gru_update(gx, gh, hp, layer.output_size, layer.values);
  } else {
    integer::lstm_update(gx, gh, hp, layer.output_size, layer.cell, layer.values);
  }
}

// Calls visit(vector, count) for each int16 state vector, in layer order (an LSTM: h, then c).
template <typename Visit>
void for_each_state(const integer::LayerPlan* plans, std::uint32_t count, Visit visit) noexcept {
  for (std::uint32_t l = 0; l < count; ++l) {
    if (!plans[l].recurrent_kind()) continue;
    visit(plans[l].values, plans[l].output_size);
    if (plans[l].cell != nullptr) visit(plans[l].cell, plans[l].output_size);
  }
}

}  // namespace

Status IntegerSession::init(const IntegerModel& model, void* arena, std::size_t arena_size) noexcept {
  *this = IntegerSession{};
  if (!model.loaded()) return error_.fail(Status::kNotLoaded) << "integer model is not loaded";
  if (arena == nullptr) return error_.fail(Status::kNullArgument) << "arena pointer is null";
  if (detail::misalignment(arena) != 0) {
    return detail::not_aligned(error_.fail(Status::kArenaMisaligned) << "arena ", arena);
  }
  if (arena_size < model.arena_bytes()) {
    return error_.fail(Status::kArenaTooSmall) << "arena has " << static_cast<std::uint64_t>(arena_size)
                                               << " bytes; the model needs "
                                               << static_cast<std::uint64_t>(model.arena_bytes());
  }
  auto* base = static_cast<unsigned char*>(arena);
  std::memset(base, 0, model.arena_bytes());  // zero state and zero padding of every vector
  integer::ArenaParts parts;
  integer::lay_out_arena(*model.root_, base, &parts);
  plans_ = parts.plans;
  input_ = parts.input;
  scratch_ = parts.scratch;
  num_layers_ = model.num_layers();
  input_size_ = model.input_size();
  output_size_ = model.output_size();
  state_size_ = model.state_size();
  return Status::kOk;
}

Status IntegerSession::check_ready(const void* a, const void* b) noexcept {
  if (plans_ == nullptr) return error_.fail(Status::kNotInitialized) << "integer session is not initialized";
  if (a == nullptr || b == nullptr) return error_.fail(Status::kNullArgument) << "input or output pointer is null";
  return Status::kOk;
}

Status IntegerSession::step(const std::int16_t* input, std::int16_t* output) noexcept {
  const Status ready = check_ready(input, output);
  if (ready != Status::kOk) return ready;
  for (std::uint32_t i = 0; i < input_size_; ++i) input_[i] = symmetric(input[i]);
  const std::int16_t* x = input_;
  for (std::uint32_t l = 0; l < num_layers_; ++l) {
    const integer::LayerPlan& layer = plans_[l];
    if (layer.recurrent_kind()) {
      step_recurrent(layer, x, scratch_);
    } else {
      integer::product_rows(layer.input, 0, whole_groups_of_4(layer.output_size), x, scratch_);
      integer::dense_outputs(scratch_, layer.output_size, layer.activation, layer.values);
    }
    x = layer.values;
  }
  for (std::uint32_t i = 0; i < output_size_; ++i) output[i] = x[i];
  return Status::kOk;
}

Status IntegerSession::reset() noexcept {
  if (plans_ == nullptr) return error_.fail(Status::kNotInitialized) << "integer session is not initialized";
  for_each_state(plans_, num_layers_, [](std::int16_t* values, std::uint32_t count) {
    std::memset(values, 0, count * sizeof(std::int16_t));
  });
  return Status::kOk;
}

Status IntegerSession::check_state_call(const void* values, std::size_t count) noexcept {
  const Status ready = check_ready(values, values);
  if (ready != Status::kOk) return ready;
  if (count != state_size_) {
    return error_.fail(Status::kSizeMismatch) << "state has " << static_cast<std::uint64_t>(state_size_)
                                              << " values; the call passed " << static_cast<std::uint64_t>(count);
  }
  return Status::kOk;
}

Status IntegerSession::read_state(std::int16_t* destination, std::size_t count) noexcept {
  const Status checked = check_state_call(destination, count);
  if (checked != Status::kOk) return checked;
  for_each_state(plans_, num_layers_, [&destination](const std::int16_t* values, std::uint32_t size) {
    std::memcpy(destination, values, size * sizeof(std::int16_t));
    destination += size;
  });
  return Status::kOk;
}

Status IntegerSession::write_state(const std::int16_t* source, std::size_t count) noexcept {
  const Status checked = check_state_call(source, count);
  if (checked != Status::kOk) return checked;
  for_each_state(plans_, num_layers_, [&source](std::int16_t* values, std::uint32_t size) {
    for (std::uint32_t j = 0; j < size; ++j, ++source) values[j] = symmetric(*source);
  });
  return Status::kOk;
}

}  // namespace grurt
