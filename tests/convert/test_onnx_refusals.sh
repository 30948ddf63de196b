#!/usr/bin/env bash
# Every ONNX file grurt-convert must refuse: exit 1, a message naming the node
# and why, no output written (fixtures/onnx/make_onnx_fixtures.py writes them).
# usage: test_onnx_refusals.sh BIN_DIR ONNX_FIXTURES_DIR
set -uo pipefail
bin=$1 fixtures=$2
source "$(dirname "$0")/refusal_checks.sh"

r=refuse
refuse $r/bidirectional.onnx "ONNX node 'core' (GRU): is bidirectional: its backward direction reads the sequence from the end, which a stream fed one step at a time never has, so it cannot be streamed"
refuse $r/reverse.onnx "ONNX node 'core' (GRU): runs in reverse direction (from the last step back), which cannot be streamed"
refuse $r/hard_sigmoid_gates.onnx "ONNX node 'core' (GRU): has activations [HardSigmoid, Tanh]; supported: [Sigmoid, Tanh]"
refuse $r/clip.onnx "ONNX node 'core' (GRU): has 'clip' (cell clipping), which grurt does not implement"
refuse $r/unsupported_op.onnx "ONNX graph: unsupported ops: node 'cosine' (Cos); grurt-convert reads Add, Cast, Concat,"
refuse $r/lstm_input_forget.onnx "ONNX node 'core' (LSTM): has input_forget = 1 (coupled input and forget gates), which grurt does not implement"
refuse $r/external_data.onnx "ONNX initializer 'W': its data is in the external file 'external_data.weights', which grurt-convert does not read"
refuse $r/initial_state_batch.onnx "ONNX node 'core' (GRU): initial_h 'h0' has shape [1, 2, 3]: one initial state per batch item; grurt stores one per layer, so it must be [1, 1, 3]"
refuse $r/state_io.onnx "ONNX graph: has 2 inputs ('x', 'h_in'); grurt streams one input tensor (state tensors as graph inputs, fed back by the caller, are not supported yet)"
# ONNX's GRU node test vectors with a sequence_lens that is not the full length
# (fixtures/onnx/make_onnx_node_fixtures.py; a full-length one converts).
refuse $r/sequence_lens_partial.onnx "ONNX node 'core' (GRU): sequence_lens 'sequence_lens' holds 1, not the input's 2 steps; grurt streams one step at a time and cannot end a batch item early"
refuse $r/sequence_lens_dynamic.onnx "ONNX node 'core' (GRU): has sequence_lens 'sequence_lens' but the input's sequence axis has no fixed length"
refuse $r/add_without_matmul.onnx "ONNX node 'add_bias' (Add): an Add is read only as the bias right after a MatMul"
refuse $r/truncated.onnx "nor an ONNX model (--format pt|safetensors|onnx names the format)"
refuse $r/truncated.onnx "ONNX: not a readable ModelProto (the protobuf data is broken or truncated)" --format onnx
# An ONNX graph declares its architecture: options steering recognition do not apply.
refuse hand_gru_lbr0_i3_h4.onnx "this ONNX file declares its architecture, so --layout --prefix (which steer recognition from tensor names) do not apply" --layout gru --prefix enc.
refuse hand_gru_lbr0_i3_h4.onnx "this ONNX file declares its architecture, so --mapping --activation-before-head --activation-after-head --skip (which state what a state_dict does not record) do not apply" --mapping "$fixtures/make_onnx_fixtures.py" --activation-before-head tanh --activation-after-head relu --skip input
refuse hand_gru_lbr0_i3_h4.onnx "safetensors: header length" --format safetensors

echo "$checks checks, $failures failures"
[ "$failures" -eq 0 ]
