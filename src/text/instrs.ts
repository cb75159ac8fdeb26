// Instruction sequences, flat and folded, parsed straight into bytecode. Driven by the opcode
// table; iterative (an explicit frame stack), so deeply nested code cannot overflow the JS stack.

import { Imm, opsByName, type OpInfo } from '../binary/opcodes.js';
import type { ModuleContext } from './context.js';
import { T } from './tokens.js';
import { ByteWriter, writeBinary } from './writer.js';
import { lebS } from './leb.js';
import { parseTypeUse } from './typeuse.js';
import { parseHeapType, parseRefType, parseValType } from './valtypes.js';
import { parseImmediate } from './immediates.js';

const enum Frame {
  Root,
  /** `(op immediates operands...)`: the op's bytes wait in `pending` until its `)`. */
  FoldedPlain,
  /** `(block ...)`, `(loop ...)`, `(try_table ...)`. */
  FoldedBlock,
  /** `(if label bt conditions... (then ...)`: before `(then`. */
  FoldedIfCond,
  FoldedThen,
  FoldedElse,
  /** Legacy `(try label bt (do ...) (catch x ...)* (catch_all ...)?)` between its parts. */
  FoldedTry,
  FoldedTryPart,
  FlatBlock,
  FlatIf,
  FlatTry,
}

interface FrameState {
  kind: Frame;
  /** Bytes to emit when the frame closes (folded plain) or opens its body (folded if). */
  pending: Uint8Array | null;
  /** The label this frame binds, when it has a block; undefined for frames without one. */
  label: string | null | undefined;
  /** The `if`'s `else` was seen; a try's `catch_all` was seen. */
  seenElse: boolean;
  /** Token index where the frame started, for errors. */
  at: number;
  /** A branch hint for the instruction this frame emits late (folded `if`, folded `br_if`), or -1. */
  hint?: number;
}

/** Mnemonics with a block structure handled here rather than by the immediate table. */
const BLOCK_OPENERS = new Set(['block', 'loop', 'if', 'try_table', 'try']);
/** Words that only continue or end a block; never instructions on their own. */
const STRUCTURAL = new Set(['else', 'end', 'catch', 'catch_all', 'delegate', 'then', 'do']);

export class InstrParser {
  /** The label stack, innermost last. */
  private readonly labels: (string | null)[] = [];
  /** For each label name, the stack positions that bind it (innermost last): O(1) lookups. */
  private readonly labelPositions = new Map<string, number[]>();
  /** Label names by block ordinal, for the name section. */
  readonly labelNames = new Map<number, string>();
  /** Branch hints: byte offset of the hinted instruction in the body, and the hint. */
  readonly hints: [number, number][] = [];
  private blockOrdinal = 0;

  constructor(
    readonly ctx: ModuleContext,
    readonly out: ByteWriter,
    /** Local identifiers, or null in constant expressions. */
    readonly localIds: ReadonlyMap<string, number> | null,
  ) {}

  /**
   * Parses instructions up to (not including) the `)` that closes the enclosing group; with
   * `single`, exactly one folded instruction instead.
   */
  parseSequence(single = false): void {
    const c = this.ctx.c;
    const frames: FrameState[] = [{ kind: Frame.Root, pending: null, label: undefined, seenElse: false, at: c.pos }];
    if (single) {
      if (c.kind[c.pos] !== T.LParen) throw c.unexpected(c.pos, 'a folded instruction');
      this.foldedStart(frames);
    }
    for (;;) {
      if (single && frames.length === 1) return;
      const k = c.kind[c.pos];
      if (k === T.LParen) {
        this.foldedStart(frames);
      } else if (k === T.RParen) {
        if (this.closeFolded(frames)) return;
      } else if (k === T.Keyword) {
        this.flat(frames);
      } else {
        throw c.unexpected(c.pos, frames.length > 1 && frames[frames.length - 1]!.kind >= Frame.FlatBlock ? 'an instruction or "end"' : 'an instruction or ")"');
      }
    }
  }

  private emitOp(op: OpInfo): void {
    const out = this.out;
    if (op.prefix === 0) out.byte(op.sub);
    else {
      out.byte(op.prefix);
      out.u32(op.sub);
    }
  }

  private ops(i: number): readonly OpInfo[] {
    const c = this.ctx.c;
    const ops = opsByName(c.tokenText(i));
    if (ops === undefined || STRUCTURAL.has(c.tokenText(i))) throw c.unexpected(i, 'an instruction');
    return ops;
  }

  private pushLabel(label: string | null): void {
    if (label !== null) {
      const positions = this.labelPositions.get(label);
      if (positions) positions.push(this.labels.length);
      else this.labelPositions.set(label, [this.labels.length]);
    }
    this.labels.push(label);
    if (label !== null) this.labelNames.set(this.blockOrdinal, label);
    this.blockOrdinal++;
  }

