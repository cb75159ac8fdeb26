// The rules a memory type must satisfy, shared by the validator (a module's memories) and the API
// (memories made by the host), so both refuse the same types with the same words.

import type { MemoryType } from '../core/types.js';

/** What is wrong with a memory type, or null when it is valid. */
export function memoryTypeProblem(t: MemoryType): string | null {
  if (t.pageSizeLog2 !== 16 && t.pageSizeLog2 !== 0) return 'invalid custom page size';
  const bytesLog2 = t.address64 ? 64 : 32;
  // With a custom page size the limit is 2^32-1 (2^64-1) bytes, following the proposal's interpreter.
  const maxPages = t.pageSizeLog2 === 16 ? 2 ** (bytesLog2 - 16) : t.address64 ? Infinity : 0xffffffff;
  const what = t.address64
    ? (t.pageSizeLog2 === 16 ? 'memory size must be at most 2^48 pages (256 TiB)' : 'memory size must be at most 2^64 - 1 bytes for i64')
    : (t.pageSizeLog2 === 16 ? 'memory size must be at most 65536 pages (4GiB)' : 'memory size must be at most 2^32 - 1 bytes for i32');
  const { min, max } = t.limits;
  if (min > maxPages) return what;
  if (max !== null) {
    if (max > maxPages) return what;
    if (min > max) return 'size minimum must not be greater than maximum';
  }
  if (t.shared && max === null) return 'shared memory must have maximum';
  return null;
}
