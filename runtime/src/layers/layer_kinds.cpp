// The list of layer kinds: adding a kind is its file and one line here.
#include "layer_kind.hpp"

namespace grurt {
namespace detail {

extern const LayerKindOps kGruKind, kDenseKind, kActivationKind, kRnnKind, kLstmKind;

namespace {

// In LayerKind order.
const LayerKindOps* const kKinds[] = {&kGruKind, &kDenseKind, &kActivationKind, &kRnnKind, &kLstmKind};

}  // namespace

const LayerKindOps* const* all_kinds(std::size_t* count) noexcept {
  *count = sizeof(kKinds) / sizeof(kKinds[0]);
  return kKinds;
}

const LayerKindOps* find_kind(fb::LayerKind stored) noexcept {
  for (const LayerKindOps* kind : kKinds) {
    if (kind->stored == stored) return kind;
  }
  return nullptr;
}

const LayerKindOps& kind_ops(LayerKind kind) noexcept { return *kKinds[static_cast<int>(kind)]; }

Status read_layer(const fb::Layer* layer, const ReadContext& at, LayerView* view, ErrorText& error) noexcept {
  *view = LayerView{};
  if (layer == nullptr) {
    return error.fail(Status::kInvalidModel) << "layer " << at.index << " is null";
  }
  if (layer->name() != nullptr) view->name = layer->name()->c_str();
  // The verifier accepts a union whose type is set but whose table is absent,
  // and any type number: both are checked here before anything is read.
  if (layer->kind_type() == fb::LayerKind::NONE || layer->kind() == nullptr) {
    return error.fail(Status::kInvalidModel)
           << "layer " << at.index << " has no content (union type "
           << static_cast<std::uint32_t>(layer->kind_type()) << ", table absent)";
  }
  const LayerKindOps* kind = find_kind(layer->kind_type());
  if (kind != nullptr) return kind->read(*layer, at, view, error);
  auto& message = error.fail(Status::kUnsupportedLayer)
                  << "layer " << at.index << " has kind " << static_cast<std::uint32_t>(layer->kind_type())
                  << ", which this runtime does not know (";
  for (const LayerKindOps* known : kKinds) {
    message << (known == kKinds[0] ? "" : ", ") << static_cast<std::uint32_t>(known->stored) << " " << known->name;
  }
  return message << "); written by a newer grurt?";
}

}  // namespace detail

const char* layer_kind_name(LayerKind kind) noexcept {
  std::size_t count = 0;
  const detail::LayerKindOps* const* kinds = detail::all_kinds(&count);
  const auto index = static_cast<std::size_t>(kind);
  return index < count ? kinds[index]->name : "unknown";
}

}  // namespace grurt
