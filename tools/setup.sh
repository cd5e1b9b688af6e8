#!/usr/bin/env bash
# The README's two set-up commands, on a fresh Debian 12 machine as root:
#
#   bash tools/setup.sh run    install dependencies, build (Release), run the default job
#   bash tools/setup.sh test   install dependencies, build, run the whole test suite (CTest),
#                              then the sanitizer build's tests and a short fuzz pass
#                              (tools/sanitize.sh test)
#
# Both are idempotent: a second call only rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-}
if [ "$mode" != run ] && [ "$mode" != test ]; then
  echo "usage: bash tools/setup.sh run|test" >&2
  exit 2
fi

bash tools/install-deps.sh
jobs=$(nproc)
cmake --preset release >/dev/null
# Progress lines hidden; warnings and errors shown. A failed build stops here, so the
# tests never run against a stale binary.
build_status=0
cmake --build --preset release -j "$jobs" 2>&1 | { grep -v -E '^\[ *[0-9]+%\]' || true; } \
  || build_status=$?
if [ "$build_status" -ne 0 ]; then echo "build failed" >&2; exit 1; fi

# Open MPI refuses to run as root without these; harmless otherwise.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

case "$mode" in
  run)
    exec bash jobs/default.sh
    ;;
  test)
    ctest --preset release -j "$jobs"
    exec bash tools/sanitize.sh test
    ;;
esac