  /** Parses a block type into its encoding: empty, one value type, or a type index. */
  private blockType(): string {
    const ctx = this.ctx;
    const use = parseTypeUse(ctx, false, false);
    if (use.explicit) return lebS(use.index);
    if (use.params.length === 0 && use.results.length === 0) return '\x40';
    if (use.params.length === 0 && use.results.length === 1) return use.results[0]!;
    return lebS(ctx.funcTypeIndex(use.params, use.results));
  }

  private popLabel(): void {
    const label = this.labels.pop();
    if (label !== null && label !== undefined) this.labelPositions.get(label)!.pop();
  }

  /** Resolves a label index at the cursor. */
  label(): number {
    const c = this.ctx.c;
    const i = c.pos;
    if (c.kind[i] === T.Id) {
      const positions = this.labelPositions.get(c.idName(i));
      if (positions !== undefined && positions.length > 0) {
        c.pos++;
        return this.labels.length - 1 - positions[positions.length - 1]!;
      }
      throw c.error(i, 'unknown label', `unknown label ${c.tokenText(i)}`);
    }
    return c.u32('a label');
  }

  /** Resolves a local index at the cursor. */
  local(): number {
    const c = this.ctx.c;
    const i = c.pos;
    if (c.kind[i] === T.Id) {
      const v = this.localIds?.get(c.idName(i));
      if (v === undefined) throw c.error(i, 'unknown local', `unknown local ${c.tokenText(i)}`);
      c.pos++;
      return v;
    }
    return c.u32('a local index');
  }

  /** `end $l?` / `else $l?`: an identifier after them must repeat the block's label. */
  private checkEndLabel(frame: FrameState): void {
    const c = this.ctx.c;
    if (c.kind[c.pos] !== T.Id) return;
    const id = c.idName(c.pos);
    if (frame.label !== id) throw c.error(c.pos, 'mismatching label', `mismatching label ${c.tokenText(c.pos)}`);
    c.pos++;
  }

  private flat(frames: FrameState[]): void {
    const c = this.ctx.c;
    const i = c.pos;
    const top = frames[frames.length - 1]!;
    if (top.kind === Frame.FoldedIfCond) throw c.unexpected(i, '"(then"');
    const name = c.tokenText(i);
    switch (name) {
      case 'end': {
        if (top.kind !== Frame.FlatBlock && top.kind !== Frame.FlatIf && top.kind !== Frame.FlatTry) {
          throw c.unexpected(i, 'an instruction');
        }
        c.pos++;
        this.checkEndLabel(top);
        this.out.byte(0x0b);
        this.popLabel();
        frames.pop();
        return;
      }
      case 'else': {
        if (top.kind !== Frame.FlatIf || top.seenElse) throw c.unexpected(i, 'an instruction');
        c.pos++;
        this.checkEndLabel(top);
        top.seenElse = true;
        this.out.byte(0x05);
        return;
      }
      case 'catch':
      case 'catch_all': {
        if (top.kind !== Frame.FlatTry || top.seenElse) throw c.unexpected(i, 'an instruction');
        c.pos++;
        if (name === 'catch') {
          this.out.byte(0x07);
          this.out.u32(this.ctx.index(this.ctx.tags));
        } else {
          this.out.byte(0x19);
          top.seenElse = true;
        }
        return;
      }
      case 'delegate': {
        if (top.kind !== Frame.FlatTry) throw c.unexpected(i, 'an instruction');
        c.pos++;
        // The delegate's label is resolved outside the try block.
        this.popLabel();
        this.out.byte(0x18);
        this.out.u32(this.label());
        frames.pop();
        return;
      }
    }
    const hint = this.takeHint(i, name);
    if (hint >= 0) this.hints.push([this.out.length, hint]);
    if (BLOCK_OPENERS.has(name)) {
      c.pos++;
      frames.push(this.blockHeader(name, i, false));
      return;
    }
    c.pos++;
    this.plain(this.ops(i), i);
  }

  /**
   * The branch hint annotated on the instruction at token `at`, or -1. A hint on an instruction
   * other than `if` and `br_if` is refused ("invalid target", as the reference interpreter does;
   * wasm-tools would encode it into a section the hint cannot apply to).
   */
  private takeHint(at: number, name: string): number {
    const hints = this.ctx.branchHints;
    if (hints.size === 0 || this.localIds === null) return -1;
    const hint = hints.take(at);
    if (hint >= 0 && name !== 'if' && name !== 'br_if') throw hints.invalidTarget(at);
    return hint;
  }

