#!/usr/bin/env bash
# grurt-run with audio files: WAV, FLAC and AIFF in and out against PyTorch's
# outputs for the exact samples the files hold (fixtures/audio/make_audio_fixtures.py),
# outputs read back by audio_to_csv (the tests' own libsndfile reader), channels,
# gains, PCM clipping, the real-time line, progress only on a terminal, and every
# refusal (a grurt-run built without libsndfile: test_without_audio.sh).
# usage: test_audio.sh BIN_DIR AUDIO_FIXTURES_DIR EXAMPLE_MODELS_DIR
set -uo pipefail
bin=$1 audio=$2 models=$3
source "$(dirname "$0")/checks.sh"
# read_back NAME FILE HEADER: audio_to_csv FILE into FILE.csv, whose header (a '#'
# line, which compare_csv.sh skips) must be HEADER.
read_back() {
  checks=$((checks + 1))
  "$bin/audio_to_csv" "$2" >"$2.csv" 2>"$work/err" || { fail "$1: audio_to_csv: $(cat "$work/err")"; return; }
  [ "$(head -n 1 "$2.csv")" = "# $3" ] || fail "$1: header '$(head -n 1 "$2.csv")', expected '# $3'"
}
# clip EXPECTED TOP: the expected values as PCM holds them, clipped to [-1, TOP]
# (TOP: the format's largest sample, (2^(bits-1) - 1) / 2^(bits-1)).
clip() { awk -F, -v top="$2" '{ v = $1 > top ? top : $1 < -1 ? -1 : $1; print v }' "$1"; }
# The real-time line, the last on stderr: "<duration> of <rate> audio in <time>: <N>x real time (<t> per <what>)".
rtf_line() {
  checks=$((checks + 1))
  tail -n 1 "$work/err" | grep -Eq "^$2 of $3 audio in [0-9.]+ (s|ms|µs|ns): [0-9.]+x real time \([0-9.]+ (s|ms|µs|ns) per $4\)$" ||
    fail "$1: no real-time line '$2 of $3 audio ... per $4' as the last line of stderr: $(cat "$work/err")"
}

demo=$work/demo.grurt
two=$work/two_in.grurt
"$bin/grurt-convert" "$models/demo.pt" -o "$demo" -q || fail "convert demo.pt"
"$bin/grurt-convert" "$audio/two_in.pt" -o "$two" -q || fail "convert two_in.pt"

# The fixtures as libsndfile reads them: 16-bit k as k / 32768 (what the expected
# outputs were computed from), float as stored.
for wav in sine_pcm16 sine_float; do
  checks=$((checks + 1))
  "$bin/audio_to_csv" "$audio/$wav.wav" | tail -n +2 | cmp -s - "$audio/$wav.values.csv" ||
    fail "$wav.wav: libsndfile's samples differ from $wav.values.csv"
done

# Audio in, CSV out: one row per frame, PyTorch's outputs to 1e-5; the last line
# on stderr is the real-time line (1500 samples at 48 kHz: 31.2 ms; 800 at 44.1 kHz: 18.1 ms).
expect_ok "16-bit WAV to CSV" "$bin/grurt-run" "$demo" -i "$audio/sine_pcm16.wav" -o "$work/pcm16.csv"
close_to "16-bit WAV to CSV" "$work/pcm16.csv" "$audio/sine_pcm16.expected.csv" 1e-5
rtf_line "16-bit WAV to CSV" "31.2 ms" "48 kHz" sample
expect_ok "float WAV to CSV" "$bin/grurt-run" "$demo" -i "$audio/sine_float.wav" -o "$work/float.csv"
close_to "float WAV to CSV" "$work/float.csv" "$audio/sine_float.expected.csv" 1e-5
rtf_line "float WAV to CSV" "18.1 ms" "44.1 kHz" sample
checks=$((checks + 1))
[ "$(grep -c . "$work/err")" -eq 1 ] || fail "float WAV to CSV: stderr should be the real-time line alone: $(cat "$work/err")"
checks=$((checks + 1))
grep -q $'\r' "$work/err" && fail "float WAV to CSV: a progress bar on stderr that is not a terminal"
# Standard output too.
expect_ok "float WAV to stdout" "$bin/grurt-run" "$demo" -i "$audio/sine_float.wav"
checks=$((checks + 1))
cmp -s "$work/out" "$work/float.csv" || fail "float WAV to stdout differs from the file output"

