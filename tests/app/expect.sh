#!/usr/bin/env bash
# expect.sh EXIT_CODE REGEX [--absent FILE] -- COMMAND...
# Runs COMMAND and passes when it exits with EXIT_CODE, its output (stdout and stderr) matches
# the extended regular expression REGEX, and no FILE given with --absent exists afterwards
# (neither the file nor a leftover temporary beside it).
set -u
expected=$1
pattern=$2
shift 2
absent=()
while [ "$1" != "--" ]; do
  case "$1" in
    --absent) absent+=("$2"); shift 2 ;;
    *) echo "expect.sh: unknown option $1" >&2; exit 99 ;;
  esac
done
shift
for f in "${absent[@]}"; do rm -f "$f"; done
output=$("$@" 2>&1)
code=$?
echo "$output"
if [ "$code" -ne "$expected" ]; then
  echo "expect.sh: exit code $code, expected $expected" >&2
  exit 1
fi
if ! grep -q -E -- "$pattern" <<<"$output"; then
  echo "expect.sh: output does not match /$pattern/" >&2
  exit 1
fi
for f in "${absent[@]}"; do
  dir=$(dirname "$f")
  if [ -e "$f" ] || ls -a "$dir" 2>/dev/null | grep -q -F ".$(basename "$f").tmp."; then
    echo "expect.sh: $f (or its temporary) was left behind" >&2
    exit 1
  fi
done
exit 0
