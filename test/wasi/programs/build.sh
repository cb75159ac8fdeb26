#!/usr/bin/env bash
# Builds the WASI test programs (*.c here) into wasm32-wasi command modules (*.wasm here), which
# are committed because CI has no clang. Debian bookworm:
#   apt-get install -y clang lld wasi-libc libclang-rt-dev-wasm32
# Output was made with clang 14 and, as clang runs it by itself when it is on PATH, binaryen's
# wasm-opt; without binaryen the modules differ in size but behave the same.
set -euo pipefail
cd "$(dirname "$0")"
CLANG=${CLANG:-clang}
for src in *.c; do
  name=$(basename "$src" .c)
  "$CLANG" --target=wasm32-wasi -Os -Wall -Wextra -Werror -std=c11 -D_GNU_SOURCE \
    -Wl,--strip-debug "$src" -o "$name.wasm"
  printf '%-10s %7d bytes\n' "$name.wasm" "$(wc -c < "$name.wasm")"
done
