// What each kind of canonical layer (the alternatives of LayerSpec::layer)
// tells the writer and the consistency checks: its sizes, its weight arrays
// with the shapes they must have, and how its FlatBuffers table is built. One
// file per kind in this folder (gru.cpp, rnn.cpp, lstm.cpp, dense.cpp, activation.cpp);
// model_writer.cpp, model_checks.cpp and canonical_model.cpp reach them
// through std::visit, so a new kind is its file and a block here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "grurt/grurt_generated.h"
#include "grurt_convert/canonical_model.hpp"

namespace grurt::convert::canonical_layers {

// One weight array of a layer: a [rows x cols] matrix or a [rows x 1] vector.
struct Array {
  const char* name;                  // "W", "bias", ... as messages name it
  const std::vector<float>* values;  // row-major
  std::uint64_t rows;
  std::uint64_t cols;
  const char* formula;               // rows * cols in the layer's terms, e.g. "3*H*I"
  bool optional;                     // may be empty (zeros)
  std::uint32_t blocks;              // row blocks packed separately (GRU gates: 3)
  bool matrix = false;               // a weight matrix: stored in the model's weight type (f32, f16 or i8)
};

struct Shape {
  const char* kind;  // "gru", as the runtime names it
  std::uint32_t input = 0;
  std::uint32_t output = 0;
  std::vector<Array> arrays;  // in the order write() receives their offsets
  std::string problem;        // anything else wrong with the layer, or ""
};

using Tensors = std::vector<flatbuffers::Offset<fb::Tensor>>;
using Name = flatbuffers::Offset<flatbuffers::String>;

fb::Activation to_fb(Activation activation);

// gate_activation.cpp: a GRU's or LSTM's gate activation, checked by the
// rules the runtime applies when it loads the layer ("" when fine), and the
// values to write: FlatBuffers leaves out fields equal to their defaults, so
// a sigmoid layer is written byte for byte as before the fields existed; the
// slope and offset are only meaningful (and only written) with hard_sigmoid.
std::string gate_problem(GateActivation gates, float slope, float offset);
struct StoredGates {
  fb::GateActivation activation;
  float slope;
  float offset;
};
StoredGates stored_gates(GateActivation gates, float slope, float offset);

// gru.cpp
Shape shape(const GruSpec& gru);
flatbuffers::Offset<fb::Layer> write(const GruSpec& gru, flatbuffers::FlatBufferBuilder& builder,
                                     const Tensors& tensors, Name name);
// rnn.cpp
Shape shape(const RnnSpec& rnn);
flatbuffers::Offset<fb::Layer> write(const RnnSpec& rnn, flatbuffers::FlatBufferBuilder& builder,
                                     const Tensors& tensors, Name name);
// lstm.cpp
Shape shape(const LstmSpec& lstm);
flatbuffers::Offset<fb::Layer> write(const LstmSpec& lstm, flatbuffers::FlatBufferBuilder& builder,
                                     const Tensors& tensors, Name name);
// dense.cpp
Shape shape(const DenseSpec& dense);
flatbuffers::Offset<fb::Layer> write(const DenseSpec& dense, flatbuffers::FlatBufferBuilder& builder,
                                     const Tensors& tensors, Name name);
// activation.cpp
Shape shape(const ActivationSpec& activation);
flatbuffers::Offset<fb::Layer> write(const ActivationSpec& activation, flatbuffers::FlatBufferBuilder& builder,
                                     const Tensors& tensors, Name name);

}  // namespace grurt::convert::canonical_layers
