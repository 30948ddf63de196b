#include "grurt/session.hpp"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

#include "alignment.hpp"
#include "finite_values.hpp"
#include "kernels/isa_list.hpp"
#include "kernels/kernel_table.hpp"
#include "layers/layer_kind.hpp"
#include "session_arena.hpp"

namespace grurt {

namespace {

// GRURT_ISA, when set, names the ISA kAuto resolves to.
bool isa_from_environment(Isa* isa, const char** text) {
  *text = std::getenv("GRURT_ISA");
  if (*text == nullptr || **text == '\0') return true;
  return isa_from_name(*text, isa);
}

// " a, b, c" or " a b c": the ISA list's names (those available here only, or all).
void list_isas(ErrorText& message, const char* separator, bool available_only) {
  std::size_t count = 0;
  const kernels::IsaEntry* entries = kernels::isa_entries(&count);
  bool first = true;
  for (std::size_t i = 0; i < count; ++i) {
    if (available_only && !isa_available(entries[i].isa)) continue;
    message << (first ? " " : separator) << entries[i].name;
    first = false;
  }
}

}  // namespace

Isa Session::isa() const noexcept { return kernels_ != nullptr ? kernels_->isa : Isa::kAuto; }

Status Session::init(const Model& model, void* arena, std::size_t arena_size, Isa isa) noexcept {
  *this = Session{};
  if (isa == Isa::kAuto) {
    isa = best_isa();
    const char* requested = nullptr;
    if (!isa_from_environment(&isa, &requested)) {
      auto& message = error_.fail(Status::kIsaUnavailable) << "GRURT_ISA='" << requested << "' is not one of";
      list_isas(message, ", ", false);
      return message;
    }
  }
  if (!isa_available(isa)) {
    auto& message = error_.fail(Status::kIsaUnavailable) << "instruction set " << isa_name(isa)
                                                         << " is not available here; available:";
    list_isas(message, " ", true);
    return message;
  }
  if (!model.loaded()) {
    return error_.fail(Status::kNotLoaded) << "model is not loaded (load() failed or was not called)";
  }
  if (arena == nullptr) return error_.fail(Status::kNullArgument) << "arena pointer is null";
  if (detail::misalignment(arena) != 0) {
    return detail::not_aligned(error_.fail(Status::kArenaMisaligned) << "arena address ", arena);
  }
  if (arena_size < model.arena_bytes()) {
    return error_.fail(Status::kArenaTooSmall)
           << "arena has " << static_cast<std::uint64_t>(arena_size) << " bytes; this model needs "
           << static_cast<std::uint64_t>(model.arena_bytes()) << " (Model::arena_bytes())";
  }
  const detail::ArenaLayout layout = detail::plan_arena(model);
  auto* base = static_cast<unsigned char*>(arena);
  std::memset(base, 0, layout.total);
  // Prepare once: every pointer and size step() needs goes into the plan, so
  // step() never touches the FlatBuffers tables.
  auto* plans = reinterpret_cast<detail::LayerPlan*>(base + layout.plans);
  float* next_state = reinterpret_cast<float*>(base + layout.state);
  for (std::uint32_t i = 0; i < model.num_layers(); ++i) {
    detail::LayerPlan* plan = new (plans + i) detail::LayerPlan{};
    plan->view = model.layer(i);
    plan->ops = &detail::kind_ops(plan->view.kind);
    const detail::LayerNeeds needs = plan->ops->needs(plan->view);
    for (int part = 0; part < detail::kMaxStateParts; ++part) {
      if (needs.state[part] == 0) continue;
      plan->state[part] = next_state;
      plan->state_size[part] = needs.state[part];
      next_state += detail::padded_floats(needs.state[part]);
    }
  }
  plan_ = plans;
  num_layers_ = model.num_layers();
  input_size_ = model.input_size();
  output_size_ = model.output_size();
  state_size_ = layout.state_floats;
  scratch_ = reinterpret_cast<float*>(base + layout.scratch);
  vectors_[0] = reinterpret_cast<float*>(base + layout.vectors[0]);
  vectors_[1] = reinterpret_cast<float*>(base + layout.vectors[1]);
  kernels_ = kernels::kernels_for(isa);
  const SkipView skip = model.skip();
  if (skip.present) {
    skip_ = reinterpret_cast<float*>(base + layout.skip);
    skip_from_input_ = skip.from_input;
    if (!skip.from_input) skip_layer_ = skip.layer;
    skip_channel_ = skip.first_channel;
  }
  if (plans[0].ops->project != nullptr) {
    projections_ = reinterpret_cast<float*>(base + layout.projections);
    projection_stride_ = static_cast<std::uint32_t>(layout.projection_stride);
  }
  set_initial_state();
  return Status::kOk;
}

void Session::set_initial_state() noexcept {
  for (std::uint32_t i = 0; i < num_layers_; ++i) {
    const float* initial = plan_[i].view.initial_state;  // the parts one after the other, or null (zeros)
    for (int part = 0; part < detail::kMaxStateParts; ++part) {
      float* values = plan_[i].state[part];
      if (values == nullptr) continue;
      const std::uint32_t count = plan_[i].state_size[part];
      // The padding past the state stays zero: SIMD kernels compute (unused) values there.
      std::memset(values, 0, detail::padded_floats(count) * sizeof(float));
      if (initial != nullptr) {
        std::memcpy(values, initial, count * sizeof(float));
        initial += count;
      }
    }
  }
}

template <typename Visit>
void Session::for_each_state(Visit visit) const noexcept {
  for (std::uint32_t i = 0; i < num_layers_; ++i) {
    for (int part = 0; part < detail::kMaxStateParts; ++part) {
      if (plan_[i].state[part] != nullptr) visit(plan_[i].state[part], plan_[i].state_size[part]);
    }
  }
}

Status Session::check_ready(const void* a, const void* b) noexcept {
  if (plan_ == nullptr) {
    return error_.fail(Status::kNotInitialized) << "session is not initialized (init() failed or was not called)";
  }
  if (a == nullptr || b == nullptr) return error_.fail(Status::kNullArgument) << "input or output pointer is null";
  return Status::kOk;
}

Status Session::check_inputs(const float* inputs, std::size_t steps) noexcept {
  if (!refuse_non_finite_) return Status::kOk;
  const std::size_t count = steps * input_size_;
  const std::size_t bad = detail::first_non_finite(inputs, count);
  if (bad == count) return Status::kOk;
  return error_.fail(Status::kNonFiniteValue)
         << "input " << static_cast<std::uint64_t>(bad % input_size_) << " of step "
         << static_cast<std::uint64_t>(bad / input_size_) << " is " << detail::non_finite_name(inputs[bad])
         << "; refused (refuse_non_finite_inputs is on): state and outputs unchanged";
}

Status Session::refuse_non_finite_inputs(bool refuse) noexcept {
  if (plan_ == nullptr) {
    return error_.fail(Status::kNotInitialized) << "session is not initialized (init() failed or was not called)";
  }
  refuse_non_finite_ = refuse;
  return Status::kOk;
}

bool Session::state_is_finite() const noexcept {
  if (plan_ == nullptr) return false;
  bool finite = true;
  for_each_state([&finite](const float* values, std::uint32_t count) {
    if (detail::first_non_finite(values, count) != count) finite = false;
  });
  return finite;
}

Status Session::step(const float* input, float* output) noexcept {
  Status ready = check_ready(input, output);
  if (ready == Status::kOk) ready = check_inputs(input, 1);
  if (ready != Status::kOk) return ready;
  if (skip_from_input_) keep_skip(input);
  forward(0, input, output);
  return Status::kOk;
}

void Session::keep_skip(const float* source) noexcept {
  std::memcpy(skip_, source + skip_channel_, output_size_ * sizeof(float));
}

// No switch on the kind: each layer's plan says how it steps.
void Session::forward(std::uint32_t first_layer, const float* x, float* output) noexcept {
  int free_vector = 0;
  for (std::uint32_t i = first_layer; i < num_layers_; ++i) {
    const detail::LayerPlan& plan = plan_[i];
    float* vector = vectors_[free_vector];
    x = plan.ops->step(plan, *kernels_, x, vector, scratch_);
    if (x == vector) free_vector ^= 1;
    if (i == skip_layer_) keep_skip(x);
  }
  // memmove: `output` may alias `input` (when x is still the input itself).
  std::memmove(output, x, output_size_ * sizeof(float));
  // The skip's source was copied before it could be overwritten; run() and step() add alike.
  if (skip_ != nullptr) {
    for (std::uint32_t j = 0; j < output_size_; ++j) output[j] += skip_[j];
  }
}

Status Session::run(const float* inputs, float* outputs, std::size_t steps) noexcept {
  if (steps == 0 && plan_ != nullptr) return Status::kOk;  // nothing to read or write
  Status ready = check_ready(inputs, outputs);
  if (ready == Status::kOk) ready = check_inputs(inputs, steps);
  if (ready != Status::kOk) return ready;
  if (projections_ == nullptr) {  // the first layer has no block step: nothing to batch
    for (std::size_t t = 0; t < steps; ++t) {
      if (skip_from_input_) keep_skip(inputs + t * input_size_);
      forward(0, inputs + t * input_size_, outputs + t * output_size_);
    }
    return Status::kOk;
  }
  const detail::LayerPlan& first = plan_[0];
  for (std::size_t t0 = 0; t0 < steps; t0 += kernels::kMaxGemmSteps) {
    const auto n = static_cast<std::uint32_t>(steps - t0 < kernels::kMaxGemmSteps ? steps - t0 : kernels::kMaxGemmSteps);
    first.ops->project(first, *kernels_, inputs + t0 * input_size_, n, projections_, scratch_);
    for (std::uint32_t j = 0; j < n; ++j) {
      const float* y = first.ops->recur(first, *kernels_, projections_ + j * projection_stride_, scratch_);
      if (skip_from_input_) keep_skip(inputs + (t0 + j) * input_size_);
      if (skip_layer_ == 0) keep_skip(y);
      forward(1, y, outputs + (t0 + j) * output_size_);  // the remaining layers, if any
    }
  }
  return Status::kOk;
}

Status Session::reset() noexcept {
  if (plan_ == nullptr) {
    return error_.fail(Status::kNotInitialized) << "session is not initialized (init() failed or was not called)";
  }
  set_initial_state();
  return Status::kOk;
}

Status Session::check_state_call(const void* values, std::size_t count) noexcept {
  const Status ready = check_ready(values, values);
  if (ready != Status::kOk) return ready;
  if (count != state_size_) {
    return error_.fail(Status::kSizeMismatch) << "state has " << static_cast<std::uint64_t>(state_size_)
                                              << " floats, caller gave " << static_cast<std::uint64_t>(count);
  }
  return Status::kOk;
}

Status Session::read_state(float* destination, std::size_t count) noexcept {
  const Status status = check_state_call(destination, count);
  if (status != Status::kOk) return status;
  for_each_state([&destination](float* h, std::uint32_t H) {
    std::memcpy(destination, h, H * sizeof(float));
    destination += H;
  });
  return Status::kOk;
}

Status Session::write_state(const float* source, std::size_t count) noexcept {
  const Status status = check_state_call(source, count);
  if (status != Status::kOk) return status;
  const std::size_t bad = detail::first_non_finite(source, count);
  if (bad != count) {
    return error_.fail(Status::kNonFiniteValue) << "state value " << static_cast<std::uint64_t>(bad) << " is "
                                                << detail::non_finite_name(source[bad])
                                                << "; refused: the state is unchanged";
  }
  for_each_state([&source](float* h, std::uint32_t H) {
    std::memcpy(h, source, H * sizeof(float));
    source += H;
  });
  return Status::kOk;
}

}  // namespace grurt
