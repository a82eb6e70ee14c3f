#!/usr/bin/env bash
# kfrun's benchmark suite (issue 7): sets the machine up (scripts/setup.sh: packages, Docker, the
# build, the fixture images), builds the bench binaries, then runs bench/bench.py, which prints a
# table and writes BENCHMARKS.md at the top of the repo. Not part of ctest: nothing here fails a
# build on a slow machine. Takes ~15 min (--quick: ~4 min, fewer rounds, for a smoke test).
# Usage: bench/run.sh [--quick] [--only chain,fanout,cached,planning,artifacts,micro]
#                     [--output FILE] [--keep]          (from any directory; as root, like setup.sh)
# Environment: KFRUN_BUILD_DIR (default build), as for scripts/setup.sh.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
build_dir=${KFRUN_BUILD_DIR:-build}
case $build_dir in /*) ;; *) build_dir=$repo/$build_dir ;; esac

"$repo/scripts/setup.sh"
echo "bench: building raw_api_loop and micro_bench in ${build_dir#"$repo"/}"
cmake -S "$repo" -B "$build_dir" -DKFRUN_BENCH=ON >/dev/null
cmake --build "$build_dir" --target raw_api_loop micro_bench kfrun -j "${KFRUN_JOBS:-$(nproc)}" >/dev/null

exec python3 "$repo/bench/bench.py" --kfrun "$build_dir/src/cli/kfrun" \
  --raw-loop "$build_dir/bench/raw_api_loop" --micro "$build_dir/bench/micro_bench" \
  --output "$repo/BENCHMARKS.md" "$@"
