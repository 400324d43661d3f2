#!/usr/bin/env bash
# Runs bench_decode, keeps its JSON report, and redraws decode_list.png from it.
# Usage: bench/plots/decode_list.sh [build-dir]   (default: build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
"$build/bench/bench_decode" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_min_time=1 --benchmark_out="$here/decode_list.json" --benchmark_out_format=json
# One row per list size: items, items/s and MB/s of the median repetition.
python3 - "$here/decode_list.json" >"$here/decode_list.dat" <<'PY'
import json, sys
for b in json.load(open(sys.argv[1]))["benchmarks"]:
    if b.get("aggregate_name") == "median":
        items = b["run_name"].rsplit("/", 1)[1]
        print(items, b["items_per_second"], b["bytes_per_second"] / 1e6)
PY
gnuplot "$here/decode_list.gp"
