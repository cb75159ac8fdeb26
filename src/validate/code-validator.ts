// The function-body validator: one pass over the instruction bytes that checks the binary encoding
// the decoder skipped (opcodes, immediates, END) and types every instruction (spec appendix algorithm).

import type { WasmFeatures } from '../core/features.js';
import {
  FUNCREF, I32, I64, V128, isNumType, isRef, refType,
  type FuncType, type ValType,
} from '../core/types.js';
import type { ConstExpr, ModuleInfo } from '../binary/module.js';
import { opEnabled, readMemArg, readOpcode, type MemArg } from '../binary/instructions.js';
import { ADDR, Imm, isPrefix, opByByte, type OpInfo } from '../binary/opcodes.js';
import { Op } from '../binary/op.js';
import { BLOCK_EMPTY, BLOCK_TYPE_INDEX } from '../binary/reader.js';
import { BodyState, EMPTY, Frame } from './body-state.js';
import { BOT, type ModuleTypes } from './module-types.js';
import { validateGcInstr } from './gc-instructions.js';
import { validateExceptionInstr } from './exception-instructions.js';
import { isConstInstr } from './const-instructions.js';

const MAX_U32 = 0xffffffff;

export class CodeValidator extends BodyState {
  private readonly memArg: MemArg = { memory: 0, align: 0, offset: 0 };
  private readonly singleResults = new Map<ValType, readonly ValType[]>();
  /** Functions that ref.func may name in bodies (C.refs). */
  declaredFuncs: Uint8Array = new Uint8Array(0);
  /** 1 for every validated function that makes a tail call (return_call, _indirect or _ref). */
  readonly tailCallers: Uint8Array;
  /** 1 for every table an instruction writes (table.set, grow, fill, init, or copy into it). */
  readonly writtenTables: Uint8Array;
  /** The function being validated, or -1 in a constant expression. */
  private func = -1;
  /** In a constant expression: how many globals global.get may name (else -1). */
  private constGlobals = -1;

  /** The enabled one-byte instructions by opcode byte (prefix bytes and others undefined). */
  private readonly oneByte: (OpInfo | undefined)[];
  /** The address type of each memory. */
  private readonly memoryAddrs: Int32Array;

  constructor(module: ModuleInfo, types: ModuleTypes, features: WasmFeatures) {
    super(module, types, features);
    this.memoryAddrs = Int32Array.from(module.memories, (m) => (m.address64 ? I64 : I32));
    this.tailCallers = new Uint8Array(module.funcTypes.length);
    this.writtenTables = new Uint8Array(module.tables.length);
    this.oneByte = [];
    for (let b = 0; b < 256; b++) {
      const op = isPrefix(b) ? undefined : opByByte(b);
      this.oneByte.push(op !== undefined && opEnabled(op, features) ? op : undefined);
    }
  }

  /** Validates the body of defined function `index` (an index into the function space). */
  validateFunction(index: number): void {
    const m = this.module;
    const body = m.codes[index - m.numImportedFuncs]!;
    const type = this.types.func(m.funcTypes[index]!)!;
    this.where = `in function ${index}`;
    this.func = index;
    for (const t of body.locals) this.checkValType(t, body.offset);
    this.setLocals(type.params, body.locals);
    this.constGlobals = -1;
    const r = this.r;
    r.pos = body.code.start;
    r.end = body.code.end;
    this.vh = 0;
    this.ch = 0;
    this.pushFrame(Frame.Function, EMPTY, type.results);
    this.run();
    if (r.pos !== body.code.end) this.malformed('section size mismatch', r.pos);
  }

  /**
   * Validates a constant expression of result type `type`; `globals` is how many globals it may
   * read (those before it, for a global's initialiser).
   */
  validateConstExpr(expr: ConstExpr, type: ValType, globals: number, where: string): void {
    this.where = `in ${where}`;
    this.func = -1;
    this.setLocals(EMPTY, EMPTY);
    this.constGlobals = globals;
    const r = this.r;
    r.pos = expr.start;
    r.end = expr.end + 1;
    this.vh = 0;
    this.ch = 0;
    this.pushFrame(Frame.Const, EMPTY, this.single(type));
    this.run();
  }

  private single(t: ValType): readonly ValType[] {
    let a = this.singleResults.get(t);
    if (a === undefined) {
      a = [t];
      this.singleResults.set(t, a);
    }
    return a;
  }

