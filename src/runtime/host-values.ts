// Host values (any JS value the JS API lets wasm hold as a reference, or a host function throws) may
// be Proxies: `instanceof` runs a Proxy's getPrototypeOf trap, and throws on a revoked one, where
// native WebAssembly runs no JS code at all. tswasm's own objects are never Proxies.

/** ECMAScript's "is an Object" (functions included): what can be a WeakMap key. */
export function isObject(v: unknown): v is object {
  return (typeof v === 'object' && v !== null) || typeof v === 'function';
}

/**
 * `x instanceof C` for a value that may come from the host: a primitive or function is no instance
 * without asking, and a Proxy whose getPrototypeOf throws (a revoked one does) is not one either.
 */
export function isInstance<T>(x: unknown, C: { readonly prototype: T }): x is T {
  if (typeof x !== 'object' || x === null) return false;
  try {
    return x instanceof (C as unknown as abstract new () => T);
  } catch {
    return false;
  }
}
