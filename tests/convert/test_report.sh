#!/usr/bin/env bash
# What grurt-convert tells the user: every registry layout and the check's
# options in --help, RNN layers in the report, nn.RNN's nonlinearity reported
# as assumed, not read, and the check's line and the state_dict note in every report.
# usage: test_report.sh BIN_DIR FIXTURES_DIR
set -uo pipefail
bin=$1 fixtures=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
checks=0 failures=0

contains() {  # contains WHAT FILE TEXT
  checks=$((checks + 1))
  grep -qF -- "$3" "$2" || { echo "FAIL $1: output lacks '$3':" >&2; cat "$2" >&2; failures=$((failures + 1)); }
}

"$bin/grurt-convert" --help >"$work/help" 2>&1
for line in "  gru            torch.nn.GRU:" "  grucell        torch.nn.GRUCell:" "  chunked-cell   " "  concat-cell    " \
    "  per-gate-cell  " "  rnn            torch.nn.RNN: {p}weight_ih_l{k} [H, I], weight_hh_l{k} [H, H]" \
    "  rnncell        torch.nn.RNNCell:" "--rnn-nonlinearity" "--check-input" "--check-tolerance FLOAT:POSITIVE=0.0001" \
    "--expect TEXT x 2" "--activation-before-head" "--activation-after-head"; do
  contains "--help" "$work/help" "$line"
done

"$bin/grurt-convert" "$fixtures/rnn_tanh_i3_h8_fc2.pt" -o "$work/a.grurt" >"$work/tanh" 2>&1
contains "rnn tanh" "$work/tanh" "layout   rnn under prefix 'encoder.rnn.', Linear head 'fc.'"
contains "rnn tanh" "$work/tanh" "assumed  nonlinearity tanh (PyTorch's default; a state_dict does not record nn.RNN's nonlinearity"
contains "rnn tanh" "$work/tanh" "layer 0  rnn 3 -> 8, h' = tanh(W x + bW + R h + bR)"
contains "rnn tanh" "$work/tanh" "      R  <- encoder.rnn.weight_hh_l0[0:8, 0:8]"
"$bin/grurt-convert" "$fixtures/rnn_relu_nobias_l2_i4_h6.pt" -o "$work/b.grurt" --rnn-nonlinearity relu >"$work/relu" 2>&1
contains "rnn relu" "$work/relu" "assumed  nonlinearity relu (from --rnn-nonlinearity;"
contains "rnn relu" "$work/relu" "layer 1  rnn 6 -> 6, h' = relu(W x + bW + R h + bR)"
contains "rnn relu" "$work/relu" "      bW <- zeros"
# Every report says what the check compared and what a state_dict cannot show.
for report in tanh relu; do
  contains "rnn $report" "$work/$report" "check    max |grurt - source formulas| / scale = "
  contains "rnn $report" "$work/$report" "over 64 random steps, each from the reference's state (tolerance 0.0001)"
  contains "rnn $report" "$work/$report" "note     a state_dict does not record activations, skip connections or the order of calls: the check proves the layers listed above, --expect IN.csv OUT.csv (your framework's outputs) proves the whole model"
done

echo "report: $checks checks, $failures failed"
[ "$failures" -eq 0 ]