  /** Runs until the outermost frame ends. */
  private run(): void {
    const r = this.r;
    const bytes = r.bytes;
    const features = this.features;
    const oneByte = this.oneByte;
    while (this.ch > 0) {
      const at = r.pos;
      if (at >= r.end) this.missingEnd(at);
      this.opAt = at;
      // One-byte opcodes of enabled features are looked up directly; the rest (prefixes, illegal
      // or disabled opcodes) go through readOpcode, which also reports the errors.
      let op = oneByte[bytes[at]!];
      if (op !== undefined) r.pos = at + 1;
      else op = readOpcode(r, features);
      if (this.constGlobals >= 0 && !isConstInstr(op.code, features.extended_const)) this.fail('constant expression required');
      // The two most frequent instructions (about 40% of real code) skip the generic paths.
      if (op.code === Op.LocalGet) this.localGet(r.u32());
      else if (op.code === Op.I32Const) {
        r.s32();
        this.push(I32);
      } else if (op.params !== null) this.simple(op);
      else this.instr(op);
    }
  }

  /**
   * A body ran out of bytes with blocks still open. The reference interpreter reads on past the
   * body, so its message depends on what follows; we report the same messages.
   */
  private missingEnd(at: number): never {
    const bytes = this.r.bytes;
    if (at >= bytes.length) this.malformed('unexpected end of section or function', at);
    if (bytes[at] === Op.End) this.malformed('section size mismatch', at);
    return this.malformed('END opcode expected', at);
  }

  // Instructions with a fixed signature in the opcode table

  private simple(op: OpInfo): void {
    const r = this.r;
    let addr = I32;
    switch (op.imm) {
      case Imm.None: break;
      case Imm.I32: r.s32(); break;
      case Imm.I64: r.s64(); break;
      case Imm.F32: r.skip(4); break;
      case Imm.F64: r.skip(8); break;
      case Imm.V128: r.skip(16); break;
      case Imm.MemArg: addr = this.memarg(op); break;
      case Imm.MemArgLane: addr = this.memarg(op); this.lane(op.lanes); break;
      case Imm.Lane: this.lane(op.lanes); break;
      case Imm.Shuffle: for (let i = 0; i < 16; i++) this.lane(32); break;
      case Imm.Mem: addr = this.memoryAddr(r.u32()); break;
      case Imm.Table: addr = this.tableAddr(r.u32()); break;
      case Imm.DataMem: {
        const d = r.u32();
        addr = this.memoryAddr(r.u32());
        this.dataIndex(d);
        break;
      }
      case Imm.Data: this.dataIndex(r.u32()); break;
      case Imm.Elem: this.elemType(r.u32()); break;
      case Imm.Zero: if (r.u8() !== 0) this.malformed('zero byte expected', r.pos - 1); break;
      default: this.malformed(`unexpected immediate for ${op.name}`);
    }
    const params = op.params!;
    for (let i = params.length - 1; i >= 0; i--) {
      const t = params[i]!;
      this.pop(t === ADDR ? addr : t);
    }
    const results = op.results!;
    for (let i = 0; i < results.length; i++) {
      const t = results[i]!;
      this.push(t === ADDR ? addr : t);
    }
  }

  private memarg(op: OpInfo): ValType {
    const m = readMemArg(this.r, this.memArg, this.features.multi_memory);
    const addr = this.memoryAddr(m.memory);
    if (op.prefix === 0xfe) {
      if (m.align !== op.align) this.fail('atomic alignment must be natural');
    } else if (m.align > op.align) {
      this.fail('alignment must not be larger than natural');
    }
    if (addr === I32 && m.offset > MAX_U32) this.fail('offset out of range');
    return addr;
  }

  private lane(count: number): void {
    const at = this.r.pos;
    if (this.r.u8() >= count) this.fail('invalid lane index', at);
  }

  memoryAddr(x: number): ValType {
    if (x < this.memoryAddrs.length) return this.memoryAddrs[x]!;
    return this.fail(`unknown memory ${x}`);
  }

  tableAddr(x: number): ValType {
    const t = this.module.tables[x];
    if (t === undefined) this.fail(`unknown table ${x}`);
    return t.address64 ? I64 : I32;
  }

  dataIndex(x: number): void {
    const n = this.module.dataCount;
    if (n === null) this.malformed('data count section required');
    if (x >= n) this.fail(`unknown data segment ${x}`);
  }

