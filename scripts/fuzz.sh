#!/usr/bin/env bash
# Runs kfrun's libFuzzer targets (docs/fuzzing.md) at low priority, one after the other, and
# prints each one's executions, exec/s and wall time. Build them first:
#   CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DKFRUN_FUZZ=ON -DKFRUN_BENCH=OFF
#   cmake --build build-fuzz --target kfrun_fuzz
# Usage: scripts/fuzz.sh [-r RUNS] [-b BUILD_DIR] [-n NICE] [TARGET...]
#        (default: 1,000,000 runs of every target, at nice 19)
# New inputs go to BUILD_DIR/fuzz/run/<target>; crashes to BUILD_DIR/fuzz/crashes/<target>.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=1000000
build="$repo/build-fuzz"
niceness=19
while getopts "r:b:n:" opt; do
  case $opt in
    r) runs=$OPTARG ;;
    b) build=$(cd "$OPTARG" && pwd) ;;
    n) niceness=$OPTARG ;;
    *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
fuzz="$build/fuzz"
# tar_ingest and argo_package write files for every input (a store, a package): keep them in
# memory, not on the disk (fsync).
if [ -z "${TMPDIR:-}" ] && [ -w /dev/shm ]; then
  export TMPDIR=/dev/shm
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(argo_workflow argo_package component_spec test_file placeholder when_expression
           depends_expression loop_items tar_ingest kfp_outputs report_viewer cel_expression kfp_ir)
fi
# Read the smoke test's options (-max_len, -dict, ...) from ctest, so both agree.
options_of() {
  ctest --test-dir "$build" -R "^fuzz\.$1\$" --show-only=json-v1 |
    python3 -c 'import json,sys; t=json.load(sys.stdin)["tests"][0]["command"]; print("\n".join(a for a in t if a.startswith("-") and "=" in a and not a.startswith("-runs=")))'
}
for target in "${targets[@]}"; do
  mkdir -p "$fuzz/run/$target" "$fuzz/crashes/$target"
  mapfile -t options < <(options_of "$target")
  corpora=("$fuzz/corpus/$target")
  [ -d "$repo/fuzz/corpus/$target" ] && corpora+=("$repo/fuzz/corpus/$target")
  log="$fuzz/crashes/$target/fuzz.log"
  start=$(date +%s)
  status=0
  nice -n "$niceness" "$fuzz/fuzz_$target" "${options[@]}" -runs="$runs" -print_final_stats=1 \
    -artifact_prefix="$fuzz/crashes/$target/" "$fuzz/run/$target" "${corpora[@]}" \
    >"$log" 2>&1 || status=$?
  seconds=$(( $(date +%s) - start ))
  executed=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  echo "$target: exit $status, $executed executions, $speed exec/s, ${seconds}s (log $log)"
done
