#!/bin/sh
# `pipesplit sweep --slurm` against a real Slurm (tests/slurm/local_slurm.sh: slurmctld, slurmd and munged of
# Debian's packages, started here in a temporary folder and stopped at the end, whatever happens):
#  1. tests/data/slurm_sweep.yaml as an array of 3 tasks and a merge job: the merged results.csv equals a local
#     `--jobs 1` run's byte for byte;
#  2. the same as 4 tasks: not submitted twice while they run, `sweep status` shows them queued or running; one cancelled (scancel) after its first points: the merge job is cancelled with it, no
#     results.csv appears, `sweep status` names the cancelled shard; the same command again submits only that
#     shard, which computes only its missing points, and the merge gives the same bytes.
# Exits 77 (ctest: skipped) with the reason when Slurm cannot start here (not root, packages missing).
#
#   test_slurm_sweep.sh PIPESPLIT SOURCE_DIR [INFERENCES]
# INFERENCES per simulated point (default the sweep file's 60000): fewer for the sanitizer build, whose replays are
# about ten times slower, so that its points take about as long.
set -eu
pipesplit=$1
source_dir=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/pipesplit-slurm-test.XXXXXX")
sweep=$work/slurm_sweep.yaml
sed -e "s|^scenario: tiny_paper.yaml|scenario: $source_dir/tests/data/tiny_paper.yaml|" \
  -e "s|inferences: 60000|inferences: ${3:-60000}|" "$source_dir/tests/data/slurm_sweep.yaml" > "$sweep"
