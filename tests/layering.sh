#!/usr/bin/env bash
# DESIGN.md's dependency rule on the sources: a folder includes only itself and
# the folders below it. (The build enforces the same through include roots;
# this names the offending line.)
set -u
cd "$(dirname "$0")/.."
declare -A allowed=(
  [core]="core"
  [reactor]="core reactor"
  [k8s]="core reactor k8s"
  [issuers]="core reactor issuers"
  [solvers]="core reactor solvers"
  [controller]="core reactor k8s issuers solvers controller"
)
status=0
for folder in "${!allowed[@]}"; do
  while IFS= read -r hit; do
    target=$(sed -E 's/.*#include "([a-z0-9_]+)\/.*/\1/' <<<"${hit#*:*:}")
    if [[ " ${allowed[$folder]} " != *" $target "* ]]; then
      echo "layering: $hit: $folder/ may not include $target/"
      status=1
    fi
  done < <(grep -rnE '#include "[a-z0-9_]+/' "$folder" --include='*.hpp' --include='*.cpp' || true)
done
# core/ is the standard library, OpenSSL and simdjson only.
if grep -rnE '#include <(boost|ares)' core; then
  echo "layering: core/ may not use Boost or c-ares (lines above)"
  status=1
fi
[[ $status -eq 0 ]] && echo "layering: every include follows DESIGN.md"
exit $status
