#!/usr/bin/env bash
# Set up (scripts/setup.sh --kfrun-only: packages, dockerd, the kfrun target alone, the fixture images), then run the
# example pipeline with kfrun on the local Docker daemon. scripts/test.sh builds the rest (the tests).
# Usage: scripts/demo.sh [KFRUN_RUN_ARGS...]      (from any directory)
#   KFRUN_DEMO_EXAMPLE picks another compiled pipeline (default: examples/train-evaluate.yaml, relative to the repo).
# Public images cannot be pulled here (no registry), so the pipeline's images are mapped to the local fixture images.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

example=${KFRUN_DEMO_EXAMPLE:-examples/train-evaluate.yaml}
kfrun=${KFRUN_BUILD_DIR:-build}/src/cli/kfrun
# python:*, busybox, alpine, bash → the fixture images (fixtures/images/).
image_map=(--image-map-file fixtures/image-map.txt)

"$repo/scripts/setup.sh" --kfrun-only
if [ ! -x "$kfrun" ]; then
  echo "demo: $kfrun was not built: the kfrun CLI (src/cli) is not there yet, or its target is named differently" >&2
  exit 1
fi
if [ ! -f "$example" ]; then
  echo "demo: no example pipeline at $example (set KFRUN_DEMO_EXAMPLE to a compiled pipeline YAML)" >&2
  exit 1
fi
echo "demo:$(printf ' %q' "$kfrun" run "$example" "${image_map[@]}" "$@")"
exec "$kfrun" run "$example" "${image_map[@]}" "$@"
