#!/usr/bin/env bash
# The Debian package on a fresh Debian 12 (label "package"): `cpack -G DEB` in the build folder
# makes kfrun_<version>_amd64.deb; a container of kfrun-fixtures/debian:12 (minimal Debian, no
# compiler; fixtures/images/build-debian.sh makes it) installs it with `apt-get install ./….deb`
# from the apt mirror, then runs the example pipeline against this machine's Docker daemon, and
# finds the man page and the bash completion where the package put them.
# The container reaches the daemon through its socket; kfrun's data folder is a temp folder
# mounted at the same path in the container, so the bind mounts kfrun asks the daemon for
# (inputs from its scratch folder) name paths that exist on this machine too.
# Usage: package_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$(cd "${1:?source dir}" && pwd)
build=$(cd "${2:?build dir}" && pwd)
image=kfrun-fixtures/debian:12
name=kfrun-package-test-$$
work=$(mktemp -d /tmp/kfrun-package-test.XXXXXX)
cleanup() {
  docker rm -f "$name" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "package_test: FAIL: $*" >&2
  exit 1
}
test_start=$SECONDS
step() { echo "package_test: [$((SECONDS - test_start)) s] $*"; }
# A sanitized build (docs/sanitizers.md) runs in the container with the options it has here; a
# suppressions file named in them is copied to where the container sees it.
sanitizer_env=()
for var in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS TSAN_OPTIONS; do
  value=${!var:-}
  [ -n "$value" ] || continue
  if [[ $value =~ suppressions=([^:]+) ]]; then
    cp "${BASH_REMATCH[1]}" "$work/$var.supp"
    value=${value/"${BASH_REMATCH[1]}"/"$work/$var.supp"}
  fi
  sanitizer_env+=(-e "$var=$value")
done
# Runs a command in the container, its output in LOG, shown when it fails.
in_container() {
  local log=$work/$1.log
  shift
  docker exec "${sanitizer_env[@]}" -e DEBIAN_FRONTEND=noninteractive -e XDG_DATA_HOME="$work/data" \
    -e XDG_CACHE_HOME="$work/cache" -w "$work/example" "$name" "$@" >"$log" 2>&1 || {
    tail -n 40 "$log" >&2
    fail "in the container: $* (above: the end of its output)"
  }
}

step "cpack -G DEB in $build"
(cd "$build" && cpack -G DEB -B "$work/deb") >"$work/cpack.log" 2>&1 || {
  cat "$work/cpack.log" >&2
  fail "cpack -G DEB failed"
}
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
deb=$work/deb/kfrun_${version}_amd64.deb
[ -f "$deb" ] || fail "no $deb (cpack made: $(ls "$work/deb"))"

step "contents of ${deb##*/}"
contents=$(dpkg-deb -c "$deb" | awk '{ print $6 }')
for path in ./usr/bin/kfrun ./usr/share/man/man1/kfrun.1.gz \
  ./usr/share/bash-completion/completions/kfrun ./usr/share/zsh/vendor-completions/_kfrun \
  ./usr/share/fish/vendor_completions.d/kfrun.fish ./usr/share/doc/kfrun/README.md \
  ./usr/share/doc/kfrun/examples/train-evaluate.yaml; do
  grep -qxF "$path" <<<"$contents" || fail "the package has no $path"
done
! grep -q '\.kfrun\.yaml$' <<<"$contents" || fail "the package has the checkout's .kfrun.yaml"

# kfrun is the only program; no test binary, no library, nothing outside /usr.
extra=$(grep -v '/$' <<<"$contents" | grep -v -e '^\./usr/share/' -e '^\./usr/bin/kfrun$' || true)
[ -z "$extra" ] || fail "the package installs more than kfrun and its data: $extra"
depends=$(dpkg-deb -f "$deb" Depends)
for library in libc6 libstdc++6 libarchive13 libgvc6 libssl3 libyaml-cpp0.7; do
  grep -q "\\b$library\\b" <<<"$depends" || fail "Depends lacks $library: $depends"
done
[ "$(dpkg-deb -f "$deb" Recommends)" = "docker.io | docker-ce" ] ||
  fail "Recommends is '$(dpkg-deb -f "$deb" Recommends)', not 'docker.io | docker-ce'"

step "the fresh Debian 12 image ($image)"
"$src/fixtures/images/build-debian.sh" >"$work/image.log" 2>&1 || {
  cat "$work/image.log" >&2
  fail "fixtures/images/build-debian.sh failed"
}

# The example is the one the package installed; its images map to the fixture images.
mkdir -p "$work/example" "$work/data" "$work/cache"
cp "$src/fixtures/image-map.txt" "$work/example/"
socket=/var/run/docker.sock
case ${DOCKER_HOST:-} in unix://*) socket=${DOCKER_HOST#unix://} ;; esac
docker run -d --name "$name" -v "$socket:/var/run/docker.sock" -v "$work:$work" "$image" \
  sleep infinity >/dev/null

step "apt-get install ${deb##*/} (a fresh system: no compiler)"
in_container probe sh -c '! command -v cc && ! command -v c++ && ! command -v kfrun'
in_container apt-update apt-get update
step "apt-get install -y ${deb##*/} (with its Recommends, as a user's apt does)"
in_container apt-install apt-get install -y "$deb"
in_container version kfrun --version
[ "$(cat "$work/version.log")" = "kfrun $version" ] ||
  fail "kfrun --version says '$(cat "$work/version.log")', not 'kfrun $version'"

step "kfrun run /usr/share/doc/kfrun/examples/train-evaluate.yaml in the container"
in_container run kfrun run --no-color /usr/share/doc/kfrun/examples/train-evaluate.yaml \
  --image-map-file image-map.txt
ls "$work"/data/kfrun/runs/*/report.json >/dev/null 2>&1 ||
  fail "the run wrote no report.json under $work/data/kfrun/runs (its output: $(tail -n 5 "$work/run.log"))"

step "man page and completions"
in_container man sh -c 'gzip -t /usr/share/man/man1/kfrun.1.gz && zcat /usr/share/man/man1/kfrun.1.gz | grep -q "^\.TH KFRUN \"1\""'
in_container completion bash -c 'source /usr/share/bash-completion/completions/kfrun &&
  COMP_WORDS=(kfrun ru) COMP_CWORD=1 && _kfrun && echo "${COMPREPLY[*]}"'
[ "$(tr ' ' '\n' <"$work/completion.log" | sort | tr '\n' ' ')" = "run run-component runs " ] ||
  fail "the installed bash completion offers '$(cat "$work/completion.log")' for 'kfrun ru'"
in_container completion-command sh -c 'kfrun completion bash | grep -q "^complete -F _kfrun kfrun"'
step "all passed"