# Blocks of frames through Session::run() against CSV rows one step at a time:
# the same bytes, the same final state, from zero and from a saved state.
expect_ok "float values as CSV" "$bin/grurt-run" "$demo" -i "$audio/sine_float.values.csv" -o "$work/rows.csv" \
  --final-state "$work/rows.state"
expect_ok "float WAV, --final-state" "$bin/grurt-run" "$demo" -i "$audio/sine_float.wav" -o "$work/blocks.csv" \
  --final-state "$work/blocks.state"
checks=$((checks + 1))
cmp -s "$work/rows.csv" "$work/blocks.csv" && cmp -s "$work/rows.state" "$work/blocks.state" ||
  fail "audio in blocks differs from the same samples as CSV rows (outputs or final state)"
# Across blocks (4096 frames each): the demo WAV's 48000 samples, as read by audio_to_csv.
"$bin/audio_to_csv" "$models/demo_input.wav" >"$work/demo_samples.csv"
expect_ok "48000 samples as CSV" "$bin/grurt-run" "$demo" -i "$work/demo_samples.csv" -o "$work/rows48k.csv" \
  --final-state "$work/rows48k.state"
expect_ok "48000 samples as WAV" "$bin/grurt-run" "$demo" -i "$models/demo_input.wav" -o "$work/blocks48k.csv" \
  --final-state "$work/blocks48k.state"
checks=$((checks + 1))
[ "$(wc -l <"$work/blocks48k.csv")" -eq 48000 ] && cmp -s "$work/rows48k.csv" "$work/blocks48k.csv" &&
  cmp -s "$work/rows48k.state" "$work/blocks48k.state" ||
  fail "48000 samples in blocks differ from the same samples as CSV rows (outputs or final state)"
expect_ok "CSV from a state" "$bin/grurt-run" "$demo" -i "$audio/sine_pcm16.values.csv" -o "$work/rows2.csv" \
  --initial-state "$work/rows.state"
expect_ok "WAV from a state" "$bin/grurt-run" "$demo" -i "$audio/sine_pcm16.wav" -o "$work/blocks2.csv" \
  --initial-state "$work/rows.state"
checks=$((checks + 1))
cmp -s "$work/rows2.csv" "$work/blocks2.csv" || fail "--initial-state: audio differs from the same samples as CSV"
checks=$((checks + 1))
cmp -s "$work/blocks2.csv" "$work/pcm16.csv" && fail "--initial-state with audio: the state was not used"
# The integer path steps frame by frame: the same bytes as from CSV rows.
expect_ok "int16 conversion" "$bin/grurt-convert" "$models/demo.pt" -o "$work/demo_int16.grurt" --activations int16 \
  --calibrate "$audio/sine_float.values.csv" -q
expect_ok "--integer CSV" "$bin/grurt-run" "$work/demo_int16.grurt" --integer -i "$audio/sine_float.values.csv" -o "$work/int_rows.csv"
expect_ok "--integer WAV" "$bin/grurt-run" "$work/demo_int16.grurt" --integer -i "$audio/sine_float.wav" -o "$work/int_wav.csv"
checks=$((checks + 1))
cmp -s "$work/int_rows.csv" "$work/int_wav.csv" || fail "--integer: audio differs from the same samples as CSV"
close_to "--integer WAV against PyTorch (int16 error)" "$work/int_wav.csv" "$audio/sine_float.expected.csv" 2e-2

# Audio out: WAV and AIFF in float by default, FLAC in 24-bit PCM; read back
# independently: container, sample format, channels, rate and frames, then samples.
expect_ok "WAV to WAV" "$bin/grurt-run" "$demo" -i "$audio/sine_float.wav" -o "$work/out.wav"
rtf_line "WAV to WAV" "18.1 ms" "44.1 kHz" sample
read_back "WAV to WAV" "$work/out.wav" "WAV FLOAT 1 channels 44100 Hz 800 frames"
close_to "WAV to WAV" "$work/out.wav.csv" "$audio/sine_float.expected.csv" 1e-5
expect_ok "WAV to FLAC" "$bin/grurt-run" "$demo" -i "$audio/sine_pcm16.wav" -o "$work/out.flac"
checks=$((checks + 1))
grep -q "^grurt-run: [1-9][0-9]* samples beyond full scale clipped in '$work/out.flac' (24-bit PCM)$" "$work/err" ||
  fail "WAV to FLAC: clipping not reported: $(cat "$work/err")"
