#!/usr/bin/env bash
# build_probe.sh BUILD_DIR TARGET fail|build HEADER
# fail:  the target must not compile, because HEADER is not on its include path.
# build: the target must compile.
set -u
out=$(cmake --build "$1" --target "$2" 2>&1)
status=$?
case "$3" in
  fail)
    if [ $status -eq 0 ]; then echo "$2 compiled, but it should not see $4"; exit 1; fi
    if ! grep -q "$4: No such file or directory" <<<"$out"; then
      echo "$2 failed for another reason than the missing $4:"; echo "$out"; exit 1
    fi
    echo "$2: $4 is out of reach, as it should be" ;;
  build)
    if [ $status -ne 0 ]; then echo "$2 did not compile:"; echo "$out"; exit 1; fi
    echo "$2 compiles" ;;
esac
