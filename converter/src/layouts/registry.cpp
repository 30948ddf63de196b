#include "families.hpp"

namespace grurt::convert {

const std::vector<LayoutFamily>& layout_registry() {
  // Order is the order of --help and of messages listing layouts.
  static const std::vector<LayoutFamily> families = {
      layouts::torch_gru(), layouts::chunked_cell(), layouts::concat_cell(), layouts::per_gate_cell(),
      layouts::torch_rnn(), layouts::torch_lstm(),
  };
  return families;
}

const LayoutFamily* find_layout_family(const std::string& layout) {
  for (const LayoutFamily& family : layout_registry()) {
    for (const LayoutName& name : family.names) {
      if (name.name == layout) return &family;
    }
  }
  return nullptr;
}

std::string layout_names() {
  std::string text;
  for (const LayoutFamily& family : layout_registry()) {
    for (const LayoutName& name : family.names) text += (text.empty() ? "" : ", ") + name.name;
  }
  return text;
}

std::string layout_help() {
  std::string text;
  for (const LayoutFamily& family : layout_registry()) {
    for (const LayoutName& name : family.names) {
      text += "  " + name.name + std::string(name.name.size() < 15 ? 15 - name.name.size() : 1, ' ') + name.help + "\n";
    }
  }
  return text;
}

}  // namespace grurt::convert
