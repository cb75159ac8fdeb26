// Whether a value is a promise (or any thenable): what async host functions, async limiters and
// suspended calls hand over to be awaited.

/** True for a promise or any object or function with a callable `then`. */
export function isThenable(x: unknown): x is PromiseLike<unknown> {
  return (typeof x === 'object' || typeof x === 'function') && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

/** Lets go of a promise nothing will await: its rejection, if any, must not surface as unhandled. */
export function dropPromise(p: PromiseLike<unknown>): void {
  p.then(undefined, () => {});
}

/** Refuses a promise met where nothing can wait for it: drops it and throws an Error saying `why`. */
export function refusePromise(p: PromiseLike<unknown>, why: string): never {
  dropPromise(p);
  throw new Error(why);
}
