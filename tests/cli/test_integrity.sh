#!/usr/bin/env bash
# The integrity field as a user meets it: grurt-info's line for a file with a
# matching CRC-32C, for a 0.1.0 file without one, and for a damaged file (shown
# with a warning, exit 1); grurt-run refusing the damaged file.
# usage: test_integrity.sh BIN_DIR EXAMPLE_MODELS_DIR COMPAT_FIXTURES_DIR
set -uo pipefail
bin=$1 models=$2 compat=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

"$bin/grurt-convert" "$models/demo.pt" -o "$work/demo.grurt" --quiet || fail "grurt-convert demo.pt"
"$bin/grurt-info" "$work/demo.grurt" >"$work/info" 2>"$work/err" || fail "grurt-info demo: exit $?: $(cat "$work/err")"
line=$(grep '^integrity ' "$work/info")
stored=$(sed -n 's/^integrity     CRC-32C stored \(0x[0-9A-F]\{8\}\), computed \(0x[0-9A-F]\{8\}\): match$/\1/p' <<<"$line")
computed=$(sed -n 's/^integrity     CRC-32C stored \(0x[0-9A-F]\{8\}\), computed \(0x[0-9A-F]\{8\}\): match$/\2/p' <<<"$line")
[ -n "$stored" ] && [ "$stored" = "$computed" ] || fail "grurt-info demo: integrity line '$line'"
[ -s "$work/err" ] && fail "grurt-info demo: unexpected stderr: $(cat "$work/err")"

"$bin/grurt-info" "$compat/gru_f32.grurt" >"$work/info" 2>&1 || fail "grurt-info on a 0.1.0 file: exit $?"
grep -qx 'integrity     none (a file of grurt-convert 0.1.0): not checked' "$work/info" ||
  fail "grurt-info on a 0.1.0 file: $(cat "$work/info")"

# One bit of byte 3000, inside the GRU's recurrent weights (bytes ~700..4000 of this 5440-byte file).
cp "$work/demo.grurt" "$work/damaged.grurt"
byte=$(od -An -tu1 -j 3000 -N 1 "$work/demo.grurt" | tr -d ' ')
printf "\\$(printf '%03o' $((byte ^ 4)))" | dd of="$work/damaged.grurt" bs=1 seek=3000 conv=notrunc status=none
cmp -s "$work/demo.grurt" "$work/damaged.grurt" && fail "the damaged copy equals the original"
"$bin/grurt-info" "$work/damaged.grurt" >"$work/info" 2>"$work/err"
code=$?
[ "$code" -eq 1 ] || fail "grurt-info on a damaged file: exit $code, expected 1"
grep -qE "^integrity     CRC-32C stored $stored, computed 0x[0-9A-F]{8}: MISMATCH, the file is damaged and the runtime refuses it$" \
  "$work/info" || fail "grurt-info damaged: integrity line: $(cat "$work/info")"
grep -q "^integrity .*computed $stored" "$work/info" && fail "grurt-info damaged: computed equals stored"
grep -qx 'layers        2' "$work/info" || fail "grurt-info damaged: contents not shown: $(cat "$work/info")"
grep -qF "grurt-info: warning: $work/damaged.grurt: CRC-32C mismatch (stored $stored, computed 0x" "$work/err" ||
  fail "grurt-info damaged: warning: $(cat "$work/err")"
"$bin/grurt-run" "$work/damaged.grurt" --input "$models/demo_input.csv" >"$work/out" 2>"$work/err"
code=$?
[ "$code" -eq 1 ] || fail "grurt-run on a damaged file: exit $code, expected 1"
grep -qE "corrupt file: CRC-32C mismatch: the file stores $stored, its 5440 bytes give 0x[0-9A-F]{8}: it was damaged" \
  "$work/err" || fail "grurt-run damaged: $(cat "$work/err")"
[ -s "$work/out" ] && fail "grurt-run damaged: wrote outputs"

[ "$failures" -eq 0 ] && echo "integrity CLI checks hold"
[ "$failures" -eq 0 ]
