#!/usr/bin/env bash
# Whole-process time of `dfu convert` against arm-none-eabi-objcopy on the same file, in one run.
#   benchmarks/convert-vs-objcopy.sh [MiB]   (default 64)
# Makes a random MiB-sized ARM ELF, then converts ELF -> Intel HEX and ELF -> binary with both tools,
# 5 times each, and prints the median wall times and the ratio dfu/objcopy (JVM start-up included).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mib="${1:-64}"
objcopy=$(command -v arm-none-eabi-objcopy || true)
[ -n "$objcopy" ] || { echo "needs arm-none-eabi-objcopy (Debian: binutils-arm-none-eabi)" >&2; exit 2; }
dfu="$here/dfu"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
head -c $((mib * 1024 * 1024)) /dev/urandom > "$work/in.bin"
"$dfu" convert "$work/in.bin" --base 0x08000000 -o "$work/in.elf" >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timeit() { # command... -> seconds
  local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }

for fmt in ihex binary; do
  ext=$([ $fmt = ihex ] && echo hex || echo bin)
  o=$(for i in 1 2 3 4 5; do timeit "$objcopy" -O $fmt "$work/in.elf" "$work/o.$ext"; done | median)
  d=$(for i in 1 2 3 4 5; do timeit "$dfu" convert "$work/in.elf" -o "$work/d.$ext"; done | median)
  cmp -s "$work/o.$ext" "$work/d.$ext" && same="identical output" || same="output differs (record layout)"
  printf '%-6s %d MiB ELF: objcopy %.3f s, dfu convert %.3f s, ratio dfu/objcopy %.2f (%s)\n' "$ext" "$mib" "$o" "$d" "$(echo "$d / $o" | bc -l)" "$same"
done
