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
refuse $r/unsupported_op.onnx "ONNX graph: unsupported ops: Cos (node 'cosine'); grurt-convert reads Add, Cast, Concat,"
refuse $r/lstm_input_forget.onnx "ONNX node 'core' (LSTM): has input_forget = 1 (coupled input and forget gates), which grurt does not implement"
refuse $r/external_data.onnx "ONNX initializer 'W': its data is in the external file 'external_data.weights', which grurt-convert does not read"
refuse $r/initial_state_batch.onnx "ONNX node 'core' (GRU): initial_h 'h0' has shape [1, 2, 3]: one initial state per batch item; grurt stores one per layer, so it must be [1, 1, 3]"
# State tensors as graph inputs and outputs that grurt cannot keep as the session state.
refuse $r/state_swapped.onnx "ONNX state input 'h_in': element 0 starts layer 0 'gru0' h unit 0, but element 0 of output 'h_out' hands back layer 1 'gru1' h unit 0: fed back, the state would reach other units than it came from"
refuse $r/state_unread.onnx "ONNX state input 'h_in': element 6 of its 9 (shape [3, 1, 3]) starts no recurrent node's initial_h or initial_c"
refuse $r/state_other_use.onnx "ONNX node 'tanh_state' (Tanh): reads state input 'h_in'; grurt follows a state input only through Slice, Gather, Squeeze, Unsqueeze, Reshape, Transpose and Identity"
refuse $r/dead_branch.onnx "ONNX output 'y': is computed by 1 of the 2 layers the graph's nodes make; the others lie on a branch that does not reach it"
# ONNX's GRU node test vectors with a sequence_lens that is not the full length
# (fixtures/onnx/make_onnx_node_fixtures.py; a full-length one converts).
refuse $r/sequence_lens_partial.onnx "ONNX node 'core' (GRU): sequence_lens 'sequence_lens' holds 1, not the input's 2 steps; grurt streams one step at a time and cannot end a batch item early"
refuse $r/sequence_lens_dynamic.onnx "ONNX node 'core' (GRU): has sequence_lens 'sequence_lens' but the input's sequence axis has no fixed length"
refuse $r/add_without_matmul.onnx "ONNX node 'add_bias' (Add): an Add is read only as the bias right after a MatMul"
refuse $r/truncated.onnx "an ONNX model, a JSON model nor a Keras HDF5 file (--format pt|safetensors|onnx|json|keras|npz names the format)"
refuse $r/truncated.onnx "ONNX: not a readable ModelProto (the protobuf data is broken or truncated)" --format onnx
# An ONNX graph declares its architecture: options steering recognition do not apply.
refuse hand_gru_lbr0_i3_h4.onnx "this ONNX file declares its architecture, so --layout --prefix (which steer recognition from tensor names) do not apply" --layout gru --prefix enc.
refuse hand_gru_lbr0_i3_h4.onnx "this ONNX file declares its architecture, so --mapping --activation-before-head --activation-after-head --skip (which state what a state_dict does not record) do not apply" --mapping "$fixtures/make_onnx_fixtures.py" --activation-before-head tanh --activation-after-head relu --skip input
refuse hand_gru_lbr0_i3_h4.onnx "safetensors: header length" --format safetensors

echo "$checks checks, $failures failures"
[ "$failures" -eq 0 ]
