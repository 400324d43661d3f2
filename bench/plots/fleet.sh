#!/usr/bin/env bash
# Runs bench_fleet for each fleet size (three runs each), keeps the table rows
# in fleet.dat, and redraws fleet.png. bench/RESULTS.md quotes the rows.
# Usage: bench/plots/fleet.sh [build-dir] [sizes...]   (default: build 1000 10000)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
shift || true
if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(1000 10000); fi
: >"$here/fleet.rows"
for n in "${sizes[@]}"; do
  for run in 1 2 3; do
    echo "fleet of $n, run $run" >&2
    "$build/bench/bench_fleet" --certificates "$n" | tee -a "$here/fleet.rows"
  done
done
# The median run per size by time: certificates, seconds, certs/s, peak RSS
# MiB, CPU seconds, and the restarted controller's peak RSS MiB.
python3 - "$here/fleet.rows" >"$here/fleet.dat" <<'PY'
import sys, collections
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    runs[int(cells[0])].append([float(c) for c in cells])
for n in sorted(runs):
    r = sorted(runs[n], key=lambda c: c[1])[len(runs[n]) // 2]
    print(n, r[1], r[2], r[7], r[6], r[10])
PY
cd "$here" && gnuplot fleet.gp
