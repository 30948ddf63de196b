#!/usr/bin/env bash
# NumPy .npz files and torch.save checkpoint dicts grurt-convert must refuse (exit 1,
# a specific message, no output), and what the report says of a checkpoint's key.
# usage: test_npz_refusals.sh BIN_DIR FIXTURES_DIR (tests/fixtures)
set -uo pipefail
bin=$1 fixtures=$2
source "$(dirname "$0")/refusal_checks.sh"

r=npz/refuse
refuse $r/fortran_order.npz "npz: array 'w': is stored in Fortran (column-major) order; save it C-ordered (numpy.ascontiguousarray)"
refuse $r/object_dtype.npz "npz: array 'w': is an object array (pickled Python objects, dtype '|O'), which is never unpickled; save numeric arrays"
refuse $r/truncated_member.npz "npz: array 'w': header of 118 bytes but only 30 follow (truncated?)"
refuse $r/truncated_data.npz "npz: array 'w': holds 20 bytes of data, but <f4 [2, 3] needs 24"
refuse $r/header_not_dict.npz "npz: array 'w': expected the header to be a dict literal ({'descr': ..., 'fortran_order': ..., 'shape': ...})"
refuse $r/shape_mismatch.npz "npz: array 'w': holds 24 bytes of data, but <f4 [2, 4] needs 32"
refuse $r/neither.zip "zip archive with neither a <folder>/data.pkl entry (a torch.save() file) nor NAME.npy arrays (a NumPy .npz)"
refuse $r/neither.zip "npz: member 'weights/readme.txt' is not a .npy array; an .npz holds only NAME.npy members" --format npz
refuse npz/gru_i3_h8_fc2.npz "a NumPy .npz, not a torch.save() file (--format npz reads it)" --format pt
refuse checkpoints/refuse/two_state_dicts.pt "data.pkl: a checkpoint dict holding several state_dicts, under keys 'model', 'ema': re-save the one to convert with torch.save(checkpoint[KEY], path)"

# The report names the checkpoint's key, and the format of an .npz.
report() {  # report FILE EXPECTED_TEXT
  checks=$((checks + 1))
  if ! "$bin/grurt-convert" "$fixtures/$1" -o "$work/report.grurt" >"$work/report.txt" 2>&1 ||
    ! grep -qF -- "$2" "$work/report.txt"; then
    echo "FAIL $1: report lacks '$2': $(cat "$work/report.txt")" >&2
    failures=$((failures + 1))
  fi
}
report checkpoints/ckpt_model_state_dict.pt "(torch.save zip, checkpoint: state_dict under key 'model_state_dict', 6 tensors)"
report checkpoints/ckpt_lightning.pt "(torch.save zip, checkpoint: state_dict under key 'state_dict', 6 tensors)"
report npz/gru_i3_h8_fc2.npz "(NumPy .npz, 6 tensors)"

echo "$checks checks, $failures failures"
[ "$failures" -eq 0 ]
