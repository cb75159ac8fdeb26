// printModule: binary module to text that parseWat encodes back to the same bytes. Uses the
// project's decoder (decodeModule) and the opcode table; names come from the name section.

import { decodeModule } from '../binary/decoder.js';
import type { ConstExpr, ModuleInfo, NameSection } from '../binary/module.js';
import { ALL_FEATURES } from '../core/features.js';
import { readRawForms, type LimitsForm, type RawForms } from './raw-forms.js';
import { printableNames } from './print-names.js';
import { printInstructions, type CodeNames } from './print-code.js';
import { subTypeText, valTypeText, type IndexText } from './print-types.js';
import { formatBytes, formatId, formatNameBytes } from './print-values.js';
import { encodeUtf8 } from '../core/utf8.js';

const SECTION_WORDS: Readonly<Record<number, string>> = {
  1: 'type', 2: 'import', 3: 'func', 4: 'table', 5: 'memory', 6: 'global', 7: 'export', 8: 'start',
  9: 'elem', 10: 'code', 11: 'data', 12: 'datacount', 13: 'tag',
};

/** The text of a binary module. Throws the decoder's CompileError when the bytes are malformed. */
export function printModule(bytes: Uint8Array): string {
  const m = decodeModule(bytes, ALL_FEATURES);
  return new Printer(m, readRawForms(bytes), bytes).print();
}

class Printer {
  private readonly lines: string[] = [];
  private readonly names: NameSection | null;

  constructor(private readonly m: ModuleInfo, private readonly raw: RawForms, private readonly bytes: Uint8Array) {
    this.names = printableNames(m, raw);
  }

  /** `$name` for an index with a name in `space`, else the number. */
  private ref(space: keyof NameSection): IndexText {
    const map = this.names?.[space];
    if (!(map instanceof Map) || map.size === 0) return String;
    return (i: number) => {
      const name = (map as Map<number, string>).get(i);
      return name === undefined ? String(i) : formatId(name);
    };
  }

  /** ` $name` to bind at a definition, or ''. */
  private bind(space: keyof NameSection, index: number): string {
    const map = this.names?.[space];
    const name = map instanceof Map ? (map as Map<number, string>).get(index) : undefined;
    return name === undefined ? '' : ' ' + formatId(name);
  }

  private codeNames(funcIndex: number): CodeNames {
    const locals = this.names?.locals.get(funcIndex);
    const labels = this.names?.labels.get(funcIndex);
    const fields = this.names?.fields;
    return {
      type: this.ref('types'), func: this.ref('functions'), table: this.ref('tables'), memory: this.ref('memories'),
      global: this.ref('globals'), tag: this.ref('tags'), elem: this.ref('elems'), data: this.ref('datas'),
      local: (i) => {
        const name = locals?.get(i);
        return name === undefined ? String(i) : formatId(name);
      },
      field: (t, f) => {
        const name = fields?.get(t)?.get(f);
        return name === undefined ? String(f) : formatId(name);
      },
      label: (ordinal) => {
        const name = labels?.get(ordinal);
        return name === undefined ? null : formatId(name);
      },
    };
  }

  print(): string {
    const m = this.m;
    const moduleName = this.names?.module;
    this.lines.push(moduleName ? `(module ${formatId(moduleName)}` : '(module');
    this.types();
    this.imports();
    this.tables();
    this.memories();
    this.tags();
    this.globals();
    this.funcs();
    for (const e of m.exports) {
      const space = ({ func: 'functions', table: 'tables', memory: 'memories', global: 'globals', tag: 'tags' } as const)[e.kind];
      this.lines.push(`  (export ${formatNameBytes(encodeUtf8(e.name)!)} (${e.kind} ${this.ref(space)(e.index)}))`);
    }
    if (m.start !== null) this.lines.push(`  (start ${this.ref('functions')(m.start)})`);
    this.elems();
    this.datas();
    this.customs();
    this.lines.push(')');
    return this.lines.join('\n') + '\n';
  }

  private types(): void {
    const m = this.m;
    const type = this.ref('types');
    const fieldName = (t: number) => (f: number) => {
      const name = this.names?.fields.get(t)?.get(f);
      return name === undefined ? null : formatId(name);
    };
    const typeLine = (t: number) =>
      `(type${this.bind('types', t)} (;${t};) ${subTypeText(m.types[t]!, this.raw.subPrefixed[t] ?? false, type, fieldName(t))})`;
    m.recGroups.forEach((g, i) => {
      if (this.raw.recExplicit[i]) {
        this.lines.push('  (rec');
        for (let t = g.start; t < g.start + g.size; t++) this.lines.push('    ' + typeLine(t));
        this.lines.push('  )');
      } else {
        this.lines.push('  ' + typeLine(g.start));
      }
    });
  }

  private limits(form: LimitsForm): string {
    let s = form.flags & 4 ? ' i64' : '';
    s += ` ${form.min}`;
    if (form.max !== null) s += ` ${form.max}`;
    return s;
  }

  private memoryType(index: number): string {
    const form = this.raw.memories[index]!;
    let s = this.limits(form);
    if (form.flags & 2) s += ' shared';
    if (form.pageLog2 !== null) s += ` (pagesize ${2n ** BigInt(form.pageLog2)})`;
    return s;
  }

  private tableType(index: number): string {
    return `${this.limits(this.raw.tables[index]!)} ${valTypeText(this.m.tables[index]!.element, this.ref('types'))}`;
  }