  elemType(x: number): ValType {
    const e = this.module.elems[x];
    if (e === undefined) this.fail(`unknown elem segment ${x}`);
    return e.type;
  }

  funcTypeAt(x: number): FuncType {
    const t = this.types.func(x);
    if (t === undefined) {
      if (x >= this.module.types.length) this.fail(`unknown type ${x}`);
      this.fail(`type mismatch: type ${x} is not a function type`);
    }
    return t;
  }

  tagParams(x: number): readonly ValType[] {
    const tag = this.module.tags[x];
    if (tag === undefined) this.fail(`unknown tag ${x}`);
    return this.types.func(tag.typeIndex)!.params;
  }

  /** Parameters and results of the block type read last by `readBlockType`. */
  blockParams: readonly ValType[] = EMPTY;
  blockResults: readonly ValType[] = EMPTY;

  readBlockType(): void {
    const at = this.r.pos;
    const bt = this.r.blockType();
    if (bt === BLOCK_EMPTY) {
      this.blockParams = EMPTY;
      this.blockResults = EMPTY;
    } else if (bt >= BLOCK_TYPE_INDEX) {
      const ft = this.funcTypeAt(bt - BLOCK_TYPE_INDEX);
      if (!this.features.multi_value && (ft.params.length > 0 || ft.results.length > 1)) this.fail('invalid result arity');
      this.blockParams = ft.params;
      this.blockResults = ft.results;
    } else {
      this.checkValType(bt, at);
      this.blockParams = EMPTY;
      this.blockResults = this.single(bt);
    }
  }

  /** Reads a block type, pops its parameters (after the condition of `if`) and opens the frame. */
  enterBlock(kind: Frame): void {
    this.readBlockType();
    const params = this.blockParams;
    if (kind === Frame.If) this.pop(I32);
    this.popAll(params);
    this.pushFrame(kind, params, this.blockResults);
  }

  // Instructions typed by hand

