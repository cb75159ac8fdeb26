#!/bin/sh
# Rebuilds simd.wasm from simd.c (clang 14 with lld; `apt-get install -y clang lld`).
set -e
cd "$(dirname "$0")"
clang --target=wasm32 -msimd128 -O2 -nostdlib -Wl,--no-entry -Wl,--export=run -o simd.wasm simd.c
