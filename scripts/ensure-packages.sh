#!/usr/bin/env bash
# Make sure the given Debian packages are installed; install only the missing ones.
# Usage: scripts/ensure-packages.sh PKG...
# Idempotent and quick: when every package is installed (checked with dpkg-query) it touches neither apt nor the network.
# `apt-get update` runs only when something is missing and the lists were not refreshed by this script in the last hour
# (stamp: /var/lib/kfrun/apt-updated); a failed install is retried once after an update.
# Recommends are not installed (docker.io would bring needrestart and apparmor, debootstrap gnupg): list what you need.
# Runs without prompts (DEBIAN_FRONTEND=noninteractive, keeps changed config files) and waits for another apt's lock.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 PKG..." >&2; exit 2; }

# One dpkg-query for all (it names unknown packages on stderr and skips them).
declare -A installed=()
while read -r name status; do
  [ "${status:0:2}" = ii ] && installed[$name]=1
done < <(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "$@" 2>/dev/null || true)
missing=()
for pkg in "$@"; do
  [ -n "${installed[$pkg]:-}" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-packages: missing ${missing[*]}; run as root (or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
stamp=/var/lib/kfrun/apt-updated
log=$(mktemp /tmp/kfrun-apt.XXXXXX)
trap 'rm -f "$log"' EXIT
apt_opts=(-y -q -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold
  --no-install-recommends)
# dpkg without an fsync per file: the ~310 packages of a fresh machine install in 60 s instead of 156 s. The cost is a
# package that may need reinstalling after a power cut mid-install; KFRUN_APT_SAFE_IO=1 keeps dpkg's fsyncs.
[ "${KFRUN_APT_SAFE_IO:-0}" = 1 ] || apt_opts+=(-o Dpkg::Options::=--force-unsafe-io)

update() {
  echo "ensure-packages: apt-get update" >&2
  if ! apt-get -q -o DPkg::Lock::Timeout=600 update >"$log" 2>&1; then
    cat "$log" >&2
    echo "ensure-packages: apt-get update failed" >&2
    exit 1
  fi
  mkdir -p "${stamp%/*}" && touch "$stamp"
}
apt_install() { apt-get install "${apt_opts[@]}" "${missing[@]}" >"$log" 2>&1; }

echo "ensure-packages: installing ${#missing[@]} package(s): ${missing[*]}" >&2
if [ -n "$(find "$stamp" -mmin -60 2>/dev/null)" ] && apt_install; then
  exit 0
fi
update
if ! apt_install; then
  tail -n 40 "$log" >&2
  echo "ensure-packages: apt-get install ${missing[*]} failed" >&2
  exit 1
fi
