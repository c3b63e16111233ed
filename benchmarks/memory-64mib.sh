#!/usr/bin/env bash
# The smallest -Xmx with which a 64 MiB image in each format (HEX, S-record, ELF, bin, DfuSe) goes through
# `dfu info`, `dfu convert` and `dfu flash --sim mboot-f769disc` (issue 11: the target is -Xmx96m).
#   benchmarks/memory-64mib.sh [STEPS...]   (default steps: 64 96 128 192 256 400 512)
# Runs dfu-cli/target/dfu.jar (build it with ./dfu --version) with the ./dfu launcher's JVM options; set
# JVM_OPTS to measure others (JVM_OPTS= for the JVM's defaults). Needs about 600 MB in $TMPDIR.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$here/dfu-cli/target/dfu.jar"
[ -f "$jar" ] || { echo "no $jar; build it with ./dfu --version" >&2; exit 2; }
steps=("$@"); [ ${#steps[@]} -gt 0 ] || steps=(64 96 128 192 256 400 512)
launcher_opts=$(sed -n 's/^jvm_opts=(\(.*\))$/\1/p' "$here/dfu")
jvm_opts="${JVM_OPTS-$launcher_opts}"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
head -c $((64 * 1024 * 1024)) /dev/urandom > "$work/img.bin"
for f in hex srec elf dfu; do
  java -Xmx1g -jar "$jar" convert "$work/img.bin@0x90000000" -o "$work/img.$f" >/dev/null
done
echo "JVM options: ${jvm_opts:-(JVM defaults)}"
printf '%-6s %-8s %s\n' format command min-Xmx
for f in hex srec elf bin dfu; do
  in="$work/img.$f"; [ $f = bin ] && in="$work/img.bin@0x90000000"
  out=bin; [ $f = bin ] && out=hex
  for cmd in info convert flash; do
    case $cmd in
      info) args=(info "${in%@*}" --base 0x90000000) ;;
      convert) args=(convert "$in" -o "$work/out.$out") ;;
      flash) args=(flash "$in" --sim mboot-f769disc --sim-time virtual) ;;
    esac
    min="> ${steps[-1]} MiB"
    for m in "${steps[@]}"; do
      # shellcheck disable=SC2086
      if java $jvm_opts -Xmx${m}m -jar "$jar" "${args[@]}" >"$work/log" 2>&1; then min="${m} MiB"; break; fi
    done
    printf '%-6s %-8s %s\n' "$f" "$cmd" "$min"
    rm -f "$work/out.$out"
  done
done
