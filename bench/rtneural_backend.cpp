// One RTNeural backend's models: compiled twice by bench/CMakeLists.txt, with
// GRURT_RTNEURAL_EIGEN=1 (-> grurt::bench::rtneural_eigen) and with
// GRURT_RTNEURAL_XSIMD=1 (-> grurt::bench::rtneural_xsimd).
//
// Why two backends in one program are safe: RTNeural picks its backend with
// macros, so GRULayer<float>, GRULayerT, ModelT, ... have a different
// definition per backend under the same names, an ODR violation if two
// translation units saw both under one namespace. RTNeural puts everything it
// defines in the namespace RTNEURAL_NAMESPACE (its config.h; `RTNeural` by
// default), so each compilation gives it its own (grurt_rtneural_eigen,
// grurt_rtneural_xsimd): no RTNeural entity is shared between them, nor with
// the rest of the program, and nothing outside this file names one.
// What remains shared is what the headers pull in from outside RTNeural:
//  - Eigen: only the Eigen compilation includes it (grurt does not use Eigen).
//  - xsimd: only the xsimd compilation here, and grurt's runtime kernels, both
//    from the same Debian xsimd unless the checkout bundles its own
//    (modules/xsimd, a git submodule; see bench/CMakeLists.txt).
//  - RTNeural's xsimd-legacy/algorithms.hpp, the xsimd 8 algorithms (the same
//    include guard as xsimd's stl/algorithms.hpp, which grurt does not use).
//  - nlohmann::json 3.11.1 (RTNeural's copy, pulled in by ModelT.h, never
//    called): its ABI namespace json_abi_v3_11_1 keeps it apart from the
//    converter's Debian 3.11.2.
// Everything here is built with -fvisibility=hidden, so no template instance
// of this file is exported to (or interposed by) a shared library such as
// LibTorch. Built with -march=native like the rest of RTNeural's benchmarks:
// the program then runs only on a machine with this one's instruction set.
#if defined(GRURT_RTNEURAL_EIGEN) && GRURT_RTNEURAL_EIGEN
#define RTNEURAL_USE_EIGEN 1
#define RTNEURAL_NAMESPACE grurt_rtneural_eigen
#define GRURT_RTNEURAL_BACKEND rtneural_eigen
#define GRURT_RTNEURAL_NAME(sizing) "RTNeural eigen " sizing
// GRULayerT<float, 256, 512> holds fixed-size Eigen matrices of 3 MB; Eigen
// refuses fixed-size objects over 128 kB in case they are on the stack. Every
// model here is allocated on the heap (std::make_unique).
#define EIGEN_STACK_ALLOCATION_LIMIT 0
// RTNeural's Eigen code maps its buffers as Aligned32 at most (common.h); with
// AVX-512 Eigen then loads them unaligned, correct either way.
#if defined(__AVX__)
#define RTNEURAL_DEFAULT_ALIGNMENT 32
#else
#define RTNEURAL_DEFAULT_ALIGNMENT 16
#endif
#elif defined(GRURT_RTNEURAL_XSIMD) && GRURT_RTNEURAL_XSIMD
#define RTNEURAL_USE_XSIMD 1
#define RTNEURAL_NAMESPACE grurt_rtneural_xsimd
#define GRURT_RTNEURAL_BACKEND rtneural_xsimd
#define GRURT_RTNEURAL_NAME(sizing) "RTNeural xsimd " sizing
// RTNeural stores xsimd's default batch (xsimd::simd_type<float>) into
// alignas(RTNEURAL_DEFAULT_ALIGNMENT) arrays with store_aligned: the alignment
// must be that batch's (64 bytes with -march=native on an AVX-512 machine,
// where RTNeural's own CMake would say 32 and crash).
#if defined(__AVX512F__)
#define RTNEURAL_DEFAULT_ALIGNMENT 64
#elif defined(__AVX__)
#define RTNEURAL_DEFAULT_ALIGNMENT 32
#else
#define RTNEURAL_DEFAULT_ALIGNMENT 16
#endif
#include <xsimd/xsimd.hpp>
// xsimd 8 (Debian 12's 8.1) calls reduce_add `hadd`; RTNeural calls
// xsimd::reduce_add. A macro, defined only here and only after xsimd's own
// headers, renames RTNeural's calls: no new symbol goes into namespace xsimd.
#if XSIMD_VERSION_MAJOR < 9
#define reduce_add hadd
#endif
static_assert(RTNEURAL_DEFAULT_ALIGNMENT >= xsimd::default_arch::alignment(),
              "RTNEURAL_DEFAULT_ALIGNMENT must hold xsimd's default batch");
