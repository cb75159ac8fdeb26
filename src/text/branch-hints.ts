// Branch hints: `(@metadata.code.branch_hint "\00"|"\01")` before an `if` or `br_if`, encoded
// (as wasm-tools does) into a "metadata.code.branch_hint" custom section before the code.

import type { Annotation, Tokens } from './tokens.js';
import { T } from './tokens.js';
import { syntaxError, type WatSyntaxError } from './errors.js';
import { decodeStringToken } from './strings.js';
import { ByteWriter } from './writer.js';

export const BRANCH_HINT = 'metadata.code.branch_hint';

export class BranchHints {
  private readonly byPosition = new Map<number, Annotation>();
  private readonly used = new Set<Annotation>();

  constructor(private readonly tokens: Tokens) {
    for (const a of tokens.annotations) {
      if (a.name !== BRANCH_HINT) continue;
      if (this.byPosition.has(a.before)) throw this.errorAt(a.start, 'duplicate annotation');
      this.byPosition.set(a.before, a);
    }
  }

  get size(): number {
    return this.byPosition.size;
  }

  /** The hint standing before main token `at` (0 or 1), or -1; marks it used. */
  take(at: number): number {
    const a = this.byPosition.get(at);
    if (a === undefined) return -1;
    this.used.add(a);
    const t = this.tokens.annotTokens;
    if (a.last - a.first !== 1 || t.kind[a.first] !== T.String) throw this.errorAt(a.start, 'malformed hint');
    const bytes = decodeStringToken(this.tokens.text, t.start[a.first]!, t.end[a.first]!);
    if (bytes.length !== 1 || bytes[0]! > 1) throw this.errorAt(a.start, 'malformed hint');
    return bytes[0]!;
  }

  /** The error for a hint standing before main token `at` on an instruction that is not a branch. */
  invalidTarget(at: number): WatSyntaxError {
    return this.errorAt(this.byPosition.get(at)!.start, 'invalid target');
  }

  /** Fails on hints that no instruction in a function took. */
  checkAllUsed(): void {
    for (const a of this.byPosition.values()) if (!this.used.has(a)) throw this.errorAt(a.start, 'not in a function');
  }

  private errorAt(offset: number, what: string): WatSyntaxError {
    return syntaxError(this.tokens, offset, `@${BRANCH_HINT} annotation: ${what}`);
  }
}

/** The custom section's contents: per function (ascending), its hints by offset. */
export function encodeBranchHints(hints: ReadonlyMap<number, readonly [number, number][]>): Uint8Array {
  const w = new ByteWriter(64);
  const funcs = [...hints].sort((a, b) => a[0] - b[0]);
  w.u32(funcs.length);
  for (const [func, list] of funcs) {
    const sorted = [...list].sort((a, b) => a[0] - b[0]);
    w.u32(func);
    w.u32(sorted.length);
    for (const [offset, value] of sorted) {
      w.u32(offset);
      w.u32(1);
      w.byte(value);
    }
  }
  return w.toBytes();
}
