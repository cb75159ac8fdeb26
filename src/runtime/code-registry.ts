// Maps the source URL of every generated factory back to its module's function names, so a JS
// stack trace through generated code can be read as a wasm backtrace.

export interface CodeInfo {
  readonly moduleName: string | null;
  readonly funcNames: ReadonlyMap<number, string>;
}

let nextId = 0;
const byId = new Map<number, CodeInfo>();
/** Forgets a module's names once the object holding its compiled code is collected. */
const forget = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<number>((id) => byId.delete(id)) : null;

/**
 * Registers a module's names for as long as `owner` (the object holding the module's compiled
 * code, which every instance reaches through its module) lives; returns the sourceURL its
 * generated code must carry. Without the owner, a host compiling a module per request kept
 * every module's names forever.
 */
export function registerCode(info: CodeInfo, owner: object): { id: number; url: string } {
  const id = nextId++;
  byId.set(id, info);
  forget?.register(owner, id);
  return { id, url: `tswasm-module-${id}.js` };
}

/** How many modules' names are registered (for tests). */
export function registeredCodeCount(): number {
  return byId.size;
}

export function codeInfo(id: number): CodeInfo | undefined {
  return byId.get(id);
}