#else
#error "rtneural_backend.cpp: compile with GRURT_RTNEURAL_EIGEN=1 or GRURT_RTNEURAL_XSIMD=1"
#endif

#include <RTNeural/ModelT.h>  // includes Model.h and every layer

#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>
#include <tuple>

#include "rtneural_cells.hpp"

namespace grurt::bench::GRURT_RTNEURAL_BACKEND {
namespace {

namespace rtn = ::RTNEURAL_NAMESPACE;

// Zeroed floats, 64-byte aligned and padded to 16: ModelT's xsimd and Eigen
// forward() load its input with aligned, whole-batch loads.
class AlignedFloats {
 public:
  explicit AlignedFloats(std::size_t n) : size_((n + 15) / 16 * 16) {
    data_ = static_cast<float*>(std::aligned_alloc(64, size_ * sizeof(float)));
    if (data_ == nullptr) throw std::bad_alloc();
    std::memset(data_, 0, size_ * sizeof(float));
  }
  ~AlignedFloats() { std::free(data_); }
  AlignedFloats(const AlignedFloats&) = delete;
  AlignedFloats& operator=(const AlignedFloats&) = delete;
  float* data() const { return data_; }

 private:
  std::size_t size_;
  float* data_;
};

using Matrix = std::vector<std::vector<float>>;

// Keras's layout of CellWeights (PyTorch's), as RTNeural's setWVals, setUVals
// and setBVals take it.
struct KerasWeights {
  Matrix kernel;                 // [I][G*H]
  Matrix recurrent;              // [H][G*H]
  Matrix gru_bias;               // GRU: [2][3H], the input bias then the recurrent one (reset_after)
  std::vector<float> lstm_bias;  // LSTM: [4H], bias_w + bias_r
};

// Keras's GRU gates are z, r, h where PyTorch's are r, z, n: Keras gate g is
// PyTorch's gate kGruFromKeras[g]. The LSTM's are i, f, c (= g), o in both.
constexpr std::size_t kGruFromKeras[3] = {1, 0, 2};

KerasWeights keras_weights(const CellWeights& weights) {
  const std::size_t I = weights.input_size, H = weights.hidden_size, G = gate_count(weights.kind);
  const bool gru = weights.kind == CellKind::kGru;
  if (weights.w.size() != G * H * I || weights.r.size() != G * H * H || weights.bias_w.size() != G * H ||
      weights.bias_r.size() != G * H) {
    throw std::invalid_argument("RTNeural: the cell's weights do not have its sizes");
  }
  KerasWeights keras;
  keras.kernel.assign(I, std::vector<float>(G * H));
  keras.recurrent.assign(H, std::vector<float>(G * H));
  keras.gru_bias.assign(2, std::vector<float>(G * H));
  keras.lstm_bias.resize(G * H);
  for (std::size_t gate = 0; gate < G; ++gate) {
    const std::size_t from = gru ? kGruFromKeras[gate] : gate;
    for (std::size_t unit = 0; unit < H; ++unit) {
      const std::size_t column = gate * H + unit, row = from * H + unit;  // Keras column, PyTorch row
      for (std::size_t i = 0; i < I; ++i) keras.kernel[i][column] = weights.w[row * I + i];
      for (std::size_t j = 0; j < H; ++j) keras.recurrent[j][column] = weights.r[row * H + j];
      keras.gru_bias[0][column] = weights.bias_w[row];
      keras.gru_bias[1][column] = weights.bias_r[row];
      keras.lstm_bias[column] = weights.bias_w[row] + weights.bias_r[row];
    }
  }
  return keras;
}

// GRULayer / GRULayerT (setBVals [2][3H]) and LSTMLayer / LSTMLayerT (setBVals [4H]) given `weights`.
template <typename Layer>
void set_gru_weights(Layer& layer, const CellWeights& weights) {
  const KerasWeights keras = keras_weights(weights);
  layer.setWVals(keras.kernel);
  layer.setUVals(keras.recurrent);
  layer.setBVals(keras.gru_bias);
}
template <typename Layer>
void set_lstm_weights(Layer& layer, const CellWeights& weights) {
  const KerasWeights keras = keras_weights(weights);
  layer.setWVals(keras.kernel);
  layer.setUVals(keras.recurrent);
  layer.setBVals(keras.lstm_bias);
}
template <typename Layer>
void set_dense_weights(Layer& layer, const AmpWeights& weights) {
  layer.setWeights(Matrix{weights.dense_w});  // [out = 1][in = 64]
  layer.setBias(&weights.dense_b);
}

// Model<float>: the run-time sized layers behind a virtual call each.
class RunTimeModel final : public RtneuralCell {
 public:
  RunTimeModel(std::unique_ptr<rtn::Model<float>> model, std::size_t input_size)
      : model_(std::move(model)), x_(input_size), input_size_(input_size) {
    model_->reset();
  }
  const char* name() const override { return GRURT_RTNEURAL_NAME("run-time"); }
  void reset() override { model_->reset(); }
  void set_input(const float* x) override { std::memcpy(x_.data(), x, input_size_ * sizeof(float)); }
  void step() override { model_->forward(x_.data()); }
  const float* hidden() const override { return model_->getOutputs(); }

