#!/bin/sh
# Makes the man page kfrun.1.gz from kfrun's own --help and --version with help2man; the sections
# of TEMPLATE (help2man's include format) are added, and a COMMANDS section with every
# subcommand's --help, nested ones too (`kfrun runs list`), found in the "Subcommands:" lists.
# Usage: packaging/man_page.sh KFRUN HELP2MAN TEMPLATE OUTPUT.1.gz     (run by the build)
set -eu
kfrun=$1 help2man=$2 template=$3 output=$4
bindir=$(cd "$(dirname "$kfrun")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Run as `kfrun` (found on PATH), so the help says "Usage: kfrun ...", not the build path.
run_kfrun() { PATH="$bindir:$PATH" kfrun "$@"; }

# Text as roff: backslashes written \e, a leading . or ' made harmless.
roff_text() { sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }
subcommands_of() {
  run_kfrun "$@" --help | awk '/^Subcommands:/ { on = 1; next } on && !/^ / { on = 0 } on && /^  [a-z]/ { sub(/,$/, "", $1); print $1 }'
}
section() {
  echo ".SS \"kfrun $*\""
  echo ".nf"
  run_kfrun "$@" --help | roff_text
  echo ".fi"
  [ $# -lt 3 ] || return 0 # kfrun's commands nest two deep (`kfrun runs list`)
  for sub in $(subcommands_of "$@"); do
    section "$@" "$sub"
  done
}

{
  cat "$template"
  echo
  echo "[COMMANDS]"
  echo "Each command's own help, as \\fBkfrun COMMAND --help\\fR prints it."
  for sub in $(subcommands_of); do
    section "$sub"
  done
} >"$work/kfrun.h2m"
PATH="$bindir:$PATH" "$help2man" --no-info --section=1 \
  --name="run compiled Kubeflow Pipelines on the local Docker daemon" \
  --include="$work/kfrun.h2m" --output="$work/kfrun.1" kfrun
gzip -9n -c "$work/kfrun.1" >"$output.tmp"
mv "$output.tmp" "$output"
