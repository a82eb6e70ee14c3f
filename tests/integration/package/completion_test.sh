#!/usr/bin/env bash
# `kfrun completion bash|zsh|fish` in the real shells (label "completion"; no Docker).
#   bash: the script is sourced and its function called as bash's completion would call it.
#   fish: `complete -C` asks fish itself what it would offer.
#   zsh:  the script must parse (`zsh -n`), and with zsh's completion builtins replaced by
#         functions that print what they are given, `kfrun ru<TAB>` must offer the same.
# Usage: completion_test.sh KFRUN
set -euo pipefail
kfrun=${1:?kfrun binary}
failures=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# expect NAME EXPECTED ACTUAL: the words of each, sorted, must be equal.
expect() {
  local want got
  want=$(tr ' ' '\n' <<<"$2" | sed '/^$/d' | sort | tr '\n' ' ')
  got=$(tr ' \t' '\n\n' <<<"$3" | sed '/^$/d' | sort | tr '\n' ' ')
  if [ "$want" = "$got" ]; then
    echo "ok: $1: $got"
  else
    echo "FAIL: $1: expected [$want], got [$got]" >&2
    failures=$((failures + 1))
  fi
}

"$kfrun" completion bash >"$work/kfrun.bash"
"$kfrun" completion zsh >"$work/_kfrun"
"$kfrun" completion fish >"$work/kfrun.fish"

# bash: COMP_WORDS/COMP_CWORD as bash sets them for the line up to the cursor.
bash_complete() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _kfrun; echo "${COMPREPLY[*]}"' \
    _ "$work/kfrun.bash" "$@"
}
expect "bash: kfrun ru" "run runs run-component" "$(bash_complete kfrun ru)"
expect "bash: kfrun run --par" "--parallelism --parameter-file --parameter" "$(bash_complete kfrun run --par)"
expect "bash: kfrun runs s" "show" "$(bash_complete kfrun runs s)"
expect "bash: kfrun runs l" "list ls" "$(bash_complete kfrun runs l)"
expect "bash: kfrun runs ls --exp (an alias)" "--experiment" "$(bash_complete kfrun runs ls --exp)"
expect "bash: kfrun run --network" "pod bridge none host" "$(bash_complete kfrun run --network '')"
expect "bash: kfrun completion" "bash zsh fish" "$(bash_complete kfrun completion '')"
# PIPELINE arguments and file-valued flags complete as file names.
mkdir "$work/files"
touch "$work/files/pipeline.yaml" "$work/files/params.yaml"
expect "bash: kfrun run <file>" "$work/files/pipeline.yaml" "$(bash_complete kfrun run "$work/files/pi")"
expect "bash: kfrun run --parameter-file <file>" "$work/files/params.yaml" \
  "$(bash_complete kfrun run --parameter-file "$work/files/pa")"
expect "bash: complete -p" "complete -F _kfrun kfrun" "$(bash -c 'source "$1"; complete -p kfrun' _ "$work/kfrun.bash")"

if command -v fish >/dev/null 2>&1; then
  fish -n "$work/kfrun.fish" || { echo "FAIL: fish -n" >&2; failures=$((failures + 1)); }
  fish_complete() { fish -c 'source $argv[1]; complete -C $argv[2]' "$work/kfrun.fish" "$1" | cut -f1; }
  expect "fish: kfrun ru" "run runs run-component" "$(fish_complete 'kfrun ru')"
  expect "fish: kfrun run --par" "--parallelism --parameter-file --parameter" "$(fish_complete 'kfrun run --par')"
  expect "fish: kfrun runs s" "show" "$(fish_complete 'kfrun runs s')"
  expect "fish: kfrun runs ls --exp (an alias)" "--experiment" "$(fish_complete 'kfrun runs ls --exp')"
  expect "fish: kfrun run --network " "pod bridge none host" "$(fish_complete 'kfrun run --network ')"
else
  echo "FAIL: fish is not installed (scripts/setup.sh installs it)" >&2
  failures=$((failures + 1))
fi

if command -v zsh >/dev/null 2>&1; then
  zsh -n "$work/_kfrun" || { echo "FAIL: zsh -n" >&2; failures=$((failures + 1)); }
  # _describe/compadd/_files stand-ins print the words offered; `words` and CURRENT as zsh sets them.
  zsh_complete() {
    zsh -f -c '
      compdef() { :; }
      _describe() { local name; for name in ${(P)4}; do print -r -- "${name%%:*}"; done; }
      compadd() { [[ $1 == -- ]] && shift; print -rl -- "$@"; }
      _files() { print -r -- "<files>"; }
      source "$1"; shift
      words=("$@"); CURRENT=$#
      _kfrun' _ "$work/_kfrun" "$@" | tr '\n' ' '
  }
  expect "zsh: kfrun ru" "run runs run-component" "$(zsh_complete kfrun ru | tr ' ' '\n' | grep '^ru' | tr '\n' ' ')"
  expect "zsh: kfrun run --par" "--parallelism --parameter-file --parameter" \
    "$(zsh_complete kfrun run --par | tr ' ' '\n' | grep '^--par' | tr '\n' ' ')"
  expect "zsh: kfrun runs ls --exp (an alias)" "--experiment" \
    "$(zsh_complete kfrun runs ls --exp | tr ' ' '\n' | grep '^--exp' | tr '\n' ' ')"
  expect "zsh: kfrun run --network" "pod bridge none host" "$(zsh_complete kfrun run --network '')"
  expect "zsh: kfrun run <file>" "<files>" "$(zsh_complete kfrun run '')"
else
  echo "FAIL: zsh is not installed (scripts/setup.sh installs it)" >&2
  failures=$((failures + 1))
fi

[ $failures = 0 ] || { echo "completion_test: $failures failure(s)" >&2; exit 1; }
echo "completion_test: all passed"