cleanup() {
  "$source_dir/tests/slurm/local_slurm.sh" stop "$work/cluster"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() { echo "FAILED: $*" >&2; exit 1; }
seconds() { date +%s.%N | cut -c1-14; }
elapsed() { echo "$(seconds) $1" | awk '{printf "%.1f", $1 - $2}'; }

# A guardian in its own session stops the cluster and removes the folder if this script is killed without running
# its trap (SIGKILL, or a ctest timeout killing the process group).
setsid sh -c 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; "$2" stop "$3/cluster"; rm -rf "$3"' guardian \
  "$$" "$source_dir/tests/slurm/local_slurm.sh" "$work" < /dev/null > /dev/null 2>&1 &
conf=$("$source_dir/tests/slurm/local_slurm.sh" start "$work/cluster") || {
  status=$?
  [ "$status" = 77 ] && echo "skipped: Slurm cannot run here (see above)"
  exit "$status"
}
export SLURM_CONF="${conf#SLURM_CONF=}"
echo "single-node Slurm up: $(sinfo -h -o '%P %D node(s), %c CPUs, %t')"

# Wait until none of the jobs is queued or running (150 s at most: the sanitizer build is slower).
wait_jobs() {
  for _ in $(seq 1500); do
    [ -z "$(squeue -h -j "$1" -o %i 2>/dev/null)" ] && return 0
    sleep 0.1
  done
  squeue -j "$1" >&2
  fail "jobs $1 still queued or running after 150 s"
}
job_of() { sed -n "s/^  $1: *job \([0-9]*\).*/\1/p" "$2"; }
job_state() { scontrol show job "$1" | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p'; }

start=$(seconds)
"$pipesplit" sweep "$sweep" --out "$work/local" --jobs 1 > /dev/null
echo "local --jobs 1: 16 points in $(elapsed "$start") s"

# 1. Three array tasks and the merge.
start=$(seconds)
"$pipesplit" sweep "$sweep" --out "$work/three" --slurm --shards 3 > "$work/three.out"
cat "$work/three.out"
array=$(job_of shards "$work/three.out")
merge=$(job_of merge "$work/three.out")
wait_jobs "$array,$merge"
[ "$(job_state "$merge")" = COMPLETED ] || fail "merge job $merge: $(job_state "$merge"); $(cat "$work/three/slurm/merge.log")"
cmp "$work/local/results.csv" "$work/three/results.csv" || fail "3 shards: results.csv differs from the local run"
echo "3 array tasks + merge: $(elapsed "$start") s, results.csv byte-identical to the local run"
for k in 1 2 3; do
  [ -s "$work/three/slurm/shard-$k.log" ] || fail "no log of shard $k"
done

# 2. Four array tasks, shard 2 cancelled after its first point, then submitted again.
start=$(seconds)
"$pipesplit" sweep "$sweep" --out "$work/four" --slurm --shards 4 > "$work/four.out"
array=$(job_of shards "$work/four.out")
merge=$(job_of merge "$work/four.out")
points="$work/four/shards/2/points.csv"
# While its jobs are queued or running, the sweep is not submitted a second time.
if "$pipesplit" sweep "$sweep" --out "$work/four" --slurm > /dev/null 2> "$work/twice.err"; then
  fail "submitted twice while the first submission runs"
fi
grep -q "still queued or running" "$work/twice.err" || fail "the second submission's refusal: $(cat "$work/twice.err")"
"$pipesplit" sweep status "$work/four" | grep -Eq "^ +[1-4] +[0-9]+ +[0-9]+ +(queued|running) " ||
  fail "sweep status shows no shard queued or running: $("$pipesplit" sweep status "$work/four")"
for _ in $(seq 600); do
  [ -f "$points" ] && [ "$(wc -l < "$points")" -ge 2 ] && break
  sleep 0.05
done
[ -f "$work/four/shards/2/results.csv" ] && fail "shard 2 finished before it could be cancelled: make its points slower"
scancel "${array}_2"
echo "cancelled task ${array}_2 after $(($(wc -l < "$points") - 1)) of its points"
wait_jobs "$array,$merge"
[ "$(job_state "$merge")" = CANCELLED ] || fail "merge job $merge should be cancelled with its shard: $(job_state "$merge")"
[ -f "$work/four/results.csv" ] && fail "a results.csv after a cancelled shard"
"$pipesplit" sweep status "$work/four" | tee "$work/status.out"
grep -q "^shard 2 failed: .*CANCELLED" "$work/status.out" || fail "sweep status does not name the cancelled shard"
done_before=$(($(wc -l < "$points") - 1))

"$pipesplit" sweep "$sweep" --out "$work/four" --slurm > "$work/again.out"
cat "$work/again.out"
grep -q "(3 done already)" "$work/again.out" || fail "the resubmission should leave the 3 complete shards out"
grep -q "(array 2)" "$work/again.out" || fail "the resubmission's array should be shard 2 alone"
array=$(job_of shards "$work/again.out")
merge=$(job_of merge "$work/again.out")
wait_jobs "$array,$merge"
[ "$(job_state "$merge")" = COMPLETED ] || fail "merge job $merge: $(job_state "$merge"); $(cat "$work/four/slurm/merge.log")"
cmp "$work/local/results.csv" "$work/four/results.csv" || fail "after the resubmission: results.csv differs"
# Nothing computed twice: every point of shard 2 appears once in its progress log, the other shards ran once.
computed=$(grep -c '^point,' "$work/four/shards/2/progress.csv")
distinct=$(grep '^point,' "$work/four/shards/2/progress.csv" | cut -d, -f3 | sort -u | wc -l)
[ "$computed" = "$distinct" ] || fail "shard 2 computed some points twice ($computed rows, $distinct points)"
for k in 1 3 4; do
  [ "$(grep -c '^start,' "$work/four/shards/$k/progress.csv")" = 1 ] || fail "shard $k ran again"
done
"$pipesplit" sweep status "$work/four" | head -1
echo "4 array tasks, one cancelled after $done_before points and resubmitted: $(elapsed "$start") s;" \
  "results.csv byte-identical to the local run"
# Nothing left running: the daemons stop, and no process of this cluster remains.
"$source_dir/tests/slurm/local_slurm.sh" stop "$work/cluster"
left=$(ps -eo pid=,args= | grep -F "$work/cluster" | grep -v grep || true)
[ -z "$left" ] || fail "still running after stop: $left"
echo "passed"
