#!/usr/bin/env bash
# Set-up shared by scripts/test.sh and scripts/demo.sh (and so by .ci/run). As root on Debian 12:
#   1. packages  install the missing Debian packages (dpkg-query first; apt-get update only when one is missing)
#   2. docker    make sure a Docker Engine answers (scripts/ensure-docker.sh: installs docker.io, starts dockerd)
#   3. build     configure with CMake + Ninja into build/ and build every target: kfrun, the tests, the man page
#                (RelWithDebInfo unless KFRUN_BUILD_TYPE); --kfrun-only builds just kfrun (what scripts/demo.sh runs)
#   4. images    build the fixture images (fixtures/images/build-all.sh), each skipped when present; this step runs
#                alongside the build (it mostly waits on the mirror and dpkg, the build on the compiler)
# Usage: scripts/setup.sh [--no-build] [--no-images] [--kfrun-only]     (from any directory)
# Every step is skipped or quick when already done: a second run takes a few seconds.
# Environment: KFRUN_BUILD_DIR (default build), KFRUN_BUILD_TYPE, KFRUN_JOBS (default nproc), KFRUN_VERBOSE=1 (show the
# full configure and build output).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

usage() { sed -n '2,13s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
do_build=1
do_images=1
build_targets=()
for arg in "$@"; do
  case $arg in
    --no-build) do_build=0 ;;
    --no-images) do_images=0 ;;
    --kfrun-only) build_targets=(--target kfrun) ;;
    -h | --help) usage; exit 0 ;;
    *) echo "setup: unknown option $arg" >&2; usage >&2; exit 2 ;;
  esac
done

