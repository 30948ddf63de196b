#!/usr/bin/env bash
# Sets up and builds, converts the bundled PyTorch model (a GRU trained to
# predict the next sample of a sine wave, examples/models/demo.pt) with
# grurt-convert, then streams a sine wave through it and prints the outputs,
# then one second of the same wave as a WAV file into an output WAV, with the
# real-time factor.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/setup.sh"

grurt_install_packages "${GRURT_PACKAGES[@]}"
grurt_build >/dev/null
bin=$root/build/bin
models=$root/examples/models
model=$root/build/demo.grurt

echo "== build/bin/grurt-convert examples/models/demo.pt -o build/demo.grurt"
"$bin/grurt-convert" "$models/demo.pt" -o "$model" --description "next-sample predictor for a sine wave"
echo
echo "== build/bin/grurt-info build/demo.grurt"
"$bin/grurt-info" "$model"
echo
echo "== build/bin/grurt-run build/demo.grurt --input examples/models/demo_input.csv"
echo "   (one input sample per step; the model predicts the next sample)"
grep -v '^#' "$models/demo_input.csv" >"$root/build/demo_input_values.txt"
"$bin/grurt-run" "$model" --input "$models/demo_input.csv" |
  paste -d' ' "$root/build/demo_input_values.txt" - |
  awk '{ input[NR] = $1; prediction[NR] = $2 }
       END {
         printf "%6s  %12s  %12s  %12s\n", "step", "input", "prediction", "actual next"
         for (t = 1; t <= NR; ++t) {
           if (t < NR) printf "%6d  %12.6f  %12.6f  %12.6f\n", t - 1, input[t], prediction[t], input[t + 1]
           else printf "%6d  %12.6f  %12.6f  %12s\n", t - 1, input[t], prediction[t], "-"
         }
       }'
echo
echo "== build/bin/grurt-run build/demo.grurt --input examples/models/demo_input.wav --output build/demo_output.wav"
echo "   (one second of a 4.8 kHz sine at 48 kHz, 16-bit: each sample one step, the predictions a 32-bit float WAV;"
echo "   grurt-run's last line, on stderr, is the real-time factor)"
"$bin/grurt-run" "$model" --input "$models/demo_input.wav" --output "$root/build/demo_output.wav"
echo "wrote build/demo_output.wav ($(wc -c <"$root/build/demo_output.wav") bytes)"
