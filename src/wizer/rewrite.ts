// Writes the pre-initialised module: the original bytes, section by section, with the defined
// globals starting at their snapshot values, the memories at their snapshot sizes and contents (one
// active data segment per non-zero region), the original data segments emptied where they no longer
// hold anything (keeping every segment's index, which code refers to), no start function, and the
// exports renamed or removed. Every other section is copied as it is.

import type { Export, ModuleInfo } from '../binary/module.js';
import { Op } from '../binary/op.js';
import { ByteWriter } from '../text/writer.js';
import type { Region } from '../runtime/memory-regions.js';
import { SECTION, writeActiveData, writeMemoryType, writeSection } from '../runtime/state-encoding.js';
import { utf8Bytes } from '../core/utf8.js';

export interface SnapshotPlan {
  /** Per defined global: its new initialiser (without the final `end`), or null to keep the original. */
  readonly globalInits: readonly (Uint8Array | null)[];
  /** Per defined memory: its size now, in pages. */
  readonly memoryPages: readonly number[];
  /** Per defined memory: its non-zero regions. */
  readonly regions: readonly (readonly Region[])[];
  /** Per data segment: whether it is dropped (every active one is, after instantiation). */
  readonly droppedDatas: readonly boolean[];
  /** The exports of the new module. */
  readonly exports: readonly Export[];
}

export function rewriteModule(bytes: Uint8Array, m: ModuleInfo, plan: SnapshotPlan): Uint8Array {
  const out = new ByteWriter(bytes.length + 1024);
  out.bytes(bytes.subarray(0, 8));
  const newSegments = plan.regions.reduce((n, r) => n + r.length, 0);
  const all = sections(bytes);
  const addData = newSegments > 0 && !all.some((s) => s.id === SECTION.data);
  const hasCode = all.some((s) => s.id === SECTION.code);
  for (const { id, at, end: next } of all) {
    const body = bytes.subarray(at, next);
    switch (id) {
      case SECTION.memory: writeSection(out, id, memorySection(m, plan)); break;
      case SECTION.global: writeSection(out, id, globalSection(bytes, at, m, plan)); break;
      case SECTION.export: writeSection(out, id, exportSection(plan.exports)); break;
      case SECTION.start: break;
      case SECTION.dataCount: {
        const w = new ByteWriter();
        w.u32(m.datas.length + newSegments);
        writeSection(out, id, w.toBytes());
        break;
      }
      case SECTION.data: writeSection(out, id, dataSection(bytes, at, next, m, plan)); break;
      default: writeSection(out, id, body);
    }
    // A new data section goes right after the code section (or last, in a module without code).
    if (addData && (id === SECTION.code || (next === bytes.length && !hasCode))) {
      writeSection(out, SECTION.data, dataSection(bytes, next, next, m, plan));
    }
  }
  return out.toBytes();
}

/** A section of a module: its id, where it starts (its id byte), where its contents start and where it ends. */
interface SectionSpan {
  readonly id: number;
  readonly start: number;
  readonly at: number;
  readonly end: number;
}

/** The sections of a module, in order. */
function sections(bytes: Uint8Array): SectionSpan[] {
  const out: SectionSpan[] = [];
  let pos = 8;
  while (pos < bytes.length) {
    const [size, at] = readU32(bytes, pos + 1);
    out.push({ id: bytes[pos]!, start: pos, at, end: at + size });
    pos = at + size;
  }
  return out;
}

/** The module in `bytes` without its start section (the same otherwise, byte for byte). */
export function withoutStart(bytes: Uint8Array): Uint8Array {
  const out = new ByteWriter(bytes.length);
  out.bytes(bytes.subarray(0, 8));
  for (const s of sections(bytes)) if (s.id !== SECTION.start) out.bytes(bytes.subarray(s.start, s.end));
  return out.toBytes();
}

function readU32(bytes: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++]!;
    result += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7;
  }
}

function memorySection(m: ModuleInfo, plan: SnapshotPlan): Uint8Array {
  const w = new ByteWriter();
  const defined = m.memories.slice(m.numImportedMemories);
  w.u32(defined.length);
  defined.forEach((t, i) => writeMemoryType(w, t, plan.memoryPages[i]!));
  return w.toBytes();
}

/** Each global keeps its type's bytes; its initialiser is the snapshot's or the original's. */
function globalSection(bytes: Uint8Array, at: number, m: ModuleInfo, plan: SnapshotPlan): Uint8Array {
  const w = new ByteWriter();
  const [count, first] = readU32(bytes, at);
  let pos = first;
  w.u32(count);
  m.globalDefs.forEach((g, i) => {
    w.bytes(bytes.subarray(pos, g.init.start));
    const init = plan.globalInits[i] ?? bytes.subarray(g.init.start, g.init.end);
    w.bytes(init);
    w.byte(Op.End);
    pos = g.init.end + 1;
  });
  return w.toBytes();
}

const KIND_BYTE = { func: 0, table: 1, memory: 2, global: 3, tag: 4 } as const;

function exportSection(exports: readonly Export[]): Uint8Array {
  const w = new ByteWriter();
  w.u32(exports.length);
  for (const e of exports) {
    w.vec(utf8Bytes(e.name));
    w.byte(KIND_BYTE[e.kind]);
    w.u32(e.index);
  }
  return w.toBytes();
}

/**
 * The original segments (from `at` to `end` in the original bytes) with every dropped one replaced
 * by an empty passive segment, which behaves as a dropped one does (memory.init of zero bytes
 * succeeds, of more traps), then one active segment per non-zero region.
 */
function dataSection(bytes: Uint8Array, at: number, end: number, m: ModuleInfo, plan: SnapshotPlan): Uint8Array {
  const w = new ByteWriter(end - at + 64);
  const defined = m.memories.slice(m.numImportedMemories);
  w.u32(m.datas.length + plan.regions.reduce((n, r) => n + r.length, 0));
  m.datas.forEach((seg, i) => {
    if (plan.droppedDatas[i]) {
      w.byte(0x01);
      w.u32(0);
    } else {
      const segEnd = i + 1 < m.datas.length ? m.datas[i + 1]!.offsetInModule : end;
      w.bytes(bytes.subarray(seg.offsetInModule, segEnd));
    }
  });
  plan.regions.forEach((regions, i) => {
    const memory = m.numImportedMemories + i;
    const address64 = defined[i]!.address64;
    for (const r of regions) writeActiveData(w, memory, address64, r.offset, r.bytes);
  });
  return w.toBytes();
}
