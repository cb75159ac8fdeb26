// proc_exit's way out: an exception that unwinds through wasm frames to Wasi.start (or the
// embedder). It is deliberately not a Trap or RuntimeError, so nothing reports it as a crash.

/** Thrown by proc_exit; `code` is the program's exit status. */
export class WasiExit extends Error {
  constructor(/** The program's exit status. */ readonly code: number) {
    super(`wasm program exited with code ${code}`);
  }
}
Object.defineProperty(WasiExit.prototype, 'name', { value: 'WasiExit', writable: true, configurable: true });
