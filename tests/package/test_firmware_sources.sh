#!/usr/bin/env bash
# examples/firmware/*/demo_model.{h,c} (or model.grurt) and demo_reference.h
# are generated on the host (regenerate.sh) and committed; fail when they
# differ from a fresh run.
# usage: test_firmware_sources.sh SOURCE_DIR BIN_DIR
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$1/examples/firmware/regenerate.sh" "$2" "$work"
for folder in gru lstm gru_int8 gru_int16 lstm_int16 kws_int16; do
  for file in demo_model.h demo_model.c model.grurt demo_reference.h; do
    [ -e "$work/$folder/$file" ] || [ -e "$1/examples/firmware/$folder/$file" ] || continue
    cmp -s "$work/$folder/$file" "$1/examples/firmware/$folder/$file" ||
      { echo "examples/firmware/$folder/$file is stale: run examples/firmware/regenerate.sh build/bin" >&2; exit 1; }
  done
done
echo "firmware sources are current"
