// JS identifiers for generated code: wasm names sanitised into readable, unique function names.

/** `$f12_name`, with everything outside [A-Za-z0-9_] replaced, and long names cut. */
export function funcIdentifier(index: number, name: string | undefined): string {
  if (!name) return `$f${index}`;
  const clean = name.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 40);
  return `$f${index}_${clean}`;
}
