// The sections of a module being encoded: one writer and entry count per section, plus what
// the name section and the custom-section annotations need.

import { ByteWriter } from './writer.js';

/** Section ids in the order they appear in a module (tags sit between memories and globals). */
export const SECTION_ORDER = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11] as const;
export const SECTION_IDS: Readonly<Record<string, number>> = {
  type: 1, import: 2, func: 3, table: 4, memory: 5, tag: 13, global: 6, export: 7, start: 8,
  elem: 9, datacount: 12, code: 10, data: 11,
};

export class SectionWriter {
  private writer: ByteWriter | null = null;
  count = 0;

  /** The entries written so far (created on first use: most modules use few sections). */
  get body(): ByteWriter {
    return (this.writer ??= new ByteWriter(64));
  }
}

export class ModuleSections {
  readonly types: string[] = [];
  readonly imports = new SectionWriter();
  readonly funcs = new SectionWriter();
  readonly tables = new SectionWriter();
  readonly memories = new SectionWriter();
  readonly tags = new SectionWriter();
  readonly globals = new SectionWriter();
  readonly exports = new SectionWriter();
  start: number | null = null;
  readonly elems = new SectionWriter();
  readonly codes = new SectionWriter();
  readonly datas = new SectionWriter();
  /** Local names per function index; label names per function index. */
  readonly localNames = new Map<number, Map<number, string>>();
  readonly labelNames = new Map<number, Map<number, string>>();
  /** Branch hints per function index: [byte offset in the body, hint]. */
  readonly branchHints = new Map<number, [number, number][]>();
}
