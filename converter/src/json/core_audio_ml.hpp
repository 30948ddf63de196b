// CoreAudioML / Automated-GuitarAmpModelling JSON, the format GuitarML's
// amp models are shared in: {"model_data": {"model": "SimpleRNN", "unit_type",
// "input_size", "hidden_size", "num_layers", "output_size", "skip", ...},
// "state_dict": {"rec.weight_ih_l0": [[...]], ..., "lin.weight": ..., "lin.bias": ...}}.
// SimpleRNN runs y = lin(rec(x)) + x[0:skip]: the state_dict's layout is
// recognised as for a .pt file, then checked against model_data, which also
// gives the skip a state_dict cannot record.
#pragma once

#include "grurt_convert/source_file.hpp"
#include "json_tensors.hpp"

namespace grurt::convert::core_audio_ml {

bool recognise(const json_tensors::Json& root);

SourceFile read(const json_tensors::Json& root);

}  // namespace grurt::convert::core_audio_ml
