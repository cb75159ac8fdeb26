// Maps the source URL of every generated factory back to its module's function names, so a JS
// stack trace through generated code can be read as a wasm backtrace.

export interface CodeInfo {
  readonly moduleName: string | null;
  readonly funcNames: ReadonlyMap<number, string>;
}

let nextId = 0;
const byId = new Map<number, CodeInfo>();

/** Registers a module's names; returns the sourceURL its generated factory must carry. */
export function registerCode(info: CodeInfo): { id: number; url: string } {
  const id = nextId++;
  byId.set(id, info);
  return { id, url: `tswasm-module-${id}.js` };
}

export function codeInfo(id: number): CodeInfo | undefined {
  return byId.get(id);
}
