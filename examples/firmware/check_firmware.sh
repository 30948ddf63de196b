#!/usr/bin/env bash
# Checks a linked firmware ELF: no heap or exception machinery anywhere in it,
# and reports flash and RAM split into runtime code, libm, the model's weights
# and the arena (from the linker map).
# With --no-float (the integer path on a core without an FPU), also checks
# that no floating-point routine is linked at all: no software float
# (libgcc's __aeabi_f*/__aeabi_d* and __*sf*/__*df* helpers), no libm; and
# that the runtime code fits the integer path's flash budget, 13 KiB (12 KiB
# until the load-time CRC-32C check of the model file came in: about 680 bytes).
# usage: check_firmware.sh FIRMWARE.elf FIRMWARE.map NM SIZE [--no-float]
set -euo pipefail
elf=$1 map=$2 nm_tool=$3 size_tool=$4 no_float=${5:-}
integer_runtime_budget=13312
# refuse_symbols PATTERN WHAT: fails, listing them, when any symbol matches.
refuse_symbols() {
  local found
  found=$("$nm_tool" "$elf" | awk '{ print $NF }' | grep -E "$1" || true)
  if [ -n "$found" ]; then
    echo "the firmware links $2:" >&2
    printf '  %s\n' $found >&2
    exit 1
  fi
}
refuse_symbols '^(malloc|_malloc_r|free|_free_r|calloc|realloc|_Znw.*|_Zna.*|_Zdl.*|_Zda.*|__cxa_throw|__cxa_allocate_exception|__cxa_begin_catch|__gxx_personality_v0|_Unwind_.*|abort)$' \
  "forbidden symbols"
echo "firmware: no malloc/free/new/delete/exception symbols ($("$nm_tool" "$elf" | wc -l) symbols checked)"
if [ "$no_float" = "--no-float" ]; then
  refuse_symbols '^(__aeabi_(f|d|[iul]+2[fd]|ul2[fd])[a-z0-9]*|__[a-z]+[sdt]f[0-9]?|__(fix|fixuns|float|floatun)[a-z]+|(exp|log|tanh|pow|sqrt|sin|cos)f?)$' \
    "floating-point routines (the integer path must have none)"
  echo "firmware: no floating-point routine linked (software float, libm)"
fi

# Bytes of .text/.rodata input sections per archive, from the map (GNU ld puts
# long section names on their own line, the address and size on the next).
hex_awk='function hex(s,   i, n, c) { s = tolower(s); sub(/^0x/, "", s); n = 0
  for (i = 1; i <= length(s); ++i) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; n = n * 16 + c }
  return n }'
section_bytes() {
  awk -v pattern="$1" "$hex_awk"'
    /^Linker script and memory map/ { linked = 1 }   # before it: sections --gc-sections discarded
    linked && /^ \.(text|rodata)/ { name = $1; if (NF == 1) { getline; $0 = " " name " " $0 } }
    linked && /^ \.(text|rodata)/ && NF >= 4 && $4 ~ pattern { total += hex($3) }
    END { print total + 0 }' "$map"
}
symbol_bytes() { "$nm_tool" -S "$elf" | awk -v name="$1" "$hex_awk"'$4 == name { print hex($2) }'; }
runtime=$(section_bytes 'libgrurt\.a')
libm=$(section_bytes 'libm\.a')
model=$(symbol_bytes demo_model)
arena=$(symbol_bytes arena)
"$size_tool" "$elf"
printf '| flash: runtime code | flash: libm | flash: model weights | RAM: arena |\n|---|---|---|---|\n'
printf '| %d B | %d B | %d B | %d B |\n' "$runtime" "$libm" "$model" "$arena"
if [ "$no_float" = "--no-float" ] && [ "$runtime" -gt "$integer_runtime_budget" ]; then
  echo "the integer path's runtime code is $runtime bytes, over its budget of $integer_runtime_budget" >&2
  exit 1
fi