  /** Parses a block instruction's label, type (and catches) and emits its header. */
  private blockHeader(name: string, at: number, folded: boolean): FrameState {
    const c = this.ctx.c;
    const label = c.optId();
    const out = this.out;
    switch (name) {
      case 'block':
      case 'loop': {
        const bt = this.blockType();
        out.byte(name === 'block' ? 0x02 : 0x03);
        writeBinary(out, bt);
        this.pushLabel(label);
        return { kind: folded ? Frame.FoldedBlock : Frame.FlatBlock, pending: null, label, seenElse: false, at };
      }
      case 'if': {
        const bt = this.blockType();
        if (folded) {
          const mark = out.length;
          out.byte(0x04);
          writeBinary(out, bt);
          return { kind: Frame.FoldedIfCond, pending: out.cut(mark), label, seenElse: false, at };
        }
        out.byte(0x04);
        writeBinary(out, bt);
        this.pushLabel(label);
        return { kind: Frame.FlatIf, pending: null, label, seenElse: false, at };
      }
      case 'try_table': {
        const bt = this.blockType();
        out.byte(0x1f);
        writeBinary(out, bt);
        this.catchClauses();
        this.pushLabel(label);
        return { kind: folded ? Frame.FoldedBlock : Frame.FlatBlock, pending: null, label, seenElse: false, at };
      }
      default: { // legacy try
        const bt = this.blockType();
        out.byte(0x06);
        writeBinary(out, bt);
        this.pushLabel(label);
        if (folded) {
          c.expectLParen('"(do"');
          c.expectKw('do');
          return { kind: Frame.FoldedTry, pending: null, label, seenElse: false, at };
        }
        return { kind: Frame.FlatTry, pending: null, label, seenElse: false, at };
      }
    }
  }

  private catchClauses(): void {
    const c = this.ctx.c;
    const clauses = new ByteWriter(16);
    let count = 0;
    for (;;) {
      let code: number;
      if (c.atOpen('catch')) code = 0;
      else if (c.atOpen('catch_ref')) code = 1;
      else if (c.atOpen('catch_all')) code = 2;
      else if (c.atOpen('catch_all_ref')) code = 3;
      else break;
      c.pos += 2;
      clauses.byte(code);
      if (code < 2) clauses.u32(this.ctx.index(this.ctx.tags));
      clauses.u32(this.label());
      c.expectRParen();
      count++;
    }
    this.out.u32(count);
    this.out.bytes(clauses.buf.subarray(0, clauses.length));
  }

  private foldedStart(frames: FrameState[]): void {
    const c = this.ctx.c;
    const top = frames[frames.length - 1]!;
    const at = c.pos;
    if (top.kind === Frame.FoldedIfCond) {
      if (c.isKw(at + 1, 'then')) {
        c.pos += 2;
        if (top.hint !== undefined && top.hint >= 0) this.hints.push([this.out.length, top.hint]);
        this.out.bytes(top.pending!);
        top.pending = null;
        this.pushLabel(top.label ?? null);
        top.kind = Frame.FoldedThen;
        return;
      }
    }
    if (c.kind[at + 1] !== T.Keyword) throw c.unexpected(at + 1, 'an instruction');
    const name = c.tokenText(at + 1);
    const hint = this.takeHint(at, name);
    if (BLOCK_OPENERS.has(name)) {
      c.pos += 2;
      const frame = this.blockHeader(name, at, true);
      frame.hint = hint;
      frames.push(frame);
      return;
    }
    const ops = this.ops(at + 1);
    c.pos += 2;
    const mark = this.out.length;
    this.plain(ops, at + 1);
    if (c.kind[c.pos] === T.RParen) {
      if (hint >= 0) this.hints.push([mark, hint]);
      c.pos++;
      return;
    }
    frames.push({ kind: Frame.FoldedPlain, pending: this.out.cut(mark), label: undefined, seenElse: false, at, hint });
  }

  /** Handles a `)`: closes the innermost folded frame; true when it closes the whole sequence. */
  private closeFolded(frames: FrameState[]): boolean {
    const c = this.ctx.c;
    const top = frames[frames.length - 1]!;
    const at = c.pos;
    switch (top.kind) {
      case Frame.Root:
        return true;
      case Frame.FoldedPlain:
        c.pos++;
        if (top.hint !== undefined && top.hint >= 0) this.hints.push([this.out.length, top.hint]);
        this.out.bytes(top.pending!);
        frames.pop();
        return false;
      case Frame.FoldedBlock:
        c.pos++;
        this.out.byte(0x0b);
        this.popLabel();
        frames.pop();
        return false;
      case Frame.FoldedIfCond:
        throw c.unexpected(at, '"(then"');
      case Frame.FoldedThen:
        c.pos++;
        if (c.atOpen('else')) {
          c.pos += 2;
          this.out.byte(0x05);
          top.kind = Frame.FoldedElse;
          return false;
        }
        this.closeIf(frames);
        return false;
      case Frame.FoldedElse:
        c.pos++;
        this.closeIf(frames);
        return false;
      case Frame.FoldedTry:
      case Frame.FoldedTryPart:
        c.pos++;
        this.tryPart(frames, top);
        return false;
      default:
        throw c.unexpected(at, '"end"');
    }
  }

