#!/usr/bin/env bash
# Every file grurt-convert must refuse: exit 1, a specific message, no output written.
# usage: test_refusals.sh BIN_DIR FIXTURES_DIR
set -uo pipefail
bin=$1 fixtures=$2
source "$(dirname "$0")/refusal_checks.sh"

r=refuse
refuse $r/evil_global.pt "data.pkl: byte 2: global 'os.system' is not allowed"
refuse $r/whole_module.pt "this looks like a whole pickled model (torch.save(model)): re-save the weights with torch.save(model.state_dict(), path)"
refuse $r/legacy.pt "legacy torch.save file (pre-1.6 format or _use_new_zipfile_serialization=False)"
refuse $r/torchscript.pt "TorchScript archive (torch.jit.save), not a state_dict"
refuse $r/truncated.pt "truncated.pt: not a readable zip archive"
refuse $r/missing_tensor.pt "missing_tensor.pt: tensor 'encoder.rnn.weight_hh_l0' is missing; expected [3*H, H] = [9, 3]"
refuse $r/wrong_shape.pt "tensor 'encoder.rnn.weight_hh_l0' has shape [9, 4], expected [3*H, H] = [9, 3]"
# Recurrent modules are chained in declaration order; a safetensors file keeps none.
c=chain_called_pre_i1_h8_core_l2_h8_fc2
refuse $c.pt "the recurrent modules do not chain in declaration order: 'pre.' (gru, 1 -> 8) takes 1 inputs, but 'core.' (gru, 2 layers, 8 -> 8) before it gives 8 (its output width: the hidden size, or an LSTM's projection size)"
refuse $c.safetensors "ambiguous: several recurrent modules found:"
refuse $c.safetensors "does not record the order they were declared in (a .safetensors file lists its tensors sorted by name)"
refuse $c.pt "--chain: no recurrent module 'nope.' in the file" --chain nope
refuse $c.pt "the recurrent modules do not chain in the order --chain gives" --chain core,pre
refuse $r/two_heads.pt "several tensors could be the Linear head"
refuse $r/unused_tensor.pt "does not use these tensors:"
refuse $r/unused_tensor.pt "embedding.weight [10, 2] F32"
refuse $r/hostile_stride.pt "tensor 'weight_hh_l0': offset, sizes and strides reach past the end of a storage of 27 elements"
refuse $r/storage_too_short.pt "storage '0' should hold 1000 elements but its entry has only 108 bytes"
refuse $r/offset_outside.pt "storage offset 27 is outside its storage"
refuse $r/nan_weight.pt "tensor 'encoder.rnn.weight_hh_l0' holds nan at [4, 1]: weights must be finite (did training diverge?)"
refuse $r/inf_bias.safetensors "tensor 'fc.bias' holds inf at [0]: weights must be finite"
refuse $r/zip_bomb.pt "archive entries inflate to more than 4194304 bytes (16 times the file, at least 4194304) by entry 'archive/data/0': not a torch.save file (a zip bomb?)"
refuse $r/view_bomb.pt "tensor 'view8': the tensors view their storages' 4096 bytes as more than 8192 elements"
refuse $r/bad_header.safetensors "safetensors: header length 4096 but only 61 bytes follow"
refuse gru_bare_i1_h5.pt "--head-input tanh applies to the concat cell only (layout 'gru')" --head-input tanh
refuse $r/two_grus.pt "does not use these tensors:" --prefix enc.
refuse gru_bare_i1_h5.pt "no known layout 'concat-cell' found" --layout concat-cell
refuse gru_bare_i1_h5.pt "no known layout 'lstm' found" --layout lstm
refuse gru_bare_i1_h5.pt "mapping: not valid JSON" --mapping "$fixtures/gru_bare_i1_h5.input.csv"
refuse gru_bare_i1_h5.input.csv "unknown file format"
printf '%s' '{"input_size": 3, "layers": [{"type": "lstm", "hidden_size": 4, "gates": ["i", "f", "g"], "W": "weight_ih_l0", "R": "weight_hh_l0"}]}' >"$work/bad_gates.json"
# A typo'd mapping key ("bw" for "bW") would have given zero biases: refused, naming the nearest key.
sed 's/"bW"/"bw"/' "$fixtures/mappings/rnn_tanh_i3_h8_fc2.json" >"$work/typo.json"
refuse rnn_tanh_i3_h8_fc2.pt 'typo.json: mapping: unknown key "bw" in layer 0 (rnn); did you mean "bW"?' --mapping "$work/typo.json"
refuse $r/lstm_bidirectional.pt "'lstm.' is a bidirectional nn.LSTM; streaming runs forward only, so it cannot be converted"
refuse $r/rnn_bad_weight_hh.pt "tensor 'rnn.weight_hh_l0' has shape [5, 4], expected [H, H] = [5, 5]"
# An lstm mapping with the gate blocks named in the wrong order converts as written (the check
# evaluates a mapping as written) but --expect, PyTorch's outputs, refuses it.
m=lstm_proj_i2_h8_p3_fc2
sed 's/"gates": \["i", "f", "c", "o"\]/"gates": ["i", "c", "f", "o"]/' "$fixtures/mappings/$m.json" >"$work/swapped.json"
refuse $m.pt "--expect: the converted model does not reproduce" --mapping "$work/swapped.json" \
  --expect "$fixtures/$m.input.csv" "$fixtures/$m.expected.csv"
refuse $r/lstm.pt 'mapping: layer 0 (lstm): "gates" must name i, f, g (or c) and o once each' --mapping "$work/bad_gates.json"
refuse gru_bare_i1_h5.pt "--rnn-nonlinearity applies to nn.RNN and nn.RNNCell layouts only (layout 'gru')" --rnn-nonlinearity relu
refuse gru_bare_i1_h5.pt "unknown layout 'lstm2'; known: gru, grucell, chunked-cell, concat-cell, per-gate-cell, rnn, rnncell, lstm, lstmcell" --layout lstm2
refuse missing-file.pt "cannot open '$fixtures/missing-file.pt'"

# What was refused above converts once the user says what is meant.
accept() {  # accept FILE [options...]
  local file=$1; shift; checks=$((checks + 1))
  "$bin/grurt-convert" "$fixtures/$file" -o "$work/accepted.grurt" --quiet "$@" ||
    { echo "FAIL $file $*: should convert" >&2; failures=$((failures + 1)); }
}
accept $r/two_grus.pt --prefix enc. --allow-unused
accept $r/two_grus.pt  # enc. (2 -> 3) then dec. (3 -> 3): chained in declaration order
accept $r/two_heads.pt --head fc --allow-unused
accept $r/unused_tensor.pt --allow-unused
accept $r/lstm.pt       # refused before the LSTM layer existed: nn.LSTM(3, 4)
accept $r/lstm_cell.pt  # nn.LSTMCell(2, 3) under 'cell.'


echo "refusals: $checks checks, $failures failed"
[ "$failures" -eq 0 ]
