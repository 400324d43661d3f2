#!/usr/bin/env bash
# A simulated year of one Let's Encrypt account (issue #22): certmill's
# scheduler against acme-front's Let's Encrypt limits, 50,000 certificates
# with a burst of 5,000 new ones on day 40 and 500 on one registered domain
# on day 120 (bench_rate_limit_year). Keeps the Markdown row in
# rate_limit_year.rows, the per-day series in rate_limit_year.dat, and
# redraws rate_limit_year.png. bench/RESULTS.md quotes the table.
# Usage: bench/plots/rate_limit_year.sh [build-dir] (default: build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
"$build/bench/bench_rate_limit_year" --days "$here/rate_limit_year.dat" | tee "$here/rate_limit_year.rows"
cd "$here" && gnuplot rate_limit_year.gp
