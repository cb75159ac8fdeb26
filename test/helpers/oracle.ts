// When Node's own WebAssembly (or node:wasi) cannot be the oracle a side-by-side test compares
// against. The side-by-side tests were written against Node 20's and re-derived against Node 22's,
// 24's and 26's: where those differ, a test expects each Node's own behaviour (`nativeFrom`), so a
// change in either side shows. Node 18's predates parts of the JS API and of the features Node 20
// has, and a Node after 26 has not been looked at; such tests skip there, saying why, and the count
// shows them.

import { growableSharedBuffers } from '../../src/runtime/shared-memory.js';

/** The major version of the Node running the tests. */
export const nodeMajor = Number(process.versions.node.split('.')[0]);

/** The newest Node whose own WebAssembly the side-by-side tests were derived against. */
const NEWEST_ORACLE = 26;

/** A skip reason where Node's own WebAssembly is not one the tests know (Node 20 to 26), else false. */
export function needsKnownOracle(what: string): string | false {
  return nodeMajor >= 20 && nodeMajor <= NEWEST_ORACLE ? false
    : `Node ${process.versions.node}'s own WebAssembly is not the oracle for ${what} (the test knows Node 20's to ${NEWEST_ORACLE}'s); tswasm itself runs here`;
}

/** Whether Node's own WebAssembly is at least Node `major`'s (where a behaviour changed between Nodes). */
export function nativeFrom(major: number): boolean {
  return nodeMajor >= major;
}

/** A skip reason where SharedArrayBuffers cannot grow (before Node 20), else false. */
export function needsGrowableSharedBuffers(what: string): string | false {
  return growableSharedBuffers() ? false
    : `this engine cannot grow a SharedArrayBuffer, so a shared memory's buffer is its maximum length (docs/embedding.md), and ${what} compares lengths`;
}

/** A module whose one function is `return_call 0`. */
const RETURN_CALL = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 6, 1, 4, 0, 18, 0, 11]);

/** A skip reason where Node's own WebAssembly has no return_call (Node 18 without a flag), else false. */
export const needsNativeTailCalls: string | false = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly.validate(RETURN_CALL)
  ? false : `Node ${process.versions.node}'s own WebAssembly has no return_call to compare with`;
