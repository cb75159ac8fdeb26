// Whether a value is a promise (or any thenable): what async host functions, async limiters and
// suspended calls hand over to be awaited.

/** True for a promise or any object or function with a callable `then`. */
export function isThenable(x: unknown): x is PromiseLike<unknown> {
  return (typeof x === 'object' || typeof x === 'function') && x !== null && typeof (x as { then?: unknown }).then === 'function';
}
