#include "integer/integer_plan.hpp"

#include <new>

#include "grurt/model.hpp"
#include "integer/fixed_point.hpp"

namespace grurt {
namespace integer {
namespace {

constexpr std::uint64_t kLargestSum = (std::uint64_t{1} << 31) - 1;

std::uint32_t padded_rows(std::uint32_t rows) { return static_cast<std::uint32_t>(round_up_to_panel(rows)); }

ErrorText& about(ErrorText& error, Status status, std::uint32_t index, const char* what) {
  return error.fail(status) << "layer " << index << ", " << what << ": ";
}

// Every stored row's multiplier and shift in range, and
// sum_k |q(i, k)| * 32767 + |bias(i)| <= 2^31 - 1: no int16 input can overflow its sum.
Status check_rows(const Product& p, std::uint32_t stored_rows, std::uint32_t index, const char* name,
                  ErrorText& error) noexcept {
  for (std::uint32_t row = 0; row < stored_rows; ++row) {
    const std::int64_t m = p.multiplier[row];
    if (m < kMinMultiplier || m > kMaxMultiplier || p.shift[row] > kMaxShift) {
      return about(error, Status::kInvalidModel, index, name)
             << "integer row " << row << " has multiplier " << m << " and shift " << std::uint32_t{p.shift[row]}
             << "; expected a multiplier in 2^30..2^31-1 and a shift in 0.." << kMaxShift;
    }
    std::uint64_t bound = static_cast<std::uint64_t>(p.bias[row] < 0 ? -std::int64_t{p.bias[row]} : p.bias[row]);
    const std::int8_t* w =
        p.weights + (row / kPanelRows) * p.columns * kPanelRows + (row % kPanelRows) * kInt8GroupColumns;
    for (std::uint32_t k = 0; k < p.columns; k += kInt8GroupColumns, w += kPanelRows * kInt8GroupColumns) {
      for (std::uint32_t c = 0; c < kInt8GroupColumns; ++c) bound += static_cast<std::uint64_t>(w[c] < 0 ? -w[c] : w[c]) * kMaxInt16;
    }
    if (bound > kLargestSum) {
      return about(error, Status::kInvalidModel, index, name)
             << "row " << row << " can sum to " << bound << " for int16 inputs, beyond int32 (" << kLargestSum
             << "): its weights or bias are too large for the integer path";
    }
  }
  return Status::kOk;
}

// An I8 Panel16x4 tensor of `rows` rows in `blocks` blocks and `cols` columns,
// and its IntegerRows, one entry per stored row.
Status read_product(const fb::Tensor* tensor, const fb::IntegerRows* rows_table, std::uint32_t index,
                    const char* name, std::uint32_t rows, std::uint32_t blocks, std::uint32_t cols, bool check,
                    Product* p, ErrorText& error) noexcept {
  if (tensor == nullptr || tensor->data() == nullptr) {
    return about(error, Status::kMissingTensor, index, name) << "absent";
  }
  if (tensor->element_type() != fb::ElementType::I8 || tensor->layout() != fb::WeightLayout::Panel16x4) {
    return about(error, Status::kUnsupportedTensor, index, name)
           << "element type " << static_cast<std::uint32_t>(tensor->element_type()) << ", layout "
           << static_cast<std::uint32_t>(tensor->layout())
           << "; the integer path reads i8 (2) in Panel16x4 (2): convert with --activations int16";
  }
  const std::uint32_t stored_rows = blocks * padded_rows(rows / blocks);
  const std::uint32_t columns = int8_padded_columns(cols);
  if (tensor->rows() != rows || tensor->cols() != cols || tensor->row_blocks() != blocks ||
      tensor->data()->size() != std::uint64_t{stored_rows} * columns) {
    return about(error, Status::kShapeMismatch, index, name)
           << tensor->rows() << " x " << tensor->cols() << " in " << tensor->row_blocks() << " blocks, "
           << tensor->data()->size() << " bytes; expected " << rows << " x " << cols << " in " << blocks
           << " blocks, " << std::uint64_t{stored_rows} * columns << " bytes";
  }
  if (rows_table == nullptr || rows_table->bias() == nullptr || rows_table->multiplier() == nullptr ||
      rows_table->shift() == nullptr) {
    return about(error, Status::kMissingTensor, index, name) << "its integer rows (bias, multiplier, shift) are absent";
  }
  if (rows_table->bias()->size() != stored_rows || rows_table->multiplier()->size() != stored_rows ||
      rows_table->shift()->size() != stored_rows) {
    return about(error, Status::kShapeMismatch, index, name)
           << "integer rows hold " << rows_table->bias()->size() << " biases, " << rows_table->multiplier()->size()
           << " multipliers, " << rows_table->shift()->size() << " shifts; expected " << stored_rows << " of each";
  }
  p->weights = reinterpret_cast<const std::int8_t*>(tensor->data()->data());
  p->columns = columns;
  p->bias = rows_table->bias()->data();
  p->multiplier = rows_table->multiplier()->data();
  p->shift = rows_table->shift()->data();
  return check ? check_rows(*p, stored_rows, index, name, error) : Status::kOk;
}

// Output and input sizes in 1..kMaxDimension, the inputs the width the layer before gives.
Status check_sizes(const char* name, std::uint32_t outputs, std::uint32_t inputs, std::uint32_t width,
                   std::uint32_t index, ErrorText& error) noexcept {
  for (const std::uint32_t size : {outputs, inputs}) {
    if (size == 0 || size > kMaxDimension) {
      return about(error, Status::kInvalidModel, index, name)
             << outputs << " outputs, " << inputs << " inputs; expected 1.." << kMaxDimension << " of each";
    }
  }
  if (inputs != width) {
    return about(error, Status::kDimensionMismatch, index, name)
           << "takes " << inputs << " inputs; the layer before outputs " << width;
  }
  return Status::kOk;
}

// A GRU's or LSTM's sizes and its two products, `gates` blocks of H rows each.
Status read_recurrent(LayerKind kind, const char* name, std::uint32_t h, std::uint32_t inputs, const fb::Tensor* w,
                      const fb::Tensor* r, const fb::IntegerLayer& rows, std::uint32_t index, std::uint32_t width,
                      bool check, LayerPlan* plan, ErrorText& error) noexcept {
  if (check) {
    const Status status = check_sizes(name, h, inputs, width, index, error);
    if (status != Status::kOk) return status;
  }
  plan->kind = kind;
  plan->output_size = h;
  plan->padded_output = padded_rows(h);
  const std::uint32_t gates = plan->gates();
  const Status status = read_product(w, rows.input(), index, "W", gates * h, gates, inputs, check, &plan->input, error);
  if (status != Status::kOk) return status;
  return read_product(r, rows.recurrent(), index, "R", gates * h, gates, h, check, &plan->recurrent, error);
}

Status read_gru(const fb::GruLayer& gru, const fb::IntegerLayer& rows, std::uint32_t index, std::uint32_t width,
                bool check, LayerPlan* plan, ErrorText& error) noexcept {
  if (check && (!gru.reset_after() || gru.candidate_activation() != fb::Activation::Tanh ||
                gru.gate_activation() != fb::GateActivation::Sigmoid || gru.initial_state() != nullptr)) {
    return about(error, Status::kUnsupportedLayer, index, "gru")
           << "the integer path runs GRUs with sigmoid gates, a tanh candidate, the reset after R h "
              "(PyTorch's) and no stored initial state";
  }
  return read_recurrent(LayerKind::kGru, "gru", gru.hidden_size(), gru.input_size(), gru.w(), gru.r(), rows, index,
                        width, check, plan, error);
}

Status read_lstm(const fb::LstmLayer& lstm, const fb::IntegerLayer& rows, std::uint32_t index, std::uint32_t width,
                 bool check, LayerPlan* plan, ErrorText& error) noexcept {
  if (check && (lstm.gate_activation() != fb::GateActivation::Sigmoid || lstm.peephole() != nullptr ||
                lstm.projection_size() != 0 || lstm.projection() != nullptr || lstm.initial_state() != nullptr)) {
    return about(error, Status::kUnsupportedLayer, index, "lstm")
           << "the integer path runs LSTMs with sigmoid gates, without peepholes, a projection or a stored "
              "initial state";
  }
  return read_recurrent(LayerKind::kLstm, "lstm", lstm.hidden_size(), lstm.input_size(), lstm.w(), lstm.r(), rows,
                        index, width, check, plan, error);
}

Status read_dense(const fb::DenseLayer& dense, const fb::IntegerLayer& rows, std::uint32_t index,
                  std::uint32_t width, bool check, LayerPlan* plan, ErrorText& error) noexcept {
  const std::uint32_t o = dense.output_size();
  if (check) {
    if (dense.activation() == fb::Activation::Softmax || dense.activation() > fb::Activation::Relu) {
      return about(error, Status::kUnsupportedLayer, index, "dense")
             << "activation " << static_cast<std::uint32_t>(dense.activation())
             << "; the integer path runs identity, tanh, sigmoid and relu";
    }
    const Status status = check_sizes("dense", o, dense.input_size(), width, index, error);
    if (status != Status::kOk) return status;
  }
  plan->kind = LayerKind::kDense;
  plan->activation = static_cast<DenseActivation>(dense.activation());
  plan->output_size = o;
  plan->padded_output = padded_rows(o);
  return read_product(dense.weight(), rows.input(), index, "weight", o, 1, dense.input_size(), check, &plan->input,
                      error);
}

struct Cursor {
  unsigned char* base;
  std::size_t offset = 0;
  void* take(std::size_t bytes) {
    void* at = base != nullptr ? base + offset : nullptr;
    offset += (bytes + kModelAlignment - 1) / kModelAlignment * kModelAlignment;
    return at;
  }
};

}  // namespace

Status read_layer_plan(const fb::Model& root, std::uint32_t index, std::uint32_t input_width, bool check,
                       LayerPlan* plan, ErrorText& error) noexcept {
  const fb::Layer* layer = root.layers()->Get(index);
  const fb::IntegerLayer* rows = root.integer()->layers()->Get(index);
  if (layer == nullptr || rows == nullptr) {
    return about(error, Status::kInvalidModel, index, "layer") << "the layer or its integer rows are empty";
  }
  if (const fb::GruLayer* gru = layer->kind_as_GruLayer()) {
    return read_gru(*gru, *rows, index, input_width, check, plan, error);
  }
  if (const fb::LstmLayer* lstm = layer->kind_as_LstmLayer()) {
    return read_lstm(*lstm, *rows, index, input_width, check, plan, error);
  }
  if (const fb::DenseLayer* dense = layer->kind_as_DenseLayer()) {
    return read_dense(*dense, *rows, index, input_width, check, plan, error);
  }
  return about(error, Status::kUnsupportedLayer, index, "kind")
         << static_cast<std::uint32_t>(layer->kind_type())
         << " (1 gru, 2 dense, 3 activation, 4 rnn, 5 lstm); the integer path runs gru, lstm and dense layers";
}

std::size_t lay_out_arena(const fb::Model& root, unsigned char* base, ArenaParts* parts) noexcept {
  const std::uint32_t count = root.layers()->size();
  Cursor arena{base};
  auto* plans = static_cast<LayerPlan*>(arena.take(std::size_t{count} * sizeof(LayerPlan)));
  auto* input = static_cast<std::int16_t*>(arena.take(int8_padded_columns(root.input_size()) * sizeof(std::int16_t)));
  std::size_t scratch_values = 0;
  ErrorText unused;  // load() checked every layer: reading them again cannot fail
  for (std::uint32_t i = 0; i < count; ++i) {
    LayerPlan plan;
    read_layer_plan(root, i, 0, false, &plan, unused);
    plan.values = static_cast<std::int16_t*>(arena.take(plan.padded_output * sizeof(std::int16_t)));
    if (plan.kind == LayerKind::kLstm) {
      plan.cell = static_cast<std::int16_t*>(arena.take(plan.padded_output * sizeof(std::int16_t)));
    }
    // W x and R h of every gate block (Dense: W x only).
    const std::size_t products = plan.recurrent_kind() ? 2 : 1;
    const std::size_t needs = products * plan.gates() * plan.padded_output;
    scratch_values = needs > scratch_values ? needs : scratch_values;
    if (plans != nullptr) new (&plans[i]) LayerPlan(plan);
  }
  auto* scratch = static_cast<std::int32_t*>(arena.take(scratch_values * sizeof(std::int32_t)));
  if (parts != nullptr) *parts = ArenaParts{plans, input, scratch};
  return arena.offset;
}

}  // namespace integer
}  // namespace grurt