read_back "WAV to FLAC" "$work/out.flac" "FLAC PCM_24 1 channels 48000 Hz 1500 frames"
# 24-bit rounding adds at most 2^-24 = 6e-8; the outputs beyond full scale are clipped.
clip "$audio/sine_pcm16.expected.csv" 0.99999988 >"$work/clipped24.csv"
close_to "WAV to FLAC" "$work/out.flac.csv" "$work/clipped24.csv" 1.1e-5
expect_ok "WAV to AIFF" "$bin/grurt-run" "$demo" -i "$audio/sine_float.wav" -o "$work/out.aiff"
read_back "WAV to AIFF" "$work/out.aiff" "AIFF FLOAT 1 channels 44100 Hz 800 frames"
close_to "WAV to AIFF" "$work/out.aiff.csv" "$audio/sine_float.expected.csv" 1e-5
# 16-bit rounding adds at most 2^-16 = 1.5e-5.
expect_ok "WAV to 16-bit AIFF" "$bin/grurt-run" "$demo" -i "$audio/sine_float.wav" -o "$work/out16.aif" --format pcm16
read_back "WAV to 16-bit AIFF" "$work/out16.aif" "AIFF PCM_16 1 channels 44100 Hz 800 frames"
clip "$audio/sine_float.expected.csv" 0.999969482 >"$work/clipped16.csv"
close_to "WAV to 16-bit AIFF" "$work/out16.aif.csv" "$work/clipped16.csv" 1.6e-5
# FLAC and AIFF back in.
expect_ok "FLAC in" "$bin/grurt-run" "$demo" -i "$work/out.flac" -o "$work/flac_in.csv"
rtf_line "FLAC in" "31.2 ms" "48 kHz" sample
expect_error "FLAC in (one channel for two inputs)" 1 "has 1 channel, but '$two' takes 2 inputs per step" \
  "$bin/grurt-run" "$two" -i "$work/out.flac"
expect_ok "AIFF in" "$bin/grurt-run" "$demo" -i "$work/out.aiff" -o "$work/aiff_in.csv"
rtf_line "AIFF in" "18.1 ms" "44.1 kHz" sample

# Channels: a stereo file into a model with two inputs, two outputs to two channels.
expect_ok "stereo to CSV" "$bin/grurt-run" "$two" -i "$audio/stereo_float.wav" -o "$work/stereo.csv"
close_to "stereo to CSV" "$work/stereo.csv" "$audio/stereo_float.expected.csv" 1e-5
rtf_line "stereo to CSV" "22.7 ms" "22.05 kHz" "frame of 2 samples"
expect_ok "stereo to WAV" "$bin/grurt-run" "$two" -i "$audio/stereo_float.wav" -o "$work/stereo.wav"
read_back "stereo to WAV" "$work/stereo.wav" "WAV FLOAT 2 channels 22050 Hz 500 frames"
close_to "stereo to WAV" "$work/stereo.wav.csv" "$audio/stereo_float.expected.csv" 1e-5
expect_error "stereo into one input" 1 "'$audio/stereo_float.wav' has 2 channels, but '$demo' takes 1 input per step" \
  "$bin/grurt-run" "$demo" -i "$audio/stereo_float.wav" -o "$work/never.wav"
checks=$((checks + 1))
[ ! -e "$work/never.wav" ] || fail "a refused channel count created the output"

# Gains: PyTorch on x * 10^(6/20), outputs times 10^(-3/20); for CSV input as for audio.
expect_ok "gains, WAV" "$bin/grurt-run" "$demo" -i "$audio/sine_float.wav" -o "$work/gains.csv" --gain-in 6 --gain-out -3
close_to "gains, WAV" "$work/gains.csv" "$audio/sine_float.gains.expected.csv" 1e-5
expect_ok "gains, CSV" "$bin/grurt-run" "$demo" -i "$audio/sine_float.values.csv" -o "$work/gains_rows.csv" \
  --gain-in 6 --gain-out -3
close_to "gains, CSV" "$work/gains_rows.csv" "$audio/sine_float.gains.expected.csv" 1e-5
checks=$((checks + 1))
[ ! -s "$work/err" ] || fail "CSV without --rate printed on stderr: $(cat "$work/err")"
expect_error "a gain out of range" 1 "gains are in -120..120 dB" "$bin/grurt-run" "$demo" -i "$audio/sine_float.wav" --gain-in 200

# CSV in, audio out: needs --rate; with it, the real-time line for CSV too.
expect_error "CSV to WAV without --rate" 1 "writing audio to '$work/rate.wav' needs a sample rate: CSV input has none; give it with --rate HZ" \
  "$bin/grurt-run" "$demo" -i "$audio/sine_float.values.csv" -o "$work/rate.wav"
