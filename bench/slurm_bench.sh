#!/bin/sh
# A sweep as a Slurm job array on this machine against a local run: starts a single-node Slurm
# (tests/slurm/local_slurm.sh), runs SWEEP locally with --jobs JOBS, then with --slurm --shards SHARDS (from the
# submission to the end of the merge job), checks both results.csv are the same bytes, prints both wall times and
# `sweep status` of the array (each shard's rate), and stops Slurm.
#
#   bench/slurm_bench.sh PIPESPLIT [SWEEP] [SHARDS] [JOBS]      (as root; default bench/lv08_wifi.yaml 4 2)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
pipesplit=$(readlink -f "$1")
sweep=$(readlink -f "${2:-$here/bench/lv08_wifi.yaml}")
shards=${3:-4}
jobs=${4:-2}
work=$(mktemp -d "${TMPDIR:-/tmp}/pipesplit-slurm-bench.XXXXXX")
trap '"$here/tests/slurm/local_slurm.sh" stop "$work/cluster"; rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
conf=$("$here/tests/slurm/local_slurm.sh" start "$work/cluster")
export SLURM_CONF="${conf#SLURM_CONF=}"
seconds() { date +%s.%N; }

start=$(seconds)
"$pipesplit" sweep "$sweep" --out "$work/local" --jobs "$jobs" > /dev/null
local_s=$(echo "$(seconds) $start" | awk '{printf "%.1f", $1 - $2}')

start=$(seconds)
"$pipesplit" sweep "$sweep" --out "$work/array" --slurm --shards "$shards" > "$work/submit.out"
merge=$(sed -n 's/^  merge: *job \([0-9]*\).*/\1/p' "$work/submit.out")
while [ -n "$(squeue -h -j "$merge" -o %i 2>/dev/null)" ]; do sleep 0.2; done
array_s=$(echo "$(seconds) $start" | awk '{printf "%.1f", $1 - $2}')
cmp "$work/local/results.csv" "$work/array/results.csv"
"$pipesplit" sweep status "$work/array"
echo "node: $(nproc) cores; Slurm node configured with 4 CPUs; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "local --jobs $jobs: $local_s s; Slurm array of $shards tasks + merge, submission to merged: $array_s s;" \
  "results.csv identical"