  private imports(): void {
    const m = this.m;
    const counts = { func: 0, table: 0, memory: 0, global: 0, tag: 0 };
    const type = this.ref('types');
    for (const imp of m.imports) {
      const d = imp.desc;
      const index = counts[d.kind]++;
      let desc: string;
      switch (d.kind) {
        case 'func': {
          const use = `(type ${type(d.typeIndex)})`;
          desc = `(func${this.bind('functions', index)} (;${index};) ${d.exact ? `(exact ${use})` : use})`;
          break;
        }
        case 'table': desc = `(table${this.bind('tables', index)} (;${index};)${this.tableType(index)})`; break;
        case 'memory': desc = `(memory${this.bind('memories', index)} (;${index};)${this.memoryType(index)})`; break;
        case 'global': {
          const t = valTypeText(d.type.type, type);
          desc = `(global${this.bind('globals', index)} (;${index};) ${d.type.mutable ? `(mut ${t})` : t})`;
          break;
        }
        case 'tag': desc = `(tag${this.bind('tags', index)} (;${index};) (type ${type(d.type.typeIndex)}))`; break;
      }
      this.lines.push(`  (import ${formatNameBytes(encodeUtf8(imp.module)!)} ${formatNameBytes(encodeUtf8(imp.name)!)} ${desc})`);
    }
  }

  private constExpr(e: ConstExpr, funcIndex = -1): string {
    const lines: string[] = [];
    printInstructions(this.bytes, e.start, e.end, this.codeNames(funcIndex), lines, '');
    return lines.join(' ');
  }

  private tables(): void {
    const m = this.m;
    m.tableDefs.forEach((t, i) => {
      const index = m.numImportedTables + i;
      const init = t.init === null ? '' : ' ' + this.constExpr(t.init);
      this.lines.push(`  (table${this.bind('tables', index)} (;${index};)${this.tableType(index)}${init})`);
    });
  }

  private memories(): void {
    const m = this.m;
    for (let index = m.numImportedMemories; index < m.memories.length; index++) {
      this.lines.push(`  (memory${this.bind('memories', index)} (;${index};)${this.memoryType(index)})`);
    }
  }

  private tags(): void {
    const m = this.m;
    for (let index = m.numImportedTags; index < m.tags.length; index++) {
      this.lines.push(`  (tag${this.bind('tags', index)} (;${index};) (type ${this.ref('types')(m.tags[index]!.typeIndex)}))`);
    }
  }

  private globals(): void {
    const m = this.m;
    m.globalDefs.forEach((g, i) => {
      const index = m.numImportedGlobals + i;
      const t = valTypeText(g.type.type, this.ref('types'));
      const type = g.type.mutable ? `(mut ${t})` : t;
      this.lines.push(`  (global${this.bind('globals', index)} (;${index};) ${type} ${this.constExpr(g.init)})`);
    });
  }

  private funcs(): void {
    const m = this.m;
    const type = this.ref('types');
    m.codes.forEach((body, i) => {
      const index = m.numImportedFuncs + i;
      const typeIndex = m.funcTypes[index]!;
      const names = this.codeNames(index);
      const localNames = this.names?.locals.get(index);
      let head = `  (func${this.bind('functions', index)} (;${index};) (type ${type(typeIndex)})`;
      const ft = m.types[typeIndex]?.composite;
      let n = 0;
      if (ft?.kind === 'func') {
        // Parameters are restated only to carry their names.
        if (localNames !== undefined && ft.params.some((_, p) => localNames.has(p))) {
          for (const p of ft.params) {
            const name = localNames.get(n);
            head += name === undefined ? ` (param ${valTypeText(p, type)})` : ` (param ${formatId(name)} ${valTypeText(p, type)})`;
            n++;
          }
          if (ft.results.length > 0) head += ` (result ${ft.results.map((t) => valTypeText(t, type)).join(' ')})`;
        }
        n = ft.params.length;
      }
      for (const l of body.locals) {
        const name = localNames?.get(n);
        head += name === undefined ? ` (local ${valTypeText(l, type)})` : ` (local ${formatId(name)} ${valTypeText(l, type)})`;
        n++;
      }
      this.lines.push(head);
      printInstructions(this.bytes, body.code.start, body.code.end, names, this.lines, '    ');
      this.lines.push('  )');
    });
  }

  private elems(): void {
    const m = this.m;
    const type = this.ref('types');
    const func = this.ref('functions');
    m.elems.forEach((e, index) => {
      const flags = this.bytes[e.offsetInModule]!;
      let s = `  (elem${this.bind('elems', index)} (;${index};)`;
      if (e.mode === 'declarative') s += ' declare';
      if (e.mode === 'active') {
        if (flags & 2) s += ` (table ${this.ref('tables')(e.table)})`;
        s += ` (offset ${this.constExpr(e.offset!)})`;
      }
      if (e.funcIndices !== null) {
        s += ' func' + e.funcIndices.map((f) => ' ' + func(f)).join('');
      } else {
        s += ' ' + valTypeText(e.type, type);
        for (const item of e.exprs!) s += ` (item ${this.constExpr(item)})`;
      }
      this.lines.push(s + ')');
    });
  }

  private datas(): void {
    const m = this.m;
    m.datas.forEach((d, index) => {
      let s = `  (data${this.bind('datas', index)} (;${index};)`;
      if (d.mode === 'active') {
        if (d.memory !== 0) s += ` (memory ${this.ref('memories')(d.memory)})`;
        s += ` (offset ${this.constExpr(d.offset!)})`;
      }
      s += ' ' + formatBytes(d.data);
      this.lines.push(s + ')');
    });
  }

  private customs(): void {
    for (const c of this.m.customSections) {
      if (c.name === 'name' && this.names !== null) continue;
      const place = c.after === 0 ? '(before first)' : `(after ${SECTION_WORDS[c.after]})`;
      this.lines.push(`  (@custom ${formatNameBytes(encodeUtf8(c.name)!)} ${place} ${formatBytes(c.data)})`);
    }
  }
}