packages=(
  # C++ toolchain and libraries (shared/research/deps.md)
  cmake g++ make ninja-build ccache pkg-config libc6-dev
  libboost-dev libyaml-cpp-dev nlohmann-json3-dev librocksdb-dev libspdlog-dev libfmt-dev libssl-dev
  libarchive-dev libcli11-dev libgtest-dev libgmock-dev libbenchmark-dev
  libre2-dev  # when/=~ and test-file regexes: Go's RE2 syntax, no backtracking recursion
  libmd4c-dev libmd4c-html0-dev libgraphviz-dev
  chromium  # headless browser for tests/integration/report (report.html rendered, DOM checked, screenshot)
  help2man dpkg-dev file  # the man page (from kfrun --help) and `cpack -G DEB` (dpkg-shlibdeps, file): docs/install.md
  zsh fish  # tests/integration/package: the completion scripts run in each shell
  # Docker Engine and what ensure-docker.sh and the fixture images use
  docker.io curl ca-certificates git busybox-static debootstrap debian-archive-keyring
  python3 time  # bench/run.sh: the benchmark driver, and GNU time for peak RSS
  # remote daemons (tests/integration/remote): certificates for a TLS dockerd, sshd for ssh://
  openssl openssh-client openssh-server
  iproute2  # `ip link`: the bridge of the tests' own second dockerd (remote daemons, daemon restart)
  docker-registry apache2-utils  # the registry-auth tests: a registry on 127.0.0.1, htpasswd -B
)
build_dir=${KFRUN_BUILD_DIR:-build}
case $build_dir in /*) ;; *) build_dir=$repo/$build_dir ;; esac
export DEBIAN_FRONTEND=noninteractive

now_ms() { local t=${EPOCHREALTIME//[!0-9]/}; echo $((t / 1000)); }
secs() { local ms=$1; printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100)); }
setup_start=$(now_ms)
step=
step_start=0
begin() { step=$1; step_start=$(now_ms); echo "setup: $step: $2"; }
done_step() { echo "setup: $step: ${1:-ok} ($(secs $(($(now_ms) - step_start))))"; step=; }
images_pid=
on_exit() {
  local rc=$?
  if [ $rc -ne 0 ] && [ -n "$step" ]; then
    echo "setup: FAILED in step '$step' (exit $rc) after $(secs $(($(now_ms) - step_start)))" >&2
  fi
  # Never leave the fixture images half-built behind us (their scripts clean up when they end).
  if [ -n "$images_pid" ] && kill -0 "$images_pid" 2>/dev/null; then
    echo "setup: waiting for the fixture images step to end" >&2
    wait "$images_pid" || true
  fi
}
trap on_exit EXIT

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -E "$@"
  else
    echo "setup: '$*' needs root (and sudo is not installed)" >&2
    return 1
  fi
}

# Runs a command with its output in LOG; shows the output when it fails (from ninja's first FAILED: line, if any).
quiet() {
  local log=$1
  shift
  if [ "${KFRUN_VERBOSE:-0}" = 1 ]; then
    "$@" 2>&1 | tee "$log"
    return "${PIPESTATUS[0]}"
  fi
  local rc=0
  "$@" >"$log" 2>&1 || rc=$?
  [ $rc -ne 0 ] || return 0
  if grep -q '^FAILED: ' "$log"; then
    sed -n '/^FAILED: /,$p' "$log" | head -n 400 >&2
  else
    tail -n 60 "$log" >&2
  fi
  echo "setup: full output: $log" >&2
  return $rc
}

begin packages "${#packages[@]} Debian packages"
as_root "$repo/scripts/ensure-packages.sh" "${packages[@]}"
done_step

begin docker "Docker Engine"
as_root "$repo/scripts/ensure-docker.sh"
done_step "ok, engine $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?')"

# The fixture images build in the background while the compiler runs; their step reports after the build.
if [ $do_images = 1 ] && [ $do_build = 1 ]; then
  mkdir -p "$build_dir"
  images_log=$build_dir/setup-images.log
  echo "setup: images: fixture images, alongside the build (log ${images_log#"$repo"/})"
  images_start=$(now_ms)
  as_root "$repo/fixtures/images/build-all.sh" >"$images_log" 2>&1 &
  images_pid=$!
fi

if [ $do_build = 1 ]; then
  begin build "cmake + ninja in ${build_dir#"$repo"/}${build_targets:+ (kfrun only)}"
  mkdir -p "$build_dir"
  cache=$build_dir/CMakeCache.txt
  # A build dir made by another generator or for another checkout (a copied tree) cannot be reused: start it afresh.
  if [ -f "$cache" ] && { ! grep -qx 'CMAKE_GENERATOR:INTERNAL=Ninja' "$cache" ||
    ! grep -qx "CMAKE_HOME_DIRECTORY:INTERNAL=$repo" "$cache"; }; then
    echo "setup: build: $cache is for another generator or source tree; configuring afresh"
    rm -rf "$cache" "$build_dir/CMakeFiles"
  fi
  # Configure every time (about a second): tests/CMakeLists.txt globs test folders, which ninja alone would not notice.
  cmake_args=(-S "$repo" -B "$build_dir" -G Ninja)
  [ -z "${KFRUN_BUILD_TYPE:-}" ] || cmake_args+=("-DCMAKE_BUILD_TYPE=$KFRUN_BUILD_TYPE")
  quiet "$build_dir/setup-configure.log" cmake "${cmake_args[@]}"
  quiet "$build_dir/setup-build.log" cmake --build "$build_dir" -j "${KFRUN_JOBS:-$(nproc)}" "${build_targets[@]}"
  edges=$(grep -c '^\[[1-9][0-9]*/' "$build_dir/setup-build.log" || true)
  done_step "ok, $([ "$edges" = 0 ] && echo 'up to date' || echo "$edges steps run")"
fi

if [ -n "$images_pid" ]; then
  step=images
  step_start=$images_start
  rc=0
  wait "$images_pid" || rc=$?
  images_pid=
  sed 's/^/  /' "$images_log"
  [ $rc = 0 ] || exit $rc
  done_step
elif [ $do_images = 1 ]; then
  begin images "fixture images"
  as_root "$repo/fixtures/images/build-all.sh"
  done_step
fi

echo "setup: done in $(secs $(($(now_ms) - setup_start)))"
