// Which names a printed module can carry as identifiers: those of its name section when
// re-encoding them gives that section back exactly (else the section is printed raw).

import type { ModuleInfo, NameSection } from '../binary/module.js';
import type { RawForms } from './raw-forms.js';
import { encodeNameSection } from './name-section.js';
import { countBlocks } from './print-code.js';

/** The module's names if they can be printed as identifiers and re-encode to the same section. */
export function printableNames(m: ModuleInfo, raw: RawForms): NameSection | null {
  const sections = m.customSections.filter((s) => s.name === 'name');
  if (sections.length !== 1 || m.names === null) return null;
  const last = raw.sections[raw.sections.length - 1];
  // Encoders write generated names last; a name section elsewhere is kept as it is.
  if (last === undefined || last.id !== 0 || last.end !== m.bytes.length || m.customSections[m.customSections.length - 1] !== sections[0]) return null;
  const n = m.names;
  const funcCount = m.funcTypes.length;
  const ok =
    (n.module === null || n.module.length > 0) &&
    validMap(n.functions, funcCount) &&
    validMap(n.types, m.types.length) &&
    validMap(n.tables, m.tables.length) &&
    validMap(n.memories, m.memories.length) &&
    validMap(n.globals, m.globals.length) &&
    validMap(n.elems, m.elems.length) &&
    validMap(n.datas, m.datas.length) &&
    validMap(n.tags, m.tags.length) &&
    validIndirect(n.locals, (f) => localCount(m, f), true) &&
    validIndirect(n.fields, (t) => {
      const ct = m.types[t]?.composite;
      return ct?.kind === 'struct' ? ct.fields.length : -1;
    }, true) &&
    validIndirect(n.labels, (f) => {
      const body = m.codes[f - m.numImportedFuncs];
      return body === undefined ? -1 : countBlocks(m.bytes, body.code.start, body.code.end);
    }, false);
  if (!ok) return null;
  const encoded = encodeNameSection(n);
  const data = sections[0]!.data;
  if (encoded === null || encoded.length !== data.length) return null;
  for (let i = 0; i < data.length; i++) if (encoded[i] !== data[i]) return null;
  return n;
}

function localCount(m: ModuleInfo, f: number): number {
  const body = m.codes[f - m.numImportedFuncs];
  if (body === undefined || f < m.numImportedFuncs) return -1;
  const type = m.types[m.funcTypes[f]!]?.composite;
  const params = type?.kind === 'func' ? type.params.length : 0;
  return params + body.locals.length;
}

function validMap(map: ReadonlyMap<number, string>, count: number, unique = true): boolean {
  const seen = new Set<string>();
  for (const [i, name] of map) {
    if (i >= count || name.length === 0) return false;
    if (unique) {
      if (seen.has(name)) return false;
      seen.add(name);
    }
  }
  return true;
}

function validIndirect(maps: ReadonlyMap<number, ReadonlyMap<number, string>>, count: (outer: number) => number, unique: boolean): boolean {
  for (const [outer, map] of maps) {
    const n = count(outer);
    if (n < 0 || map.size === 0 || !validMap(map, n, unique)) return false;
  }
  return true;
}
