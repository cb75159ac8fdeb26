#!/usr/bin/env bash
# Builds trap.c with DWARF debug info into the modules the backtrace tests read (committed, since
# CI has no clang). Debian bookworm: apt-get install -y clang lld. Made with clang 14.
# -fdebug-prefix-map keeps this folder's path out of the debug info.
set -euo pipefail
cd "$(dirname "$0")"
CLANG=${CLANG:-clang}
common=(--target=wasm32 -nostdlib -Wl,--no-entry "-fdebug-prefix-map=$PWD=.")
"$CLANG" "${common[@]}" -gdwarf-4 -O0 trap.c -o trap-dwarf4.wasm
"$CLANG" "${common[@]}" -gdwarf-5 -O0 trap.c -o trap-dwarf5.wasm
"$CLANG" "${common[@]}" -gdwarf-4 -O2 trap.c -o trap-dwarf4-O2.wasm
"$CLANG" "${common[@]}" -gdwarf-5 -O2 trap.c -o trap-dwarf5-O2.wasm
"$CLANG" "${common[@]}" -O0 trap.c -o trap-nodebug.wasm
# relative.c includes inc/load.h through -Iinc: the line table names the header's directory
# relative to the unit's, which -fdebug-prefix-map makes /src/proj.
rel=(--target=wasm32 -nostdlib -Wl,--no-entry -Iinc "-fdebug-prefix-map=$PWD=/src/proj" -O0)
"$CLANG" "${rel[@]}" -gdwarf-4 relative.c -o relative-dwarf4.wasm
"$CLANG" "${rel[@]}" -gdwarf-5 relative.c -o relative-dwarf5.wasm
wc -c *.wasm
