#!/usr/bin/env bash
# Runs bench_acme once (certmill, then lego on the same names), keeps its
# Markdown tables in acme.rows and its progress in acme.log, writes acme.dat
# and redraws acme.png. bench/RESULTS.md quotes the tables.
# Usage: bench/plots/acme.sh [build-dir] [certificates] [lego-parallel]
#        (default: build 1000 16)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
n=${2:-1000}
parallel=${3:-16}
"$build/bench/bench_acme" --certificates "$n" --lego-parallel "$parallel" \
  2> >(tee "$here/acme.log" >&2) | tee "$here/acme.rows"
# One line per measure: name, certmill, lego.
python3 - "$here/acme.rows" >"$here/acme.dat" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if cells[0] == "certmill" or cells[0].startswith("lego"):
        rows["lego" if cells[0].startswith("lego") else "certmill"] = cells
def num(cell):
    return float(cell.split()[0])
c, l = rows["certmill"], rows["lego"]
print('"certificates/s"', num(c[3]), num(l[3]))
print('"CPU s"', num(c[4]), num(l[4]))
print('"peak RSS MiB"', num(c[5]), num(l[5]))
print('"ACME requests / cert"', num(c[6]), num(l[6]))
PY
cd "$here" && gnuplot acme.gp
