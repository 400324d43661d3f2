#!/usr/bin/env bash
# The DNS-01 benchmarks of issue #21, each against Debian's BIND and Pebble
# on loopback: one wildcard + apex certificate by certmill and by lego's
# rfc2136 provider (bench_acme --dns01 --wildcard), 1,000 DNS-01
# certificates by certmill, and 10,000 propagation checks at once with
# three c-ares windows (bench_dns01_checks). Keeps the Markdown rows in
# dns01.rows and progress in dns01.log, writes dns01.dat and redraws
# dns01.png. bench/RESULTS.md quotes the tables.
# Usage: bench/plots/dns01.sh [build-dir] (default: build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
: >"$here/dns01.rows"
: >"$here/dns01.log"
run() { "$@" 2>>"$here/dns01.log" | tee -a "$here/dns01.rows"; }
echo "wildcard + apex, certmill and lego" | tee -a "$here/dns01.rows"
run "$build/bench/bench_acme" --dns01 --wildcard --certificates 1 --namespaces 1 \
  --lego-certificates 1 --lego-parallel 1
echo "1,000 DNS-01 certificates, certmill" | tee -a "$here/dns01.rows"
run "$build/bench/bench_acme" --dns01 --certificates 1000 --lego-certificates 0
for window in 16 64 256; do
  echo "10,000 propagation checks, window $window" | tee -a "$here/dns01.rows"
  run "$build/bench/bench_dns01_checks" --checks 10000 --rounds 3 --window "$window"
done
# dns01.dat: the wildcard + apex seconds (certmill, lego), then per window
# the median checks/s of its three rounds.
python3 - "$here/dns01.rows" >"$here/dns01.dat" <<'PY'
import statistics, sys
wildcard, checks, window = {}, {}, None
section = ""
for line in open(sys.argv[1]):
    if not line.startswith("|"):
        section = line.strip()
        if section.startswith("10,000"):
            window = int(section.split()[-1])
        continue
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if section.startswith("wildcard") and (cells[0] == "certmill" or cells[0].startswith("lego")):
        wildcard["lego" if cells[0].startswith("lego") else "certmill"] = float(cells[2].split()[0])
    if section.startswith("10,000") and cells[0].isdigit():
        checks.setdefault(window, []).append(float(cells[5]))
print('"wildcard + apex (s)"', wildcard["certmill"], wildcard["lego"])
for w in sorted(checks):
    print(w, statistics.median(checks[w]))
PY
cd "$here" && gnuplot dns01.gp
