#!/usr/bin/env bash
# The conversion check and --expect through grurt-convert: correct models the
# old check refused now convert; real mismatches are refused with exit 1, a
# message naming the first differing step, and no output file.
# usage: test_check.sh BIN_DIR FIXTURES_DIR
set -uo pipefail
bin=$1 fixtures=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
checks=0 failures=0
fail() { echo "FAIL $*" >&2; failures=$((failures + 1)); }

refuse() {  # refuse WHY FILE EXPECTED_TEXT [options...]
  local why=$1 file=$2 text=$3; shift 3; checks=$((checks + 1))
  "$bin/grurt-convert" "$file" -o "$work/out.grurt" "$@" >"$work/stdout" 2>"$work/stderr"
  local rc=$?
  [ "$rc" -eq 1 ] || fail "$why: exit $rc, expected 1"
  grep -qF -- "$text" "$work/stderr" || fail "$why: stderr lacks '$text': $(cat "$work/stderr")"
  if [ -e "$work/out.grurt" ]; then fail "$why: an output file was written"; rm -f "$work/out.grurt"; fi
}

accept() {  # accept WHY FILE [options...]: converts, and the report says what a state_dict cannot show
  local why=$1 file=$2; shift 2; checks=$((checks + 1))
  if ! "$bin/grurt-convert" "$file" -o "$work/ok.grurt" "$@" >"$work/stdout" 2>"$work/stderr"; then
    fail "$why: should convert: $(cat "$work/stderr")"
  fi
  grep -qF "a state_dict does not record activations, skip connections or the order of calls" "$work/stdout" ||
    fail "$why: the report lacks the state_dict line"
  rm -f "$work/ok.grurt"
}

f=$fixtures
# Correct conversions the absolute, free-running 1e-5 check refused.
accept "outputs around 36" $f/gru_bighead_i2_h16_fc2.pt
accept "chaotic GRU, 2000 random steps" $f/gru_chaotic_i1_h32.pt --check-steps 2000
accept "chaotic GRU, 2000 audio steps" $f/gru_chaotic_i1_h32.pt --check-input $f/gru_chaotic_i1_h32.audio.csv
accept "--expect with PyTorch's outputs" $f/gru_nested_l3_i4_h7_fc3.pt \
  --expect $f/gru_nested_l3_i4_h7_fc3.input.csv $f/gru_nested_l3_i4_h7_fc3.expected.csv
grep -qF "expect   max |grurt - $f/gru_nested_l3_i4_h7_fc3.expected.csv|" "$work/stdout" || fail "--expect: no expect line"

# The check itself refuses when asked for more than float32 can give: the
# refusal path end to end (message, exit 1, nothing written).
refuse "--check-tolerance 1e-12" $f/gru_bighead_i2_h16_fc2.pt \
  "conversion check failed: the converted model differs from the source formulas at step 1, state of layer 0 'gru0', unit 0: expected" \
  --check-tolerance 1e-12
grep -qF "; nothing was written" "$work/stderr" || fail "--check-tolerance 1e-12: no 'nothing was written'"

# GRU -> ReLU -> Linear: the state_dict does not show the ReLU. The check
# passes (it checks the layers it was told of); --expect refuses; stating the
# ReLU converts it.
relu=$f/gru_relu_head_i3_h8_fc2
accept "hidden ReLU, the check alone cannot see it" $relu.pt
refuse "hidden ReLU" $relu.pt \
  "--expect: the converted model does not reproduce $relu.expected.csv at step 1, output 0: expected 0.0082262503, got" \
  --expect $relu.input.csv $relu.expected.csv
accept "stated ReLU" $relu.pt --activation-before-head relu --expect $relu.input.csv $relu.expected.csv
accept "stated ReLU, no --expect" $relu.pt --activation-before-head relu
grep -qF "assumed  activation relu between the recurrent layers and the head (from --activation-before-head)" \
  "$work/stdout" || fail "stated ReLU: the report does not say the activation came from the command line"
both=$f/gru_relu_head_sigmoid_i2_h5_fc3
accept "ReLU before and sigmoid after the head" $both.pt --activation-before-head relu --activation-after-head sigmoid \
  --expect $both.input.csv $both.expected.csv
refuse "sigmoid after the head not stated" $both.pt "--expect: the converted model does not reproduce" \
  --activation-before-head relu --expect $both.input.csv $both.expected.csv
refuse "wrong stated activation" $relu.pt "--expect: the converted model does not reproduce" \
  --activation-before-head tanh --expect $relu.input.csv $relu.expected.csv
refuse "wrong activation after head" $relu.pt "--expect: the converted model does not reproduce" \
  --activation-before-head relu --activation-after-head sigmoid --expect $relu.input.csv $relu.expected.csv

# A mapping file's mistakes: the check evaluates the slices as declared, so
# only --expect (PyTorch's outputs) can catch them.
case=chunked_l1_i1_h8
mapping=$f/mappings/$case.json
wrong() {  # wrong WHY SED_SCRIPT
  sed "$2" "$mapping" >"$work/wrong.json"
  cmp -s "$mapping" "$work/wrong.json" && fail "$1: the sed script changed nothing"
  refuse "mapping: $1" $f/$case.pt "--expect: the converted model does not reproduce $f/$case.expected.csv at step" \
    --mapping "$work/wrong.json" --expect $f/$case.input.csv $f/$case.expected.csv
}
accept "the right mapping" $f/$case.pt --mapping "$mapping" --expect $f/$case.input.csv $f/$case.expected.csv
wrong "gates r and z swapped" 's/input.weight", "rows": \[0, 8\]/SWAP/; s/input.weight", "rows": \[8, 16\]/input.weight", "rows": [0, 8]/; s/SWAP/input.weight", "rows": [8, 16]/'
wrong "z inverted" 's/"update": "z\*h + (1-z)\*n"/"update": "(1-z)*h + z*n"/'
wrong "reset before" 's/"reset": "after"/"reset": "before"/'
wrong "slice shifted by a row" 's/hidden.weight", "rows": \[16, 24\]/hidden.weight", "rows": [15, 23]/'
wrong "recurrent slice transposed" 's/hidden.weight", "rows": \[16, 24\]}/hidden.weight", "rows": [16, 24], "transpose": true}/'
wrong "n bias taken from the z rows" 's/hidden.bias", "rows": \[16, 24\]/hidden.bias", "rows": [8, 16]/'

# Inputs that do not fit are named precisely.
refuse "--check-input of the wrong width" $relu.pt "$relu.expected.csv: line 1:" --check-input $relu.expected.csv
printf '0.5,0.5,0.5\n1,nan,0\n' >"$work/nan.csv"
refuse "--check-input holding a NaN" $relu.pt "$work/nan.csv: line 2: nan is not a finite value" --check-input "$work/nan.csv"
refuse "--expect rows differ" $relu.pt "--expect: the inputs have 20 rows, the outputs 2000" \
  --expect $relu.input.csv <(sed 's/.*/0,0/' $f/gru_chaotic_i1_h32.audio.csv)
refuse "--activation-before-head without a head" $f/gru_bare_i1_h5.pt \
  "--activation-before-head: the model has no Linear head after its recurrent layers" --activation-before-head relu
refuse "unknown activation" $relu.pt "--activation-before-head 'gelu' is not one of identity, tanh, sigmoid, relu, softmax" --activation-before-head gelu

echo "$checks checks, $failures failures"
[ "$failures" -eq 0 ]
