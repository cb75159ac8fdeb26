// One public handle per runtime object and store, so handles compare by identity.

import type { Store } from './store.js';

const cache = new WeakMap<object, { store: Store; handle: unknown }>();

export function handleFor<H>(store: Store, raw: object, make: () => H): H {
  const c = cache.get(raw);
  if (c !== undefined && c.store === store) return c.handle as H;
  const handle = make();
  if (c === undefined) cache.set(raw, { store, handle });
  return handle;
}
