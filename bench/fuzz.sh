#!/bin/sh
# Build the libFuzzer harnesses (bench/fuzz/) with Debian's clang and run each for SECONDS (default 60), one after
# the other, from the checked-in corpus plus, for ONNX, the light ONNX models when PIPESPLIT_SHARED_DATA_DIR has
# them. New inputs land in build-fuzz/corpus/<harness>/ (the checked-in corpus is never written); a crash stops
# that harness and leaves its input in build-fuzz/crashes/<harness>/. Prints runs, seconds and crashes per harness.
# Usage: bench/fuzz.sh [SECONDS] [HARNESS...]   (harnesses: scenario model sweep platform onnx)
set -eu
cd "$(dirname "$0")/.."
seconds="${1:-60}"
[ $# -gt 0 ] && shift
harnesses="${*:-scenario model sweep platform onnx}"
build=build-fuzz

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DPIPESPLIT_FUZZ=ON > /dev/null
targets=""
for harness in $harnesses; do targets="$targets pipesplit_fuzz_$harness"; done
nice cmake --build "$build" -j 2 --target $targets > "$build/fuzz-build.log" || { tail -30 "$build/fuzz-build.log"; exit 1; }

shared="${PIPESPLIT_SHARED_DATA_DIR:-../shared/data}/onnx-light"
for harness in $harnesses; do
  mkdir -p "$build/corpus/$harness" "$build/crashes/$harness"
  seeds="bench/fuzz/corpus/$harness"
  extra=""
  if [ "$harness" = onnx ] && [ -d "$shared" ]; then extra="$shared"; fi
  log="$build/fuzz-$harness.log"
  # -rss_limit_mb: a reader that needs more than 2 GB for one input is a finding too; -timeout: one input taking a
  # minute is one (the instrumented build runs the ONNX importer about ten times slower, more on a loaded machine).
  if nice "$build/bench/fuzz/pipesplit_fuzz_$harness" "$build/corpus/$harness" $seeds $extra \
      -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=60 -print_final_stats=1 \
      -artifact_prefix="$build/crashes/$harness/" > "$log" 2>&1; then
    crashes=0
  else
    crashes=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  echo "fuzz $harness: $runs runs in $seconds s, $crashes crash(es)$( [ $crashes = 0 ] || echo ": see $log and $build/crashes/$harness/")"
done
