#!/usr/bin/env bash
# Every Keras file grurt-convert must refuse: exit 1, a message naming the
# layer (or HDF5 path) and why, no output written (fixtures/keras/make_keras_fixtures.py).
# usage: test_keras_refusals.sh BIN_DIR KERAS_FIXTURES_DIR
set -uo pipefail
bin=$1 fixtures=$2
source "$(dirname "$0")/refusal_checks.sh"

r=refuse
refuse $r/bidirectional.h5 "Keras HDF5: layer 'bidirectional' (Bidirectional): runs a layer backwards over the sequence too, which a stream fed one step at a time never has"
refuse $r/go_backwards.h5 "Keras HDF5: layer 'gru' (GRU): has go_backwards true: it reads the sequence from the end, which a stream never has"
refuse $r/masking.h5 "Keras HDF5: layer 'masking' (Masking): skips masked steps, which grurt's streaming does not do"
refuse $r/conv1d.h5 "Keras HDF5: layer 'conv1d' (Conv1D): is a layer grurt does not read; it reads InputLayer, GRU, LSTM, SimpleRNN, Dense, TimeDistributed(Dense), Activation and Dropout"
refuse $r/return_sequences_false_then_gru.h5 "Keras HDF5: layer 'gru_2' (GRU): follows layer 'gru' (GRU), which has return_sequences false and gives one output per sequence, so this layer would run over a sequence of one step"
refuse $r/lstm_softsign_gates.h5 "Keras HDF5: layer 'lstm' (LSTM): recurrent_activation 'softsign'; grurt's LSTM gates run sigmoid or hard_sigmoid"
# Published files written by TensorFlow's Keras (import_public_models.py).
refuse $r/public_keras1_lstm.h5 "Keras HDF5: layer 'lstm_1' (LSTM): is in Keras 1's layout ('output_dim'); grurt reads models saved by Keras 2 and 3"
refuse $r/gru_bias_shape.h5 "Keras HDF5: layer 'gru' (GRU): bias [2, 3*units] (reset_after true) '/model_weights/gru/gru/gru_cell/bias:0' has shape [9], expected [2, 9]"
refuse $r/weights_only.h5 "Keras HDF5: the file has no 'model_config' attribute: it holds weights only (save_weights), and grurt needs the model too"
refuse $r/truncated.h5 "Keras HDF5: HDF5: the file cannot be opened (not an HDF5 file, or broken or truncated)"
refuse keras2_gru_reset_after_i2_h5_dense3_softmax.h5 "declares its architecture, so --layout (which steer recognition from tensor names) do not apply" --layout gru
refuse ../onnx/hand_gru_lbr0_i3_h4.onnx "Keras HDF5: HDF5: the file cannot be opened" --format keras
# Keras 3's .keras zip.
refuse $r/keras3_npz_weights.keras "Keras .keras: the weights are in model.weights.npz (pickled dicts), which grurt does not read; save with Keras's default .h5 weights"

echo "$checks checks, $failures failures"
[ "$failures" -eq 0 ]
