#!/usr/bin/env bash
# Start-up of the dfu tool against a bare JVM start, in one run (issue 11's start-up targets).
#   benchmarks/startup.sh [N]        (default 11 rounds)
# Each round runs, interleaved so that load from other processes hits all three alike:
#   java -version                                  (the baseline: a bare JVM start)
#   ./dfu --version                                (launcher included)
#   ./dfu info examples/firmware/blinky-f405.hex
# and prints the median wall and CPU (user + system) time of each, and the ratios of the medians to
# the baseline's (the targets are wall ratios: --version <= 2.5, info <= 3; the CPU ratio is steadier
# when other processes load the machine).
# The launcher's own options apply (DFU_CDS, DFU_JAVA_OPTS); the CDS archive is made before timing starts.
# BASE_DFU=/other/checkout/dfu adds the same two commands through another checkout's launcher to every
# round (e.g. the commit before a change, unpacked with git archive and built), for a before/after in one run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-11}"
dfu="$here/dfu"
hex="$here/examples/firmware/blinky-f405.hex"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# warm-up: builds the jar (and the class-data archive) if needed, and fills the page cache
"$dfu" --version >/dev/null
"$dfu" info "$hex" >/dev/null
"$java" -version 2>/dev/null
base="${BASE_DFU:-}"
if [ -n "$base" ]; then "$base" --version >/dev/null; "$base" info "$hex" >/dev/null; fi

TIMEFORMAT='%3R %3U %3S' # bash's time: wall, user, system in milliseconds
run() { # name command... : appends "wall cpu" (seconds) to $work/name
  local name="$1"; shift
  { time "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; } 2> "$work/t"
  awk '{printf "%s %.3f\n", $1, $2 + $3}' "$work/t" >> "$work/$name"
}
for _ in $(seq "$rounds"); do
  run java "$java" -version
  run version "$dfu" --version
  run info "$dfu" info "$hex"
  if [ -n "$base" ]; then
    run base_version "$base" --version
    run base_info "$base" info "$hex"
  fi
done

median() { # file column
  awk -v c="$2" '{print $c}' "$1" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
jw=$(median "$work/java" 1); jc=$(median "$work/java" 2)
vw=$(median "$work/version" 1); vc=$(median "$work/version" 2)
iw=$(median "$work/info" 1); ic=$(median "$work/info" 2)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }
echo "median of $rounds interleaved rounds (wall s / CPU s):"
printf '  %-48s %6.3f / %6.3f\n' "java -version" "$jw" "$jc"
printf '  %-48s %6.3f / %6.3f   wall ratio %s (target <= 2.5), CPU ratio %s\n' "./dfu --version" "$vw" "$vc" "$(ratio "$vw" "$jw")" "$(ratio "$vc" "$jc")"
printf '  %-48s %6.3f / %6.3f   wall ratio %s (target <= 3), CPU ratio %s\n' "./dfu info examples/firmware/blinky-f405.hex" "$iw" "$ic" "$(ratio "$iw" "$jw")" "$(ratio "$ic" "$jc")"
if [ -n "$base" ]; then
  bvw=$(median "$work/base_version" 1); bvc=$(median "$work/base_version" 2)
  biw=$(median "$work/base_info" 1); bic=$(median "$work/base_info" 2)
  printf '  %-48s %6.3f / %6.3f   wall ratio %s, CPU ratio %s\n' "BASE_DFU --version" "$bvw" "$bvc" "$(ratio "$bvw" "$jw")" "$(ratio "$bvc" "$jc")"
  printf '  %-48s %6.3f / %6.3f   wall ratio %s, CPU ratio %s\n' "BASE_DFU info ..." "$biw" "$bic" "$(ratio "$biw" "$jw")" "$(ratio "$bic" "$jc")"
fi
