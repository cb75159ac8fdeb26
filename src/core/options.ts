// Options objects given to tswasm (Config, Wasi, createWebAssembly): a misspelt option would
// otherwise be ignored silently (a `consume_fuel` would run untrusted code without fuel).

/**
 * Throws a TypeError unless `options` is an object whose every key is one of `known`: "`subject`
 * must be an object", or "`where`: unknown option ...".
 */
export function checkOptionNames(options: unknown, known: readonly string[], where: string, subject: string): void {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${subject} must be an object`);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new TypeError(`${where}: unknown option "${key}" (known: ${known.join(', ')})`);
  }
}
