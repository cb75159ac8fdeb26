// Encodes a "name" custom section (module, function, local, label, type, table, memory, global,
// elem, data, field and tag names), in the subsection order wasm-tools writes.

import type { NameSection } from '../binary/module.js';
import { ByteWriter } from './writer.js';
import { appendUtf8 } from '../core/utf8.js';

/** The section's contents, or null when there is no name at all. */
export function encodeNameSection(names: NameSection): Uint8Array | null {
  const out = new ByteWriter(256);
  const sub = (id: number, write: (w: ByteWriter) => void) => {
    const w = new ByteWriter(64);
    write(w);
    out.byte(id);
    out.u32(w.length);
    out.bytes(w.buf.subarray(0, w.length));
  };
  const moduleName = names.module;
  if (moduleName !== null) sub(0, (w) => writeName(w, moduleName));
  if (names.functions.size > 0) sub(1, (w) => nameMap(w, names.functions));
  if (hasNames(names.locals)) sub(2, (w) => indirectMap(w, names.locals));
  if (hasNames(names.labels)) sub(3, (w) => indirectMap(w, names.labels));
  const direct: [number, ReadonlyMap<number, string>][] = [
    [4, names.types], [5, names.tables], [6, names.memories], [7, names.globals], [8, names.elems], [9, names.datas],
  ];
  for (const [id, map] of direct) if (map.size > 0) sub(id, (w) => nameMap(w, map));
  if (hasNames(names.fields)) sub(10, (w) => indirectMap(w, names.fields));
  if (names.tags.size > 0) sub(11, (w) => nameMap(w, names.tags));
  return out.length === 0 ? null : out.toBytes();
}

function hasNames(maps: ReadonlyMap<number, ReadonlyMap<number, string>>): boolean {
  for (const m of maps.values()) if (m.size > 0) return true;
  return false;
}

function writeName(w: ByteWriter, s: string): void {
  const bytes: number[] = [];
  appendUtf8(bytes, s);
  w.vec(bytes);
}

function nameMap(w: ByteWriter, names: ReadonlyMap<number, string>): void {
  const sorted = [...names].sort((a, b) => a[0] - b[0]);
  w.u32(sorted.length);
  for (const [i, n] of sorted) {
    w.u32(i);
    writeName(w, n);
  }
}

function indirectMap(w: ByteWriter, maps: ReadonlyMap<number, ReadonlyMap<number, string>>): void {
  const sorted = [...maps].filter(([, m]) => m.size > 0).sort((a, b) => a[0] - b[0]);
  w.u32(sorted.length);
  for (const [i, m] of sorted) {
    w.u32(i);
    nameMap(w, m);
  }
}