 private:
  std::unique_ptr<rtn::Model<float>> model_;
  AlignedFloats x_;
  std::size_t input_size_;
};

// ModelT<float, I, O, Layers...>: every size known to the compiler. On the
// heap: the large ones are megabytes, and ModelT (Eigen) points into itself.
template <typename ModelType>
class CompileTimeModel final : public RtneuralCell {
 public:
  CompileTimeModel() : model_(std::make_unique<ModelType>()), x_(ModelType::input_size) { model_->reset(); }
  ModelType& model() { return *model_; }
  const char* name() const override { return GRURT_RTNEURAL_NAME("compile-time"); }
  void reset() override { model_->reset(); }
  void set_input(const float* x) override { std::memcpy(x_.data(), x, ModelType::input_size * sizeof(float)); }
  void step() override { model_->forward(x_.data()); }
  const float* hidden() const override { return model_->getOutputs(); }

 private:
  std::unique_ptr<ModelType> model_;
  AlignedFloats x_;
};

// The compile-time sized cells: the sizes of standard_sizes() (random_cell.cpp),
// which rtneural_check.cpp checks these lists against.
template <int I, int H>
struct Size {
  static constexpr int input_size = I, hidden_size = H;
};
using GruSizes = std::tuple<Size<1, 8>, Size<1, 32>, Size<16, 64>, Size<64, 128>, Size<128, 256>, Size<256, 512>>;
using LstmSizes = std::tuple<Size<1, 8>, Size<1, 32>, Size<16, 64>, Size<64, 128>, Size<128, 256>>;

template <typename S>
using GruModelT =
    rtn::ModelT<float, S::input_size, S::hidden_size, rtn::GRULayerT<float, S::input_size, S::hidden_size>>;
template <typename S>
using LstmModelT =
    rtn::ModelT<float, S::input_size, S::hidden_size, rtn::LSTMLayerT<float, S::input_size, S::hidden_size>>;

// The compile-time sized cell of `weights` if its (I, H) is one of `Sizes`, else null.
template <bool kGru, typename... Sizes>
std::unique_ptr<RtneuralCell> compile_time_cell(const CellWeights& weights, std::tuple<Sizes...>*) {
  std::unique_ptr<RtneuralCell> found;
  auto try_size = [&](auto size) {
    using S = decltype(size);
    if (found || weights.input_size != S::input_size || weights.hidden_size != S::hidden_size) return;
    if constexpr (kGru) {
      auto cell = std::make_unique<CompileTimeModel<GruModelT<S>>>();
      set_gru_weights(cell->model().template get<0>(), weights);
      found = std::move(cell);
    } else {
      auto cell = std::make_unique<CompileTimeModel<LstmModelT<S>>>();
      set_lstm_weights(cell->model().template get<0>(), weights);
      found = std::move(cell);
    }
  };
  (try_size(Sizes{}), ...);
  if (found) found->reset();
  return found;
}

std::unique_ptr<RtneuralCell> run_time_cell(const CellWeights& weights) {
  const int I = static_cast<int>(weights.input_size), H = static_cast<int>(weights.hidden_size);
  auto model = std::make_unique<rtn::Model<float>>(I);
  if (weights.kind == CellKind::kGru) {
    auto layer = std::make_unique<rtn::GRULayer<float>>(I, H);
    set_gru_weights(*layer, weights);
    model->addLayer(layer.release());  // the model deletes its layers
  } else {
    auto layer = std::make_unique<rtn::LSTMLayer<float>>(I, H);
    set_lstm_weights(*layer, weights);
    model->addLayer(layer.release());
  }
  return std::make_unique<RunTimeModel>(std::move(model), weights.input_size);
}

constexpr std::uint32_t kAmpHidden = 64;

void check_amp_weights(const AmpWeights& weights) {
  const auto gru = [](const CellWeights& cell, std::uint32_t input_size) {
    return cell.kind == CellKind::kGru && cell.input_size == input_size && cell.hidden_size == kAmpHidden;
  };
  if (!gru(weights.first, 1) || !gru(weights.second, kAmpHidden) || weights.dense_w.size() != kAmpHidden) {
    throw std::invalid_argument("RTNeural amp model: expected GRU(1->64), GRU(64->64) and Dense(64->1) weights");
  }
}

using AmpModelT = rtn::ModelT<float, 1, 1, rtn::GRULayerT<float, 1, kAmpHidden>,
                              rtn::GRULayerT<float, kAmpHidden, kAmpHidden>, rtn::DenseT<float, kAmpHidden, 1>>;

}  // namespace

std::vector<std::unique_ptr<RtneuralCell>> make_cells(const CellWeights& weights) {
  std::vector<std::unique_ptr<RtneuralCell>> cells;
  cells.push_back(run_time_cell(weights));
  std::unique_ptr<RtneuralCell> fixed = weights.kind == CellKind::kGru
                                            ? compile_time_cell<true>(weights, static_cast<GruSizes*>(nullptr))
                                            : compile_time_cell<false>(weights, static_cast<LstmSizes*>(nullptr));
  if (fixed) cells.push_back(std::move(fixed));
  return cells;
}

std::vector<std::unique_ptr<RtneuralCell>> make_amp_models(const AmpWeights& weights) {
  check_amp_weights(weights);
  std::vector<std::unique_ptr<RtneuralCell>> models;

  auto model = std::make_unique<rtn::Model<float>>(1);
  auto first = std::make_unique<rtn::GRULayer<float>>(1, kAmpHidden);
  set_gru_weights(*first, weights.first);
  model->addLayer(first.release());
  auto second = std::make_unique<rtn::GRULayer<float>>(kAmpHidden, kAmpHidden);
  set_gru_weights(*second, weights.second);
  model->addLayer(second.release());
  auto dense = std::make_unique<rtn::Dense<float>>(kAmpHidden, 1);
  set_dense_weights(*dense, weights);
  model->addLayer(dense.release());
  models.push_back(std::make_unique<RunTimeModel>(std::move(model), 1));

  auto fixed = std::make_unique<CompileTimeModel<AmpModelT>>();
  set_gru_weights(fixed->model().get<0>(), weights.first);
  set_gru_weights(fixed->model().get<1>(), weights.second);
  set_dense_weights(fixed->model().get<2>(), weights);
  fixed->reset();
  models.push_back(std::move(fixed));
  return models;
}

}  // namespace grurt::bench::GRURT_RTNEURAL_BACKEND
