// What each kind of source layer (the alternatives of SourceLayer::layer) does
// wherever the converter handles layers: its canonical spec, the tensors it
// reads, its widths, the double-precision evaluation of its slices as
// declared, its lines in the report and its mapping-file entry. One file per
// kind in this folder; the generic code reaches them through std::visit, so a
// new kind is an alternative in SourceLayer, a block here, its file, and a
// line in mapping_file.cpp's list of layer types.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "../layouts/reference_math.hpp"
#include "grurt_convert/canonical_model.hpp"
#include "grurt_convert/source_model.hpp"
#include "mapping_fields.hpp"

namespace grurt::convert::source_layers {

using CanonicalLayer = decltype(LayerSpec::layer);
using SourceVariant = decltype(SourceLayer::layer);
using layouts::Linear;
using layouts::Vec;

// gru.cpp
CanonicalLayer canonical(const SourceGru& gru, const TensorMap& tensors);
void add_used_tensors(const SourceGru& gru, std::set<std::string>& names);
std::uint32_t input_width(const SourceGru& gru);
std::uint32_t output_width(const SourceGru& gru);
std::uint32_t state_width(const SourceGru& gru);
Vec evaluate(const SourceGru& gru, const Linear& linear, const Vec& x, Vec& state);
std::string describe(const SourceGru& gru);
SourceVariant read_gru(const Json& layer, const TensorMap& tensors, std::uint32_t input, const std::string& where);

// rnn.cpp
CanonicalLayer canonical(const SourceRnn& rnn, const TensorMap& tensors);
void add_used_tensors(const SourceRnn& rnn, std::set<std::string>& names);
std::uint32_t input_width(const SourceRnn& rnn);
std::uint32_t output_width(const SourceRnn& rnn);
std::uint32_t state_width(const SourceRnn& rnn);
Vec evaluate(const SourceRnn& rnn, const Linear& linear, const Vec& x, Vec& state);
std::string describe(const SourceRnn& rnn);
SourceVariant read_rnn(const Json& layer, const TensorMap& tensors, std::uint32_t input, const std::string& where);

// lstm.cpp
CanonicalLayer canonical(const SourceLstm& lstm, const TensorMap& tensors);
void add_used_tensors(const SourceLstm& lstm, std::set<std::string>& names);
std::uint32_t input_width(const SourceLstm& lstm);
std::uint32_t output_width(const SourceLstm& lstm);
std::uint32_t state_width(const SourceLstm& lstm);
Vec evaluate(const SourceLstm& lstm, const Linear& linear, const Vec& x, Vec& state);
std::string describe(const SourceLstm& lstm);
SourceVariant read_lstm(const Json& layer, const TensorMap& tensors, std::uint32_t input, const std::string& where);

// dense.cpp
CanonicalLayer canonical(const SourceDense& dense, const TensorMap& tensors);
void add_used_tensors(const SourceDense& dense, std::set<std::string>& names);
std::uint32_t input_width(const SourceDense& dense);
std::uint32_t output_width(const SourceDense& dense);
std::uint32_t state_width(const SourceDense& dense);
Vec evaluate(const SourceDense& dense, const Linear& linear, const Vec& x, Vec& state);
std::string describe(const SourceDense& dense);
SourceVariant read_dense(const Json& layer, const TensorMap& tensors, std::uint32_t input, const std::string& where);

// activation.cpp
CanonicalLayer canonical(const ActivationSpec& activation, const TensorMap& tensors);
void add_used_tensors(const ActivationSpec& activation, std::set<std::string>& names);
std::uint32_t input_width(const ActivationSpec& activation);
std::uint32_t output_width(const ActivationSpec& activation);
std::uint32_t state_width(const ActivationSpec& activation);
Vec evaluate(const ActivationSpec& activation, const Linear& linear, const Vec& x, Vec& state);
std::string describe(const ActivationSpec& activation);
SourceVariant read_activation(const Json& layer, const TensorMap& tensors, std::uint32_t input, const std::string& where);

// slice_values.cpp: appends the slice's values row by row as used (a
// transposed slice read down its stored columns), each times `sign`; refuses
// a NaN or infinity, naming the tensor and the position.
void append_slice(const TensorSlice& slice, const TensorMap& tensors, float sign, std::vector<float>& out);

// The optional slice's tensor, if any.
void add_tensor(const std::optional<TensorSlice>& slice, std::set<std::string>& names);

// weight x (+ bias), from the slices as declared.
Vec affine(const Linear& linear, const TensorSlice& weight, const std::optional<TensorSlice>& bias, const Vec& x);

}  // namespace grurt::convert::source_layers
