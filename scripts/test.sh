#!/usr/bin/env bash
# Set up (scripts/setup.sh: packages, dockerd, build, fixture images), then run every test with ctest.
# Usage: scripts/test.sh [CTEST_ARGS...]     e.g. scripts/test.sh -R Docker      (from any directory)
# This is what .ci/run runs. KFRUN_BUILD_DIR as for setup.sh. A run that finds no test fails (--no-tests=error).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
build_dir=${KFRUN_BUILD_DIR:-build}

"$repo/scripts/setup.sh"
echo "test: ctest --test-dir $build_dir --output-on-failure -j2 $*"
exec ctest --test-dir "$build_dir" --output-on-failure --no-tests=error -j2 "$@"
