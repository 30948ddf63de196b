#!/usr/bin/env bash
# grurt-info's layer details: a GRU's variant activations (and only a
# variant's: the relu-candidate and hard_sigmoid fixtures converted through
# their mapping files, and a default GRU), an LSTM's cell size, projection,
# missing biases and hard_sigmoid gates (Keras 2 and 3), and a stored initial
# state (ONNX initial_h, initial_c).
# usage: test_info_layer_details.sh BIN_DIR FIXTURES_DIR
set -euo pipefail
bin=$1 fixtures=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

# info CASE PATTERN [MAPPING]: converts CASE and expects its layer 0 line to match PATTERN.
info() {
  local case=$1 pattern=$2 mapping=${3:-} source=$fixtures/$1.pt
  [ -f "$source" ] || source=$fixtures/../onnx/$case.onnx
  [ -f "$source" ] || source=$fixtures/../keras/$case.h5
  [ -f "$source" ] || source=$fixtures/../keras/$case.keras
  "$bin/grurt-convert" "$source" -o "$work/$case.grurt" --quiet ${mapping:+--mapping "$mapping"}
  local line
  line=$("$bin/grurt-info" "$work/$case.grurt" | grep -E '^  0 ' || true)
  if ! grep -qE -- "$pattern" <<<"$line"; then
    echo "FAIL: $case: layer 0 is '$line', expected /$pattern/"
    failed=1
  fi
}

info rnnoise_relu_i3_h8_fc2 'gru .* reset before, n relu  ' "$fixtures/mappings/rnnoise_relu_i3_h8_fc2.json"
info hardsig_keras2_i2_h6_fc1 'reset after, gates clip\(0\.2x\+0\.5\)' "$fixtures/mappings/hardsig_keras2_i2_h6_fc1.json"
info hardsig_keras3_l2_i3_h5 'reset before, gates clip\(0\.166667x\+0\.5\)' "$fixtures/mappings/hardsig_keras3_l2_i3_h5.json"
info gru_bare_i1_h5 'gru .* reset after  '
info lstm_proj_i2_h8_p3_fc2 'lstm +2 +3  cell 8, projected  '
info lstm_l3_i2_h11_nobias 'lstm +2 +11  cell 11, no bias  '
info keras2_lstm_hard_sigmoid_i3_h5_dense2 'lstm +3 +5  cell 5, gates clip\(0\.2x\+0\.5\)  '
info keras3_lstm_hard_sigmoid_i2_h6 'lstm +2 +6  cell 6, gates clip\(0\.166667x\+0\.5\)  '
info keras_functional_lstm_i2_h6_rnn_relu4_dense1_tanh 'lstm +2 +6  cell 6  '
info hand_gru_initial_h_i2_h5 'gru .* reset before, initial state stored  '
info hand_lstm_initial_hc_peephole_i3_h4 'lstm +3 +4  cell 4, peephole, initial state stored  '
exit $failed
