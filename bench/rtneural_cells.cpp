// The backends' lists, concatenated. This file includes no RTNeural header:
// each backend lives in its own translation unit (rtneural_backend.cpp).
#include "rtneural_cells.hpp"

#include <iterator>

namespace grurt::bench {
namespace {

using Cells = std::vector<std::unique_ptr<RtneuralCell>>;

Cells joined(Cells first, Cells second) {
  first.insert(first.end(), std::make_move_iterator(second.begin()), std::make_move_iterator(second.end()));
  return first;
}

}  // namespace

Cells make_rtneural_cells(const CellWeights& weights) {
  return joined(rtneural_eigen::make_cells(weights), rtneural_xsimd::make_cells(weights));
}

Cells make_rtneural_amp_models(const AmpWeights& weights) {
  return joined(rtneural_eigen::make_amp_models(weights), rtneural_xsimd::make_amp_models(weights));
}

}  // namespace grurt::bench
