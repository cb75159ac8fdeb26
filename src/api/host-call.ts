// The embedding API calls host functions' implementations through these, and wasm reaches a host
// function through a function named tswasm$hostEntry (api/boundary.ts): a JS stack then shows
// where tswasm's own code of a host call begins and ends, and a presented stack
// (runtime/traps.ts scanStack) leaves those lines out, as V8 shows no lines of its own between a
// host function and its wasm caller. The names are the markers: a bundler that renames them only
// leaves those lines in.

/* eslint-disable @typescript-eslint/no-explicit-any */

/** `f(a)`. */
export function tswasm$callHost<A, R>(f: (a: A) => R, a: A): R {
  return f(a);
}

/** `f(a, b)`. */
export function tswasm$callHost2<A, B, R>(f: (a: A, b: B) => R, a: A, b: B): R {
  return f(a, b);
}

/** `f(...args)`. */
export function tswasm$callHostSpread<R>(f: (...args: any[]) => R, args: readonly unknown[]): R {
  return f(...args);
}