  private instr(op: OpInfo): void {
    const r = this.r;
    switch (op.code) {
      case Op.Unreachable:
        this.setUnreachable();
        return;
      case Op.Block:
        return this.enterBlock(Frame.Block);
      case Op.Loop:
        return this.enterBlock(Frame.Loop);
      case Op.If:
        return this.enterBlock(Frame.If);
      case Op.Else: {
        const top = this.ch - 1;
        if (this.kinds[top] !== Frame.If) this.malformed('else without matching if');
        const params = this.params[top]!;
        const results = this.results[top]!;
        this.popFrame();
        this.pushFrame(Frame.Else, params, results);
        return;
      }
      case Op.End:
        return this.end();
      case Op.Br:
        this.popAll(this.labelTypes(r.u32()));
        this.setUnreachable();
        return;
      case Op.BrIf: {
        const types = this.labelTypes(r.u32());
        this.pop(I32);
        this.popAll(types);
        this.pushAll(types);
        return;
      }
      case Op.BrTable:
        return this.brTable();
      case Op.Return:
        this.popAll(this.results[0]!);
        this.setUnreachable();
        return;
      case Op.Call: {
        const ft = this.funcType(r.u32());
        this.popAll(ft.params);
        this.pushAll(ft.results);
        return;
      }
      case Op.CallIndirect: {
        const ft = this.callIndirect();
        this.popAll(ft.params);
        this.pushAll(ft.results);
        return;
      }
      case Op.ReturnCall: {
        const ft = this.funcType(r.u32());
        this.popAll(ft.params);
        this.returnCall(ft);
        return;
      }
      case Op.ReturnCallIndirect: {
        const ft = this.callIndirect();
        this.popAll(ft.params);
        this.returnCall(ft);
        return;
      }
      case Op.CallRef: case Op.ReturnCallRef: {
        const x = r.u32();
        const ft = this.funcTypeAt(x);
        this.pop(refType(x, true));
        this.popAll(ft.params);
        if (op.code === Op.CallRef) this.pushAll(ft.results);
        else this.returnCall(ft);
        return;
      }
      case Op.Drop:
        this.popAny();
        return;
      case Op.Select:
        return this.select();
      case Op.SelectT: {
        const n = r.u32();
        if (n !== 1) this.fail('invalid result arity');
        const at = r.pos;
        const t = this.checkValType(r.valType(), at);
        this.pop(I32);
        this.pop(t);
        this.pop(t);
        this.push(t);
        return;
      }
      case Op.LocalGet:
        return this.localGet(r.u32());
      case Op.LocalSet: {
        const x = this.local(r.u32());
        this.pop(this.locals[x]!);
        this.initLocal(x);
        return;
      }
      case Op.LocalTee: {
        const x = this.local(r.u32());
        const t = this.locals[x]!;
        this.pop(t);
        this.initLocal(x);
        this.push(t);
        return;
      }
      case Op.GlobalGet: {
        const x = r.u32();
        const g = this.module.globals[x];
        if (g === undefined || (this.constGlobals >= 0 && x >= this.constGlobals)) this.fail(`unknown global ${x}`);
        if (this.constGlobals >= 0 && g.mutable) this.fail('constant expression required');
        this.push(g.type);
        return;
      }
      case Op.GlobalSet: {
        const x = r.u32();
        const g = this.module.globals[x];
        if (g === undefined) this.fail(`unknown global ${x}`);
        if (!g.mutable) this.fail(`immutable global ${x}`);
        this.pop(g.type);
        return;
      }
      case Op.MemoryCopy: {
        const dst = this.memoryAddr(r.u32());
        const src = this.memoryAddr(r.u32());
        this.pop(dst === I64 && src === I64 ? I64 : I32);
        this.pop(src);
        this.pop(dst);
        return;
      }
      case Op.TableInit: {
        const y = r.u32();
        const x = r.u32();
        const addr = this.tableAddr(x);
        this.writtenTables[x] = 1;
        const et = this.elemType(y);
        if (!this.types.matches(et, this.module.tables[x]!.element)) {
          this.fail(`type mismatch: element segment's type ${this.typeName(et)} does not match table ${x}'s element type`);
        }
        this.pop(I32);
        this.pop(I32);
        this.pop(addr);
        return;
      }
      case Op.TableCopy: {
        const dx = r.u32();
        const sx = r.u32();
        const dst = this.tableAddr(dx);
        const src = this.tableAddr(sx);
        this.writtenTables[dx] = 1;
        if (!this.types.matches(this.module.tables[sx]!.element, this.module.tables[dx]!.element)) {
          this.fail(`type mismatch: source element type does not match table ${dx}'s element type`);
        }
        this.pop(dst === I64 && src === I64 ? I64 : I32);
        this.pop(src);
        this.pop(dst);
        return;
      }
      case Op.TableGet: {
        const x = r.u32();
        const addr = this.tableAddr(x);
        this.pop(addr);
        this.push(this.module.tables[x]!.element);
        return;
      }
      case Op.TableSet: {
        const x = r.u32();
        const addr = this.tableAddr(x);
        this.writtenTables[x] = 1;
        this.pop(this.module.tables[x]!.element);
        this.pop(addr);
        return;
      }
      case Op.TableGrow: {
        const x = r.u32();
        const addr = this.tableAddr(x);
        this.writtenTables[x] = 1;
        this.pop(addr);
        this.pop(this.module.tables[x]!.element);
        this.push(addr);
        return;
      }
      case Op.TableFill: {
        const x = r.u32();
        const addr = this.tableAddr(x);
        this.writtenTables[x] = 1;
        this.pop(addr);
        this.pop(this.module.tables[x]!.element);
        this.pop(addr);
        return;
      }
      case Op.RefNull: {
        const at = r.pos;
        const { heap, exact } = r.heapTypeAndExact();
        this.checkHeap(heap, exact, at);
        this.push(refType(heap, true, exact));
        return;
      }
      case Op.RefIsNull:
        this.popRef();
        this.push(I32);
        return;
      case Op.RefFunc:
        return this.refFunc(r.u32());
      case Op.RefAsNonNull:
        this.push(this.nonNull(this.popRef()));
        return;
      case Op.BrOnNull: {
        const types = this.labelTypes(r.u32());
        const t = this.popRef();
        this.popAll(types);
        this.pushAll(types);
        this.push(this.nonNull(t));
        return;
      }
      case Op.BrOnNonNull:
        return this.brOnNonNull(r.u32());
    }
    if (!validateExceptionInstr(this, op)) validateGcInstr(this, op);
  }

  private end(): void {
    const top = this.ch - 1;
    const kind = this.kinds[top];
    const params = this.params[top]!;
    const results = this.results[top]!;
    this.popFrame();
    if (kind === Frame.If && !this.sameTypes(params, results)) {
      this.fail(`type mismatch: if without else requires matching parameters and results`);
    }
    if (this.ch > 0) this.pushAll(results);
  }

