// Serialisation of a CanonicalModel with the schema's generated builder.
#include "grurt_convert/model_writer.hpp"

#include <cstring>
#include <stdexcept>

#include "canonical_layers/canonical_layers.hpp"
#include "grurt/crc32c.hpp"
#include "grurt/grurt_generated.h"
#include "grurt_convert/half_precision.hpp"
#include "grurt_convert/int8_quantization.hpp"
#include "grurt_convert/panel_rows.hpp"

namespace grurt::convert {
namespace {

constexpr std::size_t kWeightAlignment = 64;

struct TensorWriter {
  flatbuffers::FlatBufferBuilder& builder;
  ElementType matrix_type;  // of weight matrices; vectors are f32

  // A vector is stored as [n x 1]; an empty one is left out (zeros). `blocks`
  // is how many separately padded row blocks a packed tensor has.
  flatbuffers::Offset<fb::Tensor> add(const std::vector<float>& values, std::uint32_t rows, std::uint32_t cols,
                                      std::uint32_t blocks, bool matrix) const {
    if (values.empty()) return 0;
    const bool packed = values.size() == std::size_t{rows} * cols && rows % blocks == 0;
    // An array whose length disagrees with its shape stays f32, for the loader to refuse.
    if (matrix && packed && matrix_type == ElementType::kI8) {
      const QuantizedMatrix q = pack_panel16x4(quantize_rows(values, rows, cols), rows, cols, blocks);
      return tensor(q.packed.data(), q.packed.size(), rows, cols, blocks, fb::ElementType::I8,
                    fb::WeightLayout::Panel16x4, builder.CreateVector(q.row_scales));
    }
    const std::vector<float> stored = packed ? pack_panel16(values, rows, cols, blocks) : values;
    if (matrix && matrix_type == ElementType::kF16) {
      std::vector<std::uint16_t> halves(stored.size());
      for (std::size_t i = 0; i < stored.size(); ++i) halves[i] = float_to_half(stored[i]);
      return tensor(halves.data(), halves.size() * sizeof(std::uint16_t), rows, cols, blocks, fb::ElementType::F16);
    }
    return tensor(stored.data(), stored.size() * sizeof(float), rows, cols, blocks, fb::ElementType::F32);
  }

