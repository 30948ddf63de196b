#!/usr/bin/env bash
# A grurt-run built without libsndfile: audio files, in or out, are refused with
# the reason; CSV streams as ever (against PyTorch's outputs).
# usage: test_without_audio.sh BIN_DIR GRURT_RUN AUDIO_FIXTURES_DIR EXAMPLE_MODELS_DIR
set -uo pipefail
bin=$1 run=$2 audio=$3 models=$4
source "$(dirname "$0")/checks.sh"

demo=$work/demo.grurt
"$bin/grurt-convert" "$models/demo.pt" -o "$demo" -q || fail "convert demo.pt"
expect_error "audio in" 1 \
  "'$audio/sine_float.wav': this grurt-run was built without libsndfile: audio files are not supported; use CSV" \
  "$run" "$demo" -i "$audio/sine_float.wav"
expect_error "audio out" 1 "'$work/x.wav': this grurt-run was built without libsndfile" \
  "$run" "$demo" -i "$audio/sine_float.values.csv" -o "$work/x.wav" --rate 8000
checks=$((checks + 1))
[ ! -e "$work/x.wav" ] || fail "audio out: a file was created"
expect_ok "CSV" "$run" "$demo" -i "$audio/sine_float.values.csv" -o "$work/rows.csv"
checks=$((checks + 1))
"$(dirname "$0")/../convert/compare_csv.sh" "$work/rows.csv" "$audio/sine_float.expected.csv" 1e-5 >/dev/null ||
  fail "CSV: outputs differ from PyTorch's"

echo "without audio: $checks checks, $failures failed"
[ "$failures" -eq 0 ]
