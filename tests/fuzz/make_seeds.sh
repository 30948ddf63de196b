#!/usr/bin/env bash
# Regenerates the seed corpora in tests/fuzz/corpus/ from the committed test
# fixtures. Needs a native build (build/bin: grurt-convert, make_formula_model)
# and /usr/bin/python3 (only to lift data.pkl out of the .pt archives); the
# seeds are committed, so neither CI nor scripts/fuzz.sh runs this.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=${1:-$root/build/bin}
fixtures=$root/tests/fixtures/convert
corpus=$root/tests/fuzz/corpus
rm -rf "$corpus"
mkdir -p "$corpus"/{model,csv,pickle,torch_zip,safetensors,mapping,onnx,json_model,keras_h5,keras_config,npz}

# model: converted fixtures and the C API test's model. (A file in grurt 0.1.0's
# row-major layout, which the loader refuses, is kept in regressions/model/.)
for case in gru_bare_i1_h5 gru_nobias_l2_i3_h9_out1 grucell_i6_h16_classifier4 concat_tanh_i1_h6_fc2 \
  rnn_tanh_i3_h8_fc2 rnncell_relu_i2_h4_classifier2 lstm_proj_i2_h8_p3_fc2 stack_lstm_i2_h6_gru_h5_fc2; do
  "$bin/grurt-convert" "$fixtures/$case.pt" -o "$corpus/model/$case.grurt" --quiet --check-steps 1 \
    $(cat "$fixtures/$case.args" 2>/dev/null || true)
done
"$bin/make_formula_model" "$corpus/model/formula_panel16.grurt"
# f16 and int8 weight matrices, so the loader's f16 and i8 checks (row
# scales, -128) and the int8 kernels are fuzzed too.
for case in gru_bare_i1_h5 lstm_proj_i2_h8_p3_fc2; do
  for type in f16 int8; do
    "$bin/grurt-convert" "$fixtures/$case.pt" -o "$corpus/model/${case}_$type.grurt" --quiet --check-steps 1 \
      --weights $type
  done
done
# Integer plans (--activations int16), so IntegerModel::load's checks and the
# integer kernels are fuzzed too.
for case in gru_bare_i1_h5 gru_nobias_l2_i3_h9_out1; do
  "$bin/grurt-convert" "$fixtures/$case.pt" -o "$corpus/model/${case}_int16.grurt" --quiet --check-steps 1 \
    --activations int16
done
# A model with a skip connection, so the loader's skip checks are fuzzed too.
"$bin/grurt-convert" "$fixtures/amp_skip_i1_h12.pt" -o "$corpus/model/amp_skip_i1_h12.grurt" --quiet --check-steps 1 \
  --skip input

# torch_zip and safetensors: every small fixture, and the refusal cases.
for file in "$fixtures"/*.pt "$fixtures"/refuse/*.pt "$root"/tests/fixtures/checkpoints/*.pt \
  "$root"/tests/fixtures/checkpoints/refuse/*.pt; do
  [ "$(stat -c %s "$file")" -le 4096 ] && cp "$file" "$corpus/torch_zip/"
done
for file in "$fixtures"/*.safetensors "$fixtures"/refuse/*.safetensors; do
  [ "$(stat -c %s "$file")" -le 4096 ] && cp "$file" "$corpus/safetensors/"
done

# pickle: the data.pkl inside each of those archives.
/usr/bin/python3 - "$corpus/torch_zip" "$corpus/pickle" <<'PY'
import pathlib, sys, zipfile
source, target = map(pathlib.Path, sys.argv[1:])
for archive in sorted(source.glob("*.pt")):
    try:
        with zipfile.ZipFile(archive) as z:
            for name in z.namelist():
                if name.endswith("/data.pkl"):
                    (target / (archive.stem + ".pkl")).write_bytes(z.read(name))
    except zipfile.BadZipFile:
        pass
PY

# npz: every .npz fixture and refusal, each a few KB, and their .npy members bare
# (the target reads an input that is not a zip as one .npy array).
cp "$root"/tests/fixtures/npz/*.npz "$root"/tests/fixtures/npz/refuse/* "$corpus/npz/"
/usr/bin/python3 - "$corpus/npz" <<'PY'
import pathlib, sys, zipfile
target = pathlib.Path(sys.argv[1])
for archive in sorted(target.glob("*.npz")):
    with zipfile.ZipFile(archive) as z:
        for name in z.namelist()[:3]:
            (target / (archive.stem + "." + name)).write_bytes(z.read(name))
PY

# onnx: every ONNX fixture and refusal (all a few KB).
cp "$root"/tests/fixtures/onnx/*.onnx "$root"/tests/fixtures/onnx/refuse/*.onnx "$corpus/onnx/"

# json_model: every JSON model fixture (RTNeural, AIDA-X, CoreAudioML, state_dict) and refusal.
cp "$root"/tests/fixtures/json/*.json "$root"/tests/fixtures/json/refuse/*.json "$corpus/json_model/"

# keras_h5: every Keras fixture and refusal.
cp "$root"/tests/fixtures/keras/*.h5 "$root"/tests/fixtures/keras/*.keras "$root"/tests/fixtures/keras/refuse/*.h5 \
  "$root"/tests/fixtures/keras/refuse/*.keras "$corpus/keras_h5/"

# keras_config: the model_config JSON of every Keras fixture (python3-h5py).
/usr/bin/python3 - "$root/tests/fixtures/keras" "$corpus/keras_config" <<'PY'
import glob, os, sys
import h5py
for path in glob.glob(os.path.join(sys.argv[1], "*.h5")) + glob.glob(os.path.join(sys.argv[1], "refuse", "*.h5")):
    try:
        with h5py.File(path, "r") as f:
            config = f.attrs.get("model_config")
    except OSError:
        continue
    if config is not None:
        text = config if isinstance(config, str) else config.decode()
        open(os.path.join(sys.argv[2], os.path.basename(path)[:-3] + ".json"), "w").write(text)
PY

# mapping: the README's example mapping files.
cp "$fixtures"/mappings/*.json "$corpus/mapping/"

# csv: the first byte is the row width minus one, then the text.
for file in "$fixtures"/*.input.csv "$root/examples/models/demo_input.csv"; do
  width=$(grep -v '^#' "$file" | head -n 1 | awk -F, '{print NF}')
  { printf "\\$(printf '%03o' $((width - 1)))"; head -c 2048 "$file"; } > "$corpus/csv/$(basename "$file" .csv).csv"
done
du -sh "$corpus"/*