  flatbuffers::Offset<fb::Tensor> tensor(const void* values, std::size_t bytes, std::uint32_t rows, std::uint32_t cols,
                                         std::uint32_t blocks, fb::ElementType type,
                                         fb::WeightLayout layout = fb::WeightLayout::Panel16,
                                         flatbuffers::Offset<flatbuffers::Vector<float>> row_scales = 0) const {
    // The data vector starts 64-byte aligned relative to the buffer's end, and
    // Finish() pads the buffer to a multiple of 64, so it is aligned from the start too.
    builder.ForceVectorAlignment(bytes, 1, kWeightAlignment);
    const auto data = builder.CreateVector(static_cast<const std::uint8_t*>(values), bytes);
    return fb::CreateTensor(builder, rows, cols, type, layout, data, row_scales, blocks);
  }
};

flatbuffers::Offset<fb::Layer> add_layer(flatbuffers::FlatBufferBuilder& builder, const LayerSpec& spec,
                                         const TensorWriter& tensors) {
  const auto name = spec.name.empty() ? 0 : builder.CreateString(spec.name);
  return std::visit(
      [&](const auto& layer) {
        const canonical_layers::Shape shape = canonical_layers::shape(layer);
        canonical_layers::Tensors written;
        for (const canonical_layers::Array& array : shape.arrays) {
          written.push_back(tensors.add(*array.values, static_cast<std::uint32_t>(array.rows),
                                        static_cast<std::uint32_t>(array.cols), array.blocks, array.matrix));
        }
        return canonical_layers::write(layer, builder, written, name);
      },
      spec.layer);
}

flatbuffers::Offset<fb::IntegerRows> add_integer_rows(flatbuffers::FlatBufferBuilder& builder,
                                                      const IntegerRowsSpec& rows) {
  if (rows.bias.empty()) return 0;
  return fb::CreateIntegerRowsDirect(builder, &rows.bias, &rows.multiplier, &rows.shift);
}

flatbuffers::Offset<fb::IntegerPlan> add_integer_plan(flatbuffers::FlatBufferBuilder& builder,
                                                      const IntegerPlanSpec& plan) {
  std::vector<flatbuffers::Offset<fb::IntegerLayer>> layers;
  for (const IntegerLayerSpec& layer : plan.layers) {
    // One statement each: as two arguments their order would be the
    // compiler's (GCC and Clang differ), and so would the file's bytes.
    const auto input = add_integer_rows(builder, layer.input);
    const auto recurrent = add_integer_rows(builder, layer.recurrent);
    layers.push_back(fb::CreateIntegerLayer(builder, input, recurrent));
  }
  return fb::CreateIntegerPlanDirect(builder, plan.input_scale, plan.output_scale, &layers);
}

// Writes the CRC-32C of `bytes` (whose checksum field holds 0) into that field,
// the rule schema/grurt.fbs gives for Model.crc32c.
void store_checksum(std::vector<std::uint8_t>& bytes) {
  const fb::Model* root = fb::GetModel(bytes.data());
  // Generated tables derive privately from flatbuffers::Table, which finds a field's bytes.
  const auto* field = reinterpret_cast<const flatbuffers::Table*>(root)->GetAddressOf(fb::Model::VT_CRC32C);
  if (field == nullptr || flatbuffers::ReadScalar<std::uint32_t>(field) != 0) {
    throw std::logic_error("the model writer left no zeroed checksum field");
  }
  const std::uint32_t crc = crc32c(bytes.data(), bytes.size());
  flatbuffers::WriteScalar(bytes.data() + (field - bytes.data()), crc);
}

}  // namespace

std::vector<float> pack_panel16(const std::vector<float>& row_major, std::uint32_t rows, std::uint32_t cols,
                                std::uint32_t blocks) {
  const PanelRows layout(rows, blocks);
  std::vector<float> packed(layout.stored() * cols, 0.0f);
  for (std::uint32_t i = 0; i < rows; ++i) {
    const std::uint64_t stored = layout.stored_row(i);
    float* panel = packed.data() + stored / kPanelRows * cols * kPanelRows;
    const float* row = row_major.data() + std::size_t{i} * cols;
    for (std::uint32_t k = 0; k < cols; ++k) panel[std::size_t{k} * kPanelRows + stored % kPanelRows] = row[k];
  }
  return packed;
}

std::vector<std::uint8_t> serialize_model(const CanonicalModel& model) {
  flatbuffers::FlatBufferBuilder builder(1024);
  const TensorWriter tensors{builder, model.weight_type};
  std::vector<flatbuffers::Offset<fb::Layer>> layers;
  layers.reserve(model.layers.size());
  for (const LayerSpec& spec : model.layers) layers.push_back(add_layer(builder, spec, tensors));
  const auto layer_vector = builder.CreateVector(layers);
  const auto metadata = fb::CreateMetadataDirect(builder, model.metadata.producer.c_str(),
                                                 model.metadata.source.c_str(),
                                                 model.metadata.description.c_str());
  // No Skip table without a skip: such files stay byte for byte what they were.
  flatbuffers::Offset<fb::Skip> skip = 0;
  if (model.skip) {
    skip = fb::CreateSkip(builder,
                          model.skip->from_input ? fb::SkipSource::ModelInput : fb::SkipSource::LayerOutput,
                          model.skip->layer, model.skip->first_channel);
  }
  flatbuffers::Offset<fb::IntegerPlan> integer = 0;
  if (model.integer) integer = add_integer_plan(builder, *model.integer);
  // The checksum is written as 0, then replaced by the CRC-32C of the finished buffer.
  const auto root = fb::CreateModel(builder, kFormatVersion, model.input_size, model.output_size(),
                                    layer_vector, metadata, skip, integer, 0u);
  builder.Finish(root, fb::ModelIdentifier());
  std::vector<std::uint8_t> bytes(builder.GetBufferPointer(), builder.GetBufferPointer() + builder.GetSize());
  store_checksum(bytes);
  return bytes;
}

std::vector<std::uint8_t> write_model(const CanonicalModel& model) {
  const std::string problems = find_inconsistencies(model);
  if (!problems.empty()) throw std::invalid_argument("inconsistent model:\n" + problems);
  return serialize_model(model);
}

namespace canonical_layers {

fb::Activation to_fb(Activation activation) {
  switch (activation) {
    case Activation::kIdentity: return fb::Activation::Identity;
    case Activation::kTanh: return fb::Activation::Tanh;
    case Activation::kSigmoid: return fb::Activation::Sigmoid;
    case Activation::kRelu: return fb::Activation::Relu;
    case Activation::kSoftmax: return fb::Activation::Softmax;
  }
  throw std::invalid_argument("unknown activation");
}

}  // namespace canonical_layers
}  // namespace grurt::convert
