// RTNeural (https://github.com/jatinchowdhury18/RTNeural) as a contestant of
// grurt-bench-compare: the same GRU and LSTM cells (and the two-layer amp
// model) in each of its backends, Eigen and xsimd, each run-time sized
// (Model<float> of GRULayer / LSTMLayer) and compile-time sized (ModelT of
// GRULayerT / LSTMLayerT). Built only with -DGRURT_RTNEURAL_DIR=<checkout>,
// which defines GRURT_HAVE_RTNEURAL=1 (bench/CMakeLists.txt).
#pragma once

#include <memory>
#include <vector>

#include "random_cell.hpp"

namespace grurt::bench {

// One RTNeural model under test: a backend and a sizing (e.g. "eigen, compile-time sized").
class RtneuralCell {
 public:
  virtual ~RtneuralCell() = default;
  virtual const char* name() const = 0;        // "RTNeural eigen run-time", "RTNeural xsimd compile-time", ...
  virtual void reset() = 0;                    // zero state
  virtual void set_input(const float* x) = 0;  // input_size floats, kept for step()
  virtual void step() = 0;                     // one time step
  virtual const float* hidden() const = 0;  // the output after step() (H floats for a cell; 1 float for the amp model)
};

// Every RTNeural variant compiled in for this cell (GRU or LSTM) with these
// exact weights, in this order: eigen run-time, eigen compile-time, xsimd
// run-time, xsimd compile-time. The compile-time sized ones exist only for the
// (I, H) of standard_sizes(kind) (none for other sizes).
std::vector<std::unique_ptr<RtneuralCell>> make_rtneural_cells(const CellWeights& weights);

// The two-layer amp model GRU(1->64) -> GRU(64->64) -> Dense(64->1) (no
// activation; AmpWeights is random_cell.hpp's) as RTNeural models (Model and
// ModelT, each backend, in the order above), output 1 float. Throws
// std::invalid_argument if the weights have other sizes.
std::vector<std::unique_ptr<RtneuralCell>> make_rtneural_amp_models(const AmpWeights& weights);

// Each backend's translation unit (rtneural_backend.cpp, compiled once per
// backend) defines its own pair; make_rtneural_* above concatenate them.
namespace rtneural_eigen {
std::vector<std::unique_ptr<RtneuralCell>> make_cells(const CellWeights& weights);
std::vector<std::unique_ptr<RtneuralCell>> make_amp_models(const AmpWeights& weights);
}  // namespace rtneural_eigen
namespace rtneural_xsimd {
std::vector<std::unique_ptr<RtneuralCell>> make_cells(const CellWeights& weights);
std::vector<std::unique_ptr<RtneuralCell>> make_amp_models(const AmpWeights& weights);
}  // namespace rtneural_xsimd

}  // namespace grurt::bench
