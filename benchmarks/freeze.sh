#!/bin/bash
# benchmarks/freeze.sh <dir>: copies the built @loglanes/core and @loglanes/pino (run `npm run build` first) into
# <dir>/node_modules/@loglanes, so that one version can be measured against another in one session:
# BUILD=<dir> node benchmarks/workerHotPath.mjs (the worker's hot path), node benchmarks/compare.mjs 15 pinoFile <dir>
# loglanesPino (end to end). Prints the frozen transport's entry, a pino `target`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest=$(mkdir -p "$1" && cd "$1" && pwd)
rm -rf "$dest/node_modules" && mkdir -p "$dest/node_modules/@loglanes"
for name in core pino; do
  mkdir -p "$dest/node_modules/@loglanes/$name"
  cp -r "$root/packages/$name/package.json" "$root/packages/$name/dist" "$dest/node_modules/@loglanes/$name/"
done
ln -s "$root/node_modules/sonic-boom" "$dest/node_modules/sonic-boom"
echo "$dest/node_modules/@loglanes/pino/dist/index.js"
