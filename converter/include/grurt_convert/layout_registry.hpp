// The layouts grurt-convert recognises by tensor names and shapes: one entry
// per family, each in its own file under converter/src/layouts/. Recognition,
// --layout, the CLI help, the error messages that list layouts and the
// conversion check's source reference all read this one list, so adding a
// layout is one file and one line in layouts/registry.cpp.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "grurt_convert/layout_recognition.hpp"
#include "grurt_convert/source_model.hpp"
#include "grurt_convert/source_reference.hpp"
#include "grurt_convert/tensor_map.hpp"

namespace grurt::convert {

// One place in a file's tensors where a family's layout appears.
struct LayoutCandidate {
  std::string layout;   // one of the family's names
  std::string prefix;   // the module prefix it was found under ("" for none)
  std::string refusal;  // non-empty: recognised, but cannot be converted (e.g. an nn.LSTM, not supported yet)
};

struct LayoutName {
  std::string name;  // what --layout takes and SourceModel::layout holds
  std::string help;  // one line: the source module and its tensors
};

struct LayoutFamily {
  std::vector<LayoutName> names;
  // Every candidate in the tensors, from names and, where families share
  // names (nn.GRU / nn.RNN / nn.LSTM), from the shapes that tell them apart.
  std::vector<LayoutCandidate> (*find)(const TensorMap& tensors);
  // The candidate's recurrent layers (no head), every shape checked; throws
  // ConversionError naming the tensor and the expected and found shapes.
  SourceModel (*build)(const TensorMap& tensors, const LayoutCandidate& candidate, const RecognitionOptions& options);
  // The layout's own formulas on its own named tensors, in double precision,
  // for a model this family built.
  std::unique_ptr<SourceReference> (*reference)(const SourceModel& model, const TensorMap& tensors);
};

const std::vector<LayoutFamily>& layout_registry();

// The family that has a layout of this name, or nullptr ("mapping", a reader's declared model).
const LayoutFamily* find_layout_family(const std::string& layout);

// "gru, grucell, ...": every layout name, for messages.
std::string layout_names();

// One line per layout ("  gru            torch.nn.GRU: ..."), for --help.
std::string layout_help();

}  // namespace grurt::convert