  private closeIf(frames: FrameState[]): void {
    const c = this.ctx.c;
    c.expectRParen();
    this.out.byte(0x0b);
    this.popLabel();
    frames.pop();
  }

  /** After `(do ...)` or a catch of a folded legacy try: the next catch, a delegate or the end. */
  private tryPart(frames: FrameState[], top: FrameState): void {
    const c = this.ctx.c;
    const out = this.out;
    if (!top.seenElse && c.atOpen('catch')) {
      c.pos += 2;
      out.byte(0x07);
      out.u32(this.ctx.index(this.ctx.tags));
      top.kind = Frame.FoldedTryPart;
      return;
    }
    if (!top.seenElse && c.atOpen('catch_all')) {
      c.pos += 2;
      out.byte(0x19);
      top.seenElse = true;
      top.kind = Frame.FoldedTryPart;
      return;
    }
    if (top.kind === Frame.FoldedTry && c.atOpen('delegate')) {
      c.pos += 2;
      this.popLabel();
      out.byte(0x18);
      out.u32(this.label());
      c.expectRParen();
      c.expectRParen();
      frames.pop();
      return;
    }
    c.expectRParen();
    out.byte(0x0b);
    this.popLabel();
    frames.pop();
  }

  /** Parses a plain instruction's immediates (the mnemonic at `at` is consumed) and emits it. */
  private plain(ops: readonly OpInfo[], at: number): void {
    const ctx = this.ctx;
    const c = ctx.c;
    let op = ops[0]!;
    if (ops.length > 1) {
      switch (op.imm) {
        case Imm.None: // select vs select with types
          if (c.atOpen('result')) {
            op = ops[1]!;
            const types: string[] = [];
            while (c.atOpen('result')) {
              c.pos += 2;
              while (c.kind[c.pos] !== T.RParen) types.push(parseValType(ctx));
              c.expectRParen();
            }
            this.emitOp(op);
            this.out.u32(types.length);
            for (const t of types) writeBinary(this.out, t);
            return;
          }
          break;
        case Imm.CastType: {
          const rt = parseRefType(ctx);
          this.emitOp(rt.nullable ? ops[1]! : op);
          writeBinary(this.out, rt.heap);
          return;
        }
      }
    }
    if (BLOCK_OPENERS.has(op.name) || op.imm === Imm.TryTable) throw c.unexpected(at, 'an instruction');
    switch (op.imm) {
      case Imm.None:
        this.emitOp(op);
        return;
      case Imm.Label:
        this.emitOp(op);
        this.out.u32(this.label());
        return;
      case Imm.Local:
        this.emitOp(op);
        this.out.u32(this.local());
        return;
      case Imm.BrTable: {
        const targets: number[] = [];
        while (c.kind[c.pos] === T.Id || c.isNat(c.pos)) targets.push(this.label());
        if (targets.length === 0) throw c.unexpected(c.pos, 'a label');
        this.emitOp(op);
        this.out.u32(targets.length - 1);
        for (const t of targets) this.out.u32(t);
        return;
      }
      case Imm.CallIndirect: {
        const table = ctx.optIndex(ctx.tables);
        const use = parseTypeUse(ctx, false);
        this.emitOp(op);
        this.out.u32(use.index);
        this.out.u32(table);
        return;
      }
      case Imm.HeapType:
        this.emitOp(op);
        writeBinary(this.out, parseHeapType(ctx));
        return;
      case Imm.BrOnCast: {
        const label = this.label();
        const rt1 = parseRefType(ctx);
        const rt2 = parseRefType(ctx);
        this.emitOp(op);
        this.out.byte((rt1.nullable ? 1 : 0) | (rt2.nullable ? 2 : 0));
        this.out.u32(label);
        writeBinary(this.out, rt1.heap);
        writeBinary(this.out, rt2.heap);
        return;
      }
      case Imm.CastType: {
        const rt = parseRefType(ctx);
        this.emitOp(op);
        writeBinary(this.out, rt.heap);
        return;
      }
      default:
        this.emitOp(op);
        parseImmediate(ctx, op, this.out);
    }
  }
}