expect_ok "CSV to WAV with --rate" "$bin/grurt-run" "$demo" -i "$audio/sine_float.values.csv" -o "$work/rate.wav" --rate 8000
rtf_line "CSV to WAV with --rate" "0.1 s" "8 kHz" sample
read_back "CSV to WAV with --rate" "$work/rate.wav" "WAV FLOAT 1 channels 8000 Hz 800 frames"
close_to "CSV to WAV with --rate" "$work/rate.wav.csv" "$audio/sine_float.expected.csv" 1e-5
expect_ok "CSV to CSV with --rate" "$bin/grurt-run" "$demo" -i "$audio/sine_float.values.csv" --rate 48000
checks=$((checks + 1))
cmp -s "$work/out" "$work/rows.csv" || fail "--rate changed the CSV output"
rtf_line "CSV to CSV with --rate" "16.7 ms" "48 kHz" sample

# PCM clipping: outputs times 10 (+20 dB) beyond full scale are clipped and counted.
expect_ok "clipping" "$bin/grurt-run" "$demo" -i "$audio/sine_float.wav" -o "$work/loud.wav" --gain-out 20 --format pcm16
beyond=$(awk '{ v = $1 * 10; if (v > 1 || v < -1) n++ } END { print n + 0 }' "$audio/sine_float.expected.csv")
checks=$((checks + 1))
[ "$beyond" -gt 0 ] || fail "clipping: the fixture has no output beyond full scale at +20 dB"
checks=$((checks + 1))
grep -qF "grurt-run: $beyond samples beyond full scale clipped in '$work/loud.wav' (16-bit PCM)" "$work/err" ||
  fail "clipping: expected $beyond samples reported clipped: $(cat "$work/err")"
read_back "clipping" "$work/loud.wav" "WAV PCM_16 1 channels 44100 Hz 800 frames"
checks=$((checks + 1))
paste -d, <(grep -v '^#' "$work/loud.wav.csv") "$audio/sine_float.expected.csv" | awk -F, '
  { v = $2 * 10; want = v > 1 ? 32767 / 32768 : v < -1 ? -1 : v; d = $1 - want; if (d < 0) d = -d; if (d > 2e-4) bad++ }
  END { exit (bad > 0) }' || fail "clipping: samples are not the outputs clipped to full scale"
# A float file keeps values beyond full scale.
expect_ok "float keeps them" "$bin/grurt-run" "$demo" -i "$audio/sine_float.wav" -o "$work/loud_float.wav" --gain-out 20
checks=$((checks + 1))
grep -q "clipped" "$work/err" && fail "a float output reported clipping"

# NaN: a float WAV holding NaN (from CSV input), streamed or refused by frame;
# written as 0 to PCM, and counted.
printf '0.5\nnan\n0.25\n' >"$work/nan.csv"
expect_ok "NaN to float WAV" "$bin/grurt-run" "$demo" -i "$work/nan.csv" -o "$work/nan.wav" --rate 16000
expect_error "NaN refused in audio" 1 "$work/nan.wav: frame 1 (6.25e-05 s): input 0 of step 0 is NaN; refused" \
  "$bin/grurt-run" "$demo" -i "$work/nan.wav" -o "$work/nan_out.csv" --refuse-non-finite
checks=$((checks + 1))
[ "$(wc -l <"$work/nan_out.csv")" -eq 1 ] || fail "--refuse-non-finite: the frame before the NaN should have been written"
expect_ok "NaN to PCM" "$bin/grurt-run" "$demo" -i "$work/nan.wav" -o "$work/nan16.wav" --format pcm16
checks=$((checks + 1))
grep -qF "grurt-run: 2 NaN outputs written as 0 in '$work/nan16.wav' (PCM has no NaN)" "$work/err" ||
  fail "NaN to PCM: not reported: $(cat "$work/err")"

# scripts/demo.sh's WAV (examples/models/make_demo_audio.py): one second at 48 kHz.
expect_ok "demo WAV" "$bin/grurt-run" "$demo" -i "$models/demo_input.wav" -o "$work/demo_output.wav"
rtf_line "demo WAV" "1.00 s" "48 kHz" sample
read_back "demo WAV" "$work/demo_output.wav" "WAV FLOAT 1 channels 48000 Hz 48000 frames"

# Plain CSV (no --rate): nothing new on stderr.
expect_ok "plain CSV" "$bin/grurt-run" "$demo" -i "$audio/sine_float.values.csv"
checks=$((checks + 1))
[ ! -s "$work/err" ] || fail "plain CSV printed on stderr: $(cat "$work/err")"