  sameTypes(a: readonly ValType[], b: readonly ValType[]): boolean {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!this.types.matches(a[i]!, b[i]!)) return false;
    return true;
  }


  private localGet(x: number): void {
    if (x >= this.numLocals) this.fail(`unknown local ${x}`);
    if (!this.localInit[x]) this.fail(`uninitialized local ${x}`);
    this.push(this.locals[x]!);
  }

  private local(x: number): number {
    if (x >= this.numLocals) this.fail(`unknown local ${x}`);
    return x;
  }

  funcType(x: number): FuncType {
    const t = this.module.funcTypes[x];
    if (t === undefined) this.fail(`unknown function ${x}`);
    return this.types.func(t)!;
  }

  private callIndirect(): FuncType {
    const r = this.r;
    const typeIndex = r.u32();
    const x = r.u32();
    const addr = this.tableAddr(x);
    const ft = this.funcTypeAt(typeIndex);
    if (!this.types.matches(this.module.tables[x]!.element, FUNCREF)) {
      this.fail(`type mismatch: instruction requires table of function type`);
    }
    this.pop(addr);
    return ft;
  }

  private returnCall(ft: FuncType): void {
    if (this.func >= 0) this.tailCallers[this.func] = 1;
    const own = this.results[0]!;
    if (!this.sameTypes(ft.results, own)) {
      this.fail(`type mismatch: current function requires result type [${own.map((t) => this.typeName(t)).join(' ')}]`);
    }
    this.setUnreachable();
  }

  private select(): void {
    this.pop(I32);
    const t1 = this.popAny();
    const t2 = this.popAny();
    const ok = (t: ValType) => t === BOT || isNumType(t) || t === V128;
    if (!ok(t1) || !ok(t2)) this.fail('type mismatch: select requires numeric or vector operands');
    if (t1 !== t2 && t1 !== BOT && t2 !== BOT) this.mismatch(t1, t2);
    this.push(t1 === BOT ? t2 : t1);
  }

  private brTable(): void {
    const r = this.r;
    const n = r.count();
    this.pop(I32);
    const at = r.pos;
    // The default label comes last; its arity decides.
    for (let i = 0; i < n; i++) r.u32();
    const defaultTypes = this.labelTypes(r.u32());
    const end = r.pos;
    r.pos = at;
    for (let i = 0; i < n; i++) {
      const types = this.labelTypes(r.u32());
      if (types.length !== defaultTypes.length) this.fail('type mismatch: br_table targets have different arities');
      this.peekAll(types);
    }
    r.pos = end;
    this.popAll(defaultTypes);
    this.setUnreachable();
  }

  private brOnNonNull(depth: number): void {
    const types = this.labelTypes(depth);
    const n = types.length;
    if (n === 0 || !isRef(types[n - 1]!)) this.fail('type mismatch: br_on_non_null requires a label ending in a reference type');
    const t = this.popRef();
    const last = types[n - 1]!;
    if (!this.types.matches(this.nonNull(t), last)) this.mismatch(last, t);
    for (let i = n - 2; i >= 0; i--) this.pop(types[i]!);
    for (let i = 0; i < n - 1; i++) this.push(types[i]!);
  }

  private refFunc(x: number): void {
    const m = this.module;
    const t = m.funcTypes[x];
    if (t === undefined) this.fail(`unknown function ${x}`);
    if (this.constGlobals < 0 && !this.declaredFuncs[x]) this.fail(`undeclared function reference ${x}`);
    let exact = false;
    if (this.features.custom_descriptors) {
      if (x >= m.numImportedFuncs) exact = true;
      else exact = importExactness(m, x);
    }
    this.push(refType(t, false, exact));
  }



  /** The heap-type checks shared by casts: `t` is a reference type read from code. */
  castTarget(heap: number, exact: boolean, nullable: boolean, at: number): ValType {
    this.checkHeap(heap, exact, at);
    return refType(heap, nullable, exact);
  }

  topRef(heap: number): ValType {
    return refType(this.types.top(heap), true);
  }
}

function importExactness(m: ModuleInfo, funcIndex: number): boolean {
  let i = 0;
  for (const imp of m.imports) {
    if (imp.desc.kind !== 'func') continue;
    if (i++ === funcIndex) return imp.desc.exact;
  }
  return false;
}
