// Gives a JS class the shape WebIDL gives an interface object: enumerable operations and attributes,
// the right constructor length, and a `WebAssembly.X` toStringTag on the prototype.

/** Applies WebIDL's property shapes to `cls` (an interface of the WebAssembly namespace). */
export function asWebIdlInterface(cls: { prototype: object; name: string }, length: number): void {
  for (const target of [cls.prototype, cls]) {
    for (const key of Reflect.ownKeys(target)) {
      if (key === 'constructor' || (target === cls && (key === 'prototype' || key === 'length' || key === 'name'))) continue;
      const d = Object.getOwnPropertyDescriptor(target, key)!;
      Object.defineProperty(target, key, { ...d, enumerable: true });
    }
  }
  Object.defineProperty(cls, 'length', { value: length, configurable: true });
  Object.defineProperty(cls.prototype, Symbol.toStringTag, { value: `WebAssembly.${cls.name}`, configurable: true });
}

/** Defines `name` on `target` as WebIDL defines regular operations: writable, enumerable, configurable. */
export function defineOperation(target: object, name: string, fn: (...args: never[]) => unknown, length: number): void {
  Object.defineProperty(fn, 'length', { value: length, configurable: true });
  Object.defineProperty(fn, 'name', { value: name, configurable: true });
  Object.defineProperty(target, name, { value: fn, writable: true, enumerable: true, configurable: true });
}
