#include "network.hpp"

#include <cstdlib>
#include <cstring>
#include <new>

#include "grurt/session.hpp"
#include "alignment.hpp"
#include "finite_values.hpp"
#include "kernels/isa_list.hpp"
#include "kernels/kernel_table.hpp"
#include "layers/layer_kind.hpp"
#include "session_arena.hpp"

namespace grurt {
namespace detail {

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

// Calls visit(vector, size) for each state vector of `stream`, in layer order.
template <typename Visit>
void for_each_state(const Network& net, std::uint32_t stream, Visit visit) noexcept {
  const std::size_t offset = stream * net.state_stride;
  for (std::uint32_t i = 0; i < net.num_layers; ++i) {
    for (int part = 0; part < kMaxStateParts; ++part) {
      if (net.plans[i].state[part] != nullptr) visit(i, part, net.plans[i].state[part] + offset, net.plans[i].state_size[part]);
    }
  }
}

// Network::run_step_by_step: a recurrent layer reading more inputs than this
// projects them over run()'s block instead.
constexpr std::uint32_t kStepByStepInputs = 4;

// Whether the model's weight matrices are few enough bytes for its layers
// to take fused steps (kernel_table.hpp kSmallCellBytes says why).
bool weights_fit_fused_steps(const Model& model) {
  std::size_t bytes = 0;
  for (std::uint32_t i = 0; i < model.num_layers(); ++i) {
    const LayerView view = model.layer(i);
    bytes += kernels::matrix_bytes(view.weight) + kernels::matrix_bytes(view.recurrent) +
             kernels::matrix_bytes(view.projection);
  }
  return bytes <= kernels::kSmallCellBytes;
}

}  // namespace

Status resolve_isa(const Model& model, Isa* isa, ErrorText& error) noexcept {
  if (*isa == Isa::kAuto) {
    *isa = best_isa_for(model);
    const char* requested = nullptr;
    if (!isa_from_environment(isa, &requested)) {
      auto& message = error.fail(Status::kIsaUnavailable) << "GRURT_ISA='" << requested << "' is not one of";
      list_isas(message, ", ", false);
      return message;
    }
  }
  if (!isa_available(*isa)) {
    auto& message = error.fail(Status::kIsaUnavailable) << "instruction set " << isa_name(*isa)
                                                        << " is not available here; available:";
    list_isas(message, " ", true);
    return message;
  }
  return Status::kOk;
}

Status prepare_network(const Model& model, void* arena, std::size_t arena_size, Isa isa, std::uint32_t streams,
                       ErrorText& error, Network** network) noexcept {
  *network = nullptr;
  const Status chosen = resolve_isa(model, &isa, error);
  if (chosen != Status::kOk) return chosen;
  if (!model.loaded()) {
    return error.fail(Status::kNotLoaded) << "model is not loaded (load() failed or was not called)";
  }
  const ArenaLayout layout = plan_arena(model, streams);
  if (layout.total == 0) {  // only a batch of very many streams on a 32-bit target
    return error.fail(Status::kArenaTooSmall) << "the arena for " << streams
                                              << " streams of this model exceeds the address space";
  }
  if (arena == nullptr) return error.fail(Status::kNullArgument) << "arena pointer is null";
  if (detail::misalignment(arena) != 0) {
    return detail::not_aligned(error.fail(Status::kArenaMisaligned) << "arena address ", arena);
  }
  if (arena_size < layout.total) {
    return error.fail(Status::kArenaTooSmall)
           << "arena has " << static_cast<std::uint64_t>(arena_size) << " bytes; this model needs "
           << static_cast<std::uint64_t>(layout.total)
           << (streams == 0 ? " (Model::arena_bytes())" : " (BatchSession::arena_bytes(model, streams))");
  }
  auto* base = static_cast<unsigned char*>(arena);
  std::memset(base, 0, layout.total);
  auto* plans = reinterpret_cast<LayerPlan*>(base + layout.plans);
  float* next_state = reinterpret_cast<float*>(base + layout.state);
  const kernels::KernelTable* table = kernels::kernels_for(isa);
  const bool fuse = kernels::kFusedCellsBuilt && weights_fit_fused_steps(model);
  bool step_by_step = fuse;  // Network::run_step_by_step: every recurrent layer fused, few inputs
  for (std::uint32_t i = 0; i < model.num_layers(); ++i) {
    LayerPlan* plan = new (plans + i) LayerPlan{};
    plan->view = model.layer(i);
    plan->ops = &kind_ops(plan->view.kind);
    const LayerNeeds needs = plan->ops->needs(plan->view);
    for (int part = 0; part < kMaxStateParts; ++part) {
      if (needs.state[part] == 0) continue;
      plan->state[part] = next_state;
      plan->state_size[part] = needs.state[part];
      next_state += padded_floats(needs.state[part]);
    }
    if (fuse && plan->ops->fused_step != nullptr) {
      plan->fused = plan->ops->fused_step(plan->view, *table);
    }
    if (needs.state[0] != 0 && (plan->fused == nullptr || plan->view.input_size > kStepByStepInputs)) {
      step_by_step = false;
    }
  }
  Network* net = new (base + layout.network) Network{};
  net->plans = plans;
  net->num_layers = model.num_layers();
  net->input_size = model.input_size();
  net->output_size = model.output_size();
  net->kernels = table;
  net->run_step_by_step = step_by_step;
  net->scratch = reinterpret_cast<float*>(base + layout.scratch);
  for (int i = 0; i < 2; ++i) net->columns[i] = reinterpret_cast<float*>(base + layout.columns[i]);
  net->column_stride = layout.column_stride;
  net->projections = reinterpret_cast<float*>(base + layout.projections);
  net->projection_stride = layout.projection_stride;
  const SkipView skip = model.skip();
  if (skip.present) {
    net->skip = reinterpret_cast<float*>(base + layout.skip);
    net->skip_from_input = skip.from_input;
    if (!skip.from_input) net->skip_layer = skip.layer;
    net->skip_channel = skip.first_channel;
  }
  net->state_stride = layout.state_stride;
  net->state_floats = layout.state_floats;
  for (std::uint32_t s = 0; s < (streams == 0 ? 1 : streams); ++s) set_initial_state(*net, s);
  *network = net;
  return Status::kOk;
}

Status refuse_non_finite(const Network& net, const float* inputs, std::size_t rows, const char* row_name,
                         const char* unchanged, ErrorText& error) noexcept {
  const std::size_t width = net.input_size;
  const std::size_t count = rows * width;
  const std::size_t bad = first_non_finite(inputs, count);
  if (bad == count) return Status::kOk;
  return error.fail(Status::kNonFiniteValue)
         << "input " << static_cast<std::uint64_t>(bad % width) << " of " << row_name << " "
         << static_cast<std::uint64_t>(bad / width) << " is " << non_finite_name(inputs[bad])
         << "; refused (refuse_non_finite_inputs is on): " << unchanged;
}

Status check_state_count(const Network& net, std::size_t count, ErrorText& error) noexcept {
  if (count == net.state_floats) return Status::kOk;
  return error.fail(Status::kSizeMismatch) << "state has " << static_cast<std::uint64_t>(net.state_floats)
                                           << " floats, caller gave " << static_cast<std::uint64_t>(count);
}

void set_initial_state(const Network& net, std::uint32_t stream) noexcept {
  const float* initial = nullptr;  // each layer's parts one after the other, or null (zeros)
  for_each_state(net, stream, [&](std::uint32_t layer, int part, float* values, std::uint32_t count) {
    if (part == 0) initial = net.plans[layer].view.initial_state;
    // The padding past the state stays zero: SIMD kernels compute (unused) values there.
    std::memset(values, 0, padded_floats(count) * sizeof(float));
    if (initial != nullptr) {
      std::memcpy(values, initial, count * sizeof(float));
      initial += count;
    }
  });
}

void read_state(const Network& net, std::uint32_t stream, float* destination) noexcept {
  for_each_state(net, stream, [&destination](std::uint32_t, int, const float* values, std::uint32_t count) {
    std::memcpy(destination, values, count * sizeof(float));
    destination += count;
  });
}

Status write_state(const Network& net, std::uint32_t stream, const float* source, std::size_t count,
                   ErrorText& error) noexcept {
  const std::size_t bad = first_non_finite(source, count);
  if (bad != count) {
    return error.fail(Status::kNonFiniteValue) << "state value " << static_cast<std::uint64_t>(bad) << " is "
                                               << non_finite_name(source[bad]) << "; refused: the state is unchanged";
  }
  for_each_state(net, stream, [&source](std::uint32_t, int, float* values, std::uint32_t size) {
    std::memcpy(values, source, size * sizeof(float));
    source += size;
  });
  return Status::kOk;
}

bool state_is_finite(const Network& net, std::uint32_t stream) noexcept {
  bool finite = true;
  for_each_state(net, stream, [&finite](std::uint32_t, int, const float* values, std::uint32_t count) {
    if (first_non_finite(values, count) != count) finite = false;
  });
  return finite;
}

}  // namespace detail

Isa best_isa_for(const Model& model) noexcept {
  const Isa best = best_isa();
  const kernels::IsaEntry* entry = kernels::isa_entry(best);
  if (!model.loaded() || entry == nullptr || entry->narrower == Isa::kAuto) return best;
  for (std::uint32_t i = 0; i < model.num_layers(); ++i) {
    const LayerView view = model.layer(i);
    if (view.output_size > kNarrowModelRows || view.cell_size > kNarrowModelRows) return best;
  }
  for (const Isa narrower : {entry->narrower, Isa::kAvx2}) {
    if (isa_available(narrower)) return narrower;
  }
  return best;
}

}  // namespace grurt
