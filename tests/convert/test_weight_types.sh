#!/usr/bin/env bash
# grurt-convert --weights and --max-error: the f16 report, grurt-info's view of
# an f16 file, and every refusal (a weight f16 cannot hold, an error above
# --max-error, --max-error without a reduced type, a type it cannot write).
# usage: test_weight_types.sh BIN_DIR FIXTURES_DIR (tests/fixtures)
set -uo pipefail
bin=$1 fixtures=$2
source "$(dirname "$0")/refusal_checks.sh"

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

refuse f16/gru_beyond_f16.safetensors "--weights f16: layer 0 (gru): R row 3 column 1 is 70000: outside f16's range (|w| < 65520 rounds to a finite half); keep this model in f32 (--weights f32); nothing was written" --weights f16
refuse convert/gru_bare_i1_h5.pt "with f16 weights the outputs differ from the source formulas by up to" --weights f16 --max-error 1e-9
refuse convert/gru_bare_i1_h5.pt "more than --max-error 1e-09; nothing was written" --weights f16 --max-error 1e-9
refuse convert/gru_bare_i1_h5.pt "--max-error bounds the error of reduced weights: give it with --weights f16" --max-error 0.1

# A type it cannot write is a command-line error (exit 2), naming the ones it can.
checks=$((checks + 1))
"$bin/grurt-convert" "$fixtures/convert/gru_bare_i1_h5.pt" -o "$work/int8.grurt" --weights int8 2>"$work/stderr"
rc=$?
[ "$rc" -eq 2 ] || fail "--weights int8: exit $rc, expected 2"
grep -qF -- "--weights: int8 not in {f32,f16}" "$work/stderr" || fail "--weights int8: stderr: $(cat "$work/stderr")"
[ ! -e "$work/int8.grurt" ] || fail "--weights int8 wrote a file"

# The same file in f32 converts: only f16 cannot hold the weight.
checks=$((checks + 1))
"$bin/grurt-convert" "$fixtures/f16/gru_beyond_f16.safetensors" -o "$work/f32.grurt" -q || fail "the f32 conversion failed"

# Converted with f16 weights: the report line, then grurt-info's element type and bytes.
checks=$((checks + 1))
"$bin/grurt-convert" "$fixtures/convert/gru_bare_i1_h5.pt" -o "$work/f16.grurt" --weights f16 --max-error 0.01 \
  >"$work/report" 2>&1 || fail "--weights f16 failed: $(cat "$work/report")"
grep -qE "^f16      weights stored as f16: \|grurt - source formulas\| on the outputs, max [0-9.e-]+, mean [0-9.e-]+ over 64 random steps, each from the reference's state \(--max-error 0.01\)$" \
  "$work/report" || fail "the f16 report line: $(cat "$work/report")"
grep -q "^check    max |grurt - source formulas| / scale" "$work/report" || fail "the f32 proof is missing: $(cat "$work/report")"
"$bin/grurt-info" "$work/f16.grurt" >"$work/info"
# GRU(1 -> 5): W 15 + R 75 values as f16 (180 bytes), biases 30 as f32 (120 bytes).
grep -qE "^  0 +gru +1 +5 +reset after +120 +f16 +300 +" "$work/info" || fail "grurt-info layer line: $(cat "$work/info")"
grep -qF "parameters    120 (300 bytes of weights: 480 bytes as f32, 180 saved)" "$work/info" ||
  fail "grurt-info total: $(cat "$work/info")"

echo "weight types: $checks checks, $failures failed"
[ "$failures" -eq 0 ]
