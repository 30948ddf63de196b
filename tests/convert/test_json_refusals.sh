#!/usr/bin/env bash
# Every JSON model file grurt-convert must refuse: exit 1, a message naming the
# format, the place and why, no output written (fixtures/json/make_json_fixtures.py
# and import_public_models.py write them).
# usage: test_json_refusals.sh BIN_DIR JSON_FIXTURES_DIR
set -uo pipefail
bin=$1 fixtures=$2
source "$(dirname "$0")/refusal_checks.sh"

r=refuse
refuse $r/conv1d.json "RTNeural: layer 1 ('conv1d'): is a layer type grurt does not run; it reads dense, time-distributed-dense, gru, lstm and activation layers"
refuse $r/elu.json "RTNeural: layer 1 ('activation'): activation 'elu', which grurt does not run (it runs tanh, relu, sigmoid, softmax)"
refuse $r/public_rtneural_dense.json "RTNeural: layer 5 ('activation'): activation 'elu', which grurt does not run"
refuse $r/gru_relu.json "RTNeural: layer 0 ('gru'): activation \"relu\": RTNeural's recurrent layers always run tanh, so the file does not say what the trained layer computed"
refuse $r/gru_bias_3h.json "RTNeural: layer 0 ('gru'): layers[0].weights[2] (bias [2, 3*units]: input, then recurrent, as Keras's reset_after=True writes it) has shape [9], expected [2, 9]"
refuse $r/ragged.json "RTNeural: layers[0].weights[1][1]: has 5 elements where its siblings have 9 (the nesting is ragged)"
refuse $r/in_skip_2.json "AIDA-X: in_skip: is 2; AIDA-X reads 0 or 1"
refuse $r/in_skip_with_gain.json "AIDA-X: in_skip: is 1 with in_gain 0.0 dB and out_gain -3.0 dB: AIDA-X scales the skipped input too"
refuse $r/cam_unit_type.json "CoreAudioML: model_data: unit_type 'GRU', but the state_dict holds LSTM layers"
refuse $r/cam_skip.json "CoreAudioML: model_data: skip 2 with 1 outputs; grurt adds input j to output j for every output, so skip must equal output_size"
refuse $r/neither.json "JSON: key 'name' holds string, not a tensor: the file is neither RTNeural/AIDA-X JSON ({in_shape, layers}), CoreAudioML JSON ({model_data, state_dict}) nor a state_dict of nested lists"
refuse $r/truncated.json "JSON: not valid JSON: [json.exception.parse_error.101] parse error at line 1, column 201"
# A file that declares its architecture takes no options that state or steer it.
refuse rtneural_gru_l2_i2_h5_dense3_softmax.json "this RTNeural JSON file declares its architecture, so --skip (which state what a state_dict does not record) do not apply" --skip input
refuse public_neuralseed_gru4_ts9.json "this CoreAudioML JSON file declares its architecture, so --layout (which steer recognition from tensor names) do not apply" --layout gru
refuse rtneural_gru_l2_i2_h5_dense3_softmax.json "ONNX: not a readable ModelProto" --format onnx
refuse ../onnx/hand_gru_lbr0_i3_h4.onnx "JSON: not valid JSON" --format json

echo "$checks checks, $failures failures"
[ "$failures" -eq 0 ]