# Refusals, each before any output.
expect_error "unknown extension" 1 "'$work/out.mp3': grurt-run does not write .mp3 files: the output's extension picks the format" \
  "$bin/grurt-run" "$demo" -i "$audio/sine_float.wav" -o "$work/out.mp3"
expect_error "FLAC in float" 1 "FLAC holds integer samples only: use --format pcm16 or pcm24" \
  "$bin/grurt-run" "$demo" -i "$audio/sine_float.wav" -o "$work/f.flac" --format float
expect_error "--format to CSV" 1 "--format is for audio output; '$work/f.csv' is CSV" \
  "$bin/grurt-run" "$demo" -i "$audio/sine_float.wav" -o "$work/f.csv" --format pcm16
expect_error "--format unknown" 2 "--format" "$bin/grurt-run" "$demo" -i "$audio/sine_float.wav" -o "$work/f.wav" --format pcm8
expect_error "--rate with audio" 1 "--rate is for CSV input: '$audio/sine_float.wav' has its own sample rate" \
  "$bin/grurt-run" "$demo" -i "$audio/sine_float.wav" --rate 8000
expect_error "--int16 with audio" 1 "--int16 rows of raw integers are CSV; for audio files use --integer alone" \
  "$bin/grurt-run" "$work/demo_int16.grurt" --integer --int16 -i "$audio/sine_float.wav"
expect_error "missing audio file" 1 "cannot read audio file '$work/missing.wav': System error" \
  "$bin/grurt-run" "$demo" -i "$work/missing.wav"
head -c 30 "$audio/sine_pcm16.wav" >"$work/cut.wav"
expect_error "truncated header" 1 "cannot read audio file '$work/cut.wav': " "$bin/grurt-run" "$demo" -i "$work/cut.wav"
printf 'RIFF\044\000\000\000WAVEjunk and not a wave file at all' >"$work/corrupt.wav"
expect_error "corrupt WAV" 1 "cannot read audio file '$work/corrupt.wav': " "$bin/grurt-run" "$demo" -i "$work/corrupt.wav"
cp "$models/demo_input.csv" "$work/text.wav"
expect_error "a text file named .wav" 1 "cannot read audio file '$work/text.wav': " "$bin/grurt-run" "$demo" -i "$work/text.wav"
checks=$((checks + 1))
[ ! -s "$work/out" ] || fail "a refused audio file wrote output"

# The progress bar: on a terminal (script(1) gives one) during a run longer than
# half a second: 8M samples of silence (a WAV header written here), about 1.5 s
# on the machine of 2026-12-02. One fast enough to finish within 0.6 s shows no
# bar, rightly: then that check is skipped, visibly.
if command -v script >/dev/null; then
  le32() { printf "\\x$(printf %02x $(($1 & 255)))\\x$(printf %02x $((($1 >> 8) & 255)))\\x$(printf %02x $((($1 >> 16) & 255)))\\x$(printf %02x $((($1 >> 24) & 255)))"; }
  samples=8000000
  { printf RIFF; le32 $((36 + 2 * samples)); printf 'WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00'; le32 48000; le32 96000
    printf '\x02\x00\x10\x00data'; le32 $((2 * samples)); head -c $((2 * samples)) /dev/zero; } >"$work/long.wav"
  checks=$((checks + 1))
  script -qec "'$bin/grurt-run' '$demo' -i '$work/long.wav' -o '$work/long_out.wav'" /dev/null \
    >"$work/tty" 2>&1 || fail "progress run failed: $(tr '\r' '\n' <"$work/tty" | tail -n 3)"
  checks=$((checks + 1))
  took=$(tr '\r' '\n' <"$work/tty" | sed -n 's/^167 s of 48 kHz audio in \([0-9.]*\) s: .*/\1/p')
  [ -n "$took" ] || fail "no real-time line on a terminal: $(tr '\r' '\n' <"$work/tty" | tail -n 3)"
  if [ -n "$took" ] && awk -v t="$took" 'BEGIN { exit !(t >= 0.6) }'; then
    checks=$((checks + 1))
    grep -q '% .* of 167 s' "$work/tty" || fail "no progress bar on a terminal in $took s: $(tr '\r' '\n' <"$work/tty" | head -c 400)"
  else
    echo "SKIP: progress bar on a terminal: the run took ${took:-?} s, too short for a bar"
  fi
  rm -f "$work/long.wav" "$work/long_out.wav"
else
  echo "SKIP: progress bar on a terminal: no script(1) here"
fi

echo "audio: $checks checks, $failures failed"
[ "$failures" -eq 0 ]
