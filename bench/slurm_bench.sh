#!/bin/sh
# A sweep as a Slurm job array on this machine against local runs: starts a single-node Slurm
# (tests/slurm/local_slurm.sh), runs SWEEP locally with --jobs JOBS and with --jobs SHARDS (as many processes as the
# array has tasks: on a shared machine, more processes get a larger share of busy cores, so this is the fair
# comparison for Slurm's own overhead), then with --slurm --shards SHARDS (from the submission to the end of the
# merge job), checks every results.csv is the same bytes, prints the wall times (and the load average, which
# decides them on a shared machine) and `sweep status` of the array (each shard's rate), and stops Slurm.
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
# Stops the cluster even if this script is killed without running its trap.
setsid sh -c 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; "$2" stop "$3/cluster"; rm -rf "$3"' guardian \
  "$$" "$here/tests/slurm/local_slurm.sh" "$work" < /dev/null > /dev/null 2>&1 &
conf=$("$here/tests/slurm/local_slurm.sh" start "$work/cluster")
export SLURM_CONF="${conf#SLURM_CONF=}"
seconds() { date +%s.%N; }

load() { cut -d' ' -f1 /proc/loadavg; }
timed_local() {
  start=$(seconds)
  "$pipesplit" sweep "$sweep" --out "$work/local$1" --jobs "$1" > /dev/null
  echo "$(seconds) $start" | awk '{printf "%.1f", $1 - $2}'
}
load_local=$(load)
local_s=$(timed_local "$jobs")
load_wide=$(load)
wide_s=$(timed_local "$shards")
cmp "$work/local$jobs/results.csv" "$work/local$shards/results.csv"
load_array=$(load)

start=$(seconds)
"$pipesplit" sweep "$sweep" --out "$work/array" --slurm --shards "$shards" > "$work/submit.out"
merge=$(sed -n 's/^  merge: *job \([0-9]*\).*/\1/p' "$work/submit.out")
while [ -n "$(squeue -h -j "$merge" -o %i 2>/dev/null)" ]; do sleep 0.2; done
array_s=$(echo "$(seconds) $start" | awk '{printf "%.1f", $1 - $2}')
cmp "$work/local$jobs/results.csv" "$work/array/results.csv"
"$pipesplit" sweep status "$work/array"
echo "this machine: $(nproc) cores; the Slurm node is configured with 4 CPUs"
echo "local --jobs $jobs: $local_s s (load average before: $load_local)"
echo "local --jobs $shards: $wide_s s (load average before: $load_wide)"
echo "Slurm array of $shards tasks + merge job, submission to merged: $array_s s (load average before: $load_array)"
echo "results.csv of the three: identical"
