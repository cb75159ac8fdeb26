// The non-zero regions of a memory, as the data segments of a snapshot: runs of non-zero bytes, with
// short runs of zeros between them kept inside one segment (a segment costs about 8 bytes of header).

export interface Region {
  readonly offset: number;
  readonly bytes: Uint8Array;
}

/** At most this many segments per memory: the JS API limits a module to 100,000 data segments. */
const MAX_SEGMENTS = 10_000;

/** Non-zero regions of `memory`; zero gaps shorter than `gap` bytes do not split a region. */
export function nonZeroRegions(memory: Uint8Array, gap = 16): Region[] {
  for (;;) {
    const regions = scan(memory, gap);
    if (regions.length <= MAX_SEGMENTS) return regions;
    gap *= 4;
  }
}

function scan(memory: Uint8Array, gap: number): Region[] {
  const out: Region[] = [];
  const n = memory.length;
  let i = 0;
  while (i < n) {
    while (i < n && memory[i] === 0) i++;
    if (i === n) break;
    const start = i;
    let end = i;
    // Extend while the next non-zero byte is within `gap` of the last one.
    while (i < n) {
      if (memory[i] !== 0) {
        end = i + 1;
        i++;
      } else if (i - end >= gap) {
        break;
      } else {
        i++;
      }
    }
    out.push({ offset: start, bytes: memory.slice(start, end) });
    i = end;
  }
  return out;
}
