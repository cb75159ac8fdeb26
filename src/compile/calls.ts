// Returns and calls in generated code: results through the return value and the RI/RF/RR slots,
// direct calls by name, call_indirect and call_ref through a checked target, and tail calls
// (a direct `return f(...)` when the callee cannot tail-call, else a plain call of its body while
// few such calls are on the stack, else through the trampoline).

import { F64, FUNCREF, I32, I64, type FuncType } from '../core/types.js';
import { Kind, componentKinds, resultSlot, tailSlot } from '../runtime/lowering.js';
import { int, simpleEntry, type Entry } from './entry.js';
import { inTryBody } from './exceptions.js';
import { operand, type FunctionCompiler } from './function-compiler.js';
import { partReturn } from './split.js';
import { tuned } from './interpreter-tuning.js';

export function returnValues(fc: FunctionCompiler, values: readonly Entry[]): void {
  if (fc.part !== null) {
    partReturn(fc, fc.split!, values);
    return;
  }
  fc.spillNonPure();
  const comps: { code: string; kind: Kind }[] = [];
  let vals = values;
  const ncomp = values.reduce((n, v) => n + (v.type === I64 ? 2 : 1), 0);
  if (ncomp > 1) vals = values.map((v) => fc.materialize(v));
  for (const v of vals) {
    const kinds = componentKinds(v.type);
    comps.push({ code: v.type === I32 ? int(v) : v.code, kind: kinds[0]! });
    if (v.type === I64) comps.push({ code: v.hi, kind: Kind.Int });
  }
  fc.fuelSave();
  for (let k = 1; k < comps.length; k++) fc.emit(`${resultSlot(comps[k]!.kind)}[${k}] = ${comps[k]!.code};`);
  if (fc.depthCounted) {
    if (comps.length > 0) {
      const t = fc.temp(I32);
      fc.emit(`${t} = ${comps[0]!.code};`);
      fc.emit(`DEPTH[0]--;`);
      fc.emit(`return ${t};`);
    } else {
      fc.emit(`DEPTH[0]--;`);
      fc.emit('return;');
    }
  } else {
    fc.emit(comps.length > 0 ? `return ${comps[0]!.code};` : 'return;');
  }
}

/** The outer function's return after a part returned (-1): the first result from its slot. */
export function outerReturn(fc: FunctionCompiler): string {
  const t = fc.type.results[0];
  const value = t === undefined ? '' : ` ${resultSlot(componentKinds(t)[0]!)}[0]`;
  return `{ ${fc.depthCounted ? 'DEPTH[0]--; ' : ''}return${value}; }`;
}

/** `args` as simple entries (evaluated into temps where they are not), for code that reads them twice. */
function simpleArgs(fc: FunctionCompiler, args: readonly Entry[]): Entry[] {
  return args.map((a) => (a.simple ? a : fc.materialize(a)));
}

/** Lowered argument expressions of `args`, in order. */
function argList(fc: FunctionCompiler, args: readonly Entry[]): string[] {
  const out: string[] = [];
  for (const a of fc.pairs(args)) {
    out.push(a.type === I32 ? int(a) : a.code);
    if (a.type === I64) out.push(a.hi);
  }
  return out;
}

/**
 * Emits `callee(args)` as a statement and pushes its results (`prefix`: `yield* ` for a generator
 * callee). With `whole`, `callee` is the complete call expression.
 */
export function emitCall(fc: FunctionCompiler, callee: string, type: FuncType, args: readonly Entry[], prefix = fc.callPrefix, whole = false): void {
  const call = whole ? callee : `${prefix}${callee}(${argList(fc, args).join(', ')})`;
  fc.fuelSave();
  const results = type.results;
  if (results.length === 0) {
    fc.emit(`${call};`);
  } else {
    const outs: Entry[] = [];
    let k = 0;
    const first = fc.temp(results[0]!);
    fc.emit(`${first} = ${call};`);
    results.forEach((t, i) => {
      const name = i === 0 ? first : fc.temp(t);
      if (i > 0) fc.emit(`${name} = ${resultSlot(componentKinds(t)[0]!)}[${k}];`);
      k++;
      if (t === I64) {
        fc.emit(`${name}h = RI[${k}];`);
        k++;
      }
      outs.push(simpleEntry(t, name, t === I64 ? `${name}h` : ''));
    });
    for (const o of outs) fc.push(o);
  }
  if (fc.fuel) fc.emit('fu = S.fuel;');
  if (fc.epochs) fc.emit('dl = S.epochDeadline;');
  fc.reloadViews();
  // What runs after the call is charged after it returns: a host function (and Caller.getFuel)
  // sees the fuel of what has run, the call included, as in Wasmtime.
  fc.fuelStart();
}

export function callDirect(fc: FunctionCompiler, index: number, tail: boolean): void {
  const type = fc.mc.typeOfFunc(index);
  const args = fc.popN(type.params.length);
  fc.spillNonPure();
  const name = fc.mc.funcNames[index]!;
  if (index !== fc.funcIndex) fc.callees.add(index);
  if (!tail) {
    emitCall(fc, name, type, args, fc.mc.directCallPrefix(index));
    return;
  }
  // Inside a try body a tail call must leave the handler first: through the trampoline.
  if (index === fc.funcIndex && !inTryBody(fc) && fc.canLoopSelf()) {
    fc.selfTailCall(args);
    return;
  }
  if (fc.mc.trampolined[index] && !inTryBody(fc) && fc.star === '') {
    const margs = simpleArgs(fc, args);
    const body = fc.temp(F64);
    fc.emit(`${body} = FN[${index}].body;`);
    tailBody(fc, margs, body, `FN[${index}]`);
    fc.unreachable = true;
  } else if (fc.mc.trampolined[index] || inTryBody(fc)) {
    // FN[index] is an import's unbound callable: it learns its caller from CALLER.
    if (index < fc.mc.module.numImportedFuncs) fc.emit('CALLER.i = INST;');
    tailViaSlots(fc, args, `FN[${index}]`);
    fc.unreachable = true;
  } else {
    tailDirect(fc, `${fc.mc.directCallPrefix(index)}${name}(${argList(fc, args).join(', ')})`);
  }
}

/** `return f(args)`: a callee that makes no tail calls keeps the stack bounded anyway. */
function tailDirect(fc: FunctionCompiler, call: string): void {
  fc.fuelSave();
  if (fc.depthCounted) {
    const t = fc.temp(F64);
    fc.emit(`${t} = ${call};`);
    fc.emit('DEPTH[0]--;');
    fc.emit(`return ${t};`);
  } else {
    fc.emit(`return ${call};`);
  }
  fc.unreachable = true;
}

/**
 * How many tail calls of functions that make tail calls may be plain JS calls on the stack at once
 * (DEPTH[1] counts them); the next one goes through the trampoline, which unwinds them all. The
 * stack stays bounded, and the trampoline's adaptor, a megamorphic call, runs once per this many
 * tail calls instead of at every one (mutual tail recursion 7.9x -> 1.6x native; RATIONALE.md).
 */
const PLAIN_TAIL_CALLS = 32;

/**
 * A tail call of `body` (a function body that may return TAIL, or null while a lazily compiled
 * callee has none yet): a plain call while the stack holds few, else through the trampoline.
 * `args` are simple: they are read on both paths.
 */
function tailBody(fc: FunctionCompiler, args: readonly Entry[], body: string, target: string): void {
  fc.fuelSave();
  const r = fc.temp(F64);
  fc.open(`if (${body} !== null && DEPTH[1] < ${PLAIN_TAIL_CALLS}) {`);
  fc.emit('DEPTH[1]++;');
  fc.emit(`${r} = ${body}(${argList(fc, args).join(', ')});`);
  fc.emit(fc.depthCounted ? 'DEPTH[1]--; DEPTH[0]--;' : 'DEPTH[1]--;');
  fc.emit(`return ${r};`);
  fc.close();
  tailViaSlots(fc, args, target);
}

/** Hands the arguments and callee to the trampoline of the nearest non-tail caller. */
function tailViaSlots(fc: FunctionCompiler, args: readonly Entry[], target: string): void {
  const comps: string[] = [];
  let k = 0;
  for (const a of fc.pairs(args)) {
    const kinds = componentKinds(a.type);
    comps.push(`${tailSlot(kinds[0]!)}[${k++}] = ${a.type === I32 ? int(a) : a.code};`);
    if (a.type === I64) comps.push(`TI[${k++}] = ${a.hi};`);
  }
  if (comps.length) fc.emit(comps.join(' '));
  fc.fuelSave();
  fc.emit(`pendingTail.target = ${target};`);
  if (fc.depthCounted) fc.emit('DEPTH[0]--;');
  fc.emit('return TAIL;');
}

export function callIndirect(fc: FunctionCompiler, typeIndex: number, table: number, tail: boolean): void {
  const type = fc.mc.funcType(typeIndex);
  const index = fc.pop();
  const tableType = fc.mc.module.tables[table]!;
  const args = fc.popN(type.params.length);
  // Arguments are evaluated before the table lookup can trap.
  fc.stack.push(...args);
  fc.spillNonPure();
  fc.popN(args.length);
  const idx = tableType.address64 ? fc.index64(index) : `${operand(index)} >>> 0`;
  const target = fc.temp(FUNCREF);
  // Canonical ids differ between processes: read through ctx.canon so serialized code stays valid.
  const canon = fc.constant(`ctx.canon[${typeIndex}]`);
  const elems = fc.table(table);
  if (tuned(fc.mc.options)) {
    // The element of exactly the type is read inline (without a JIT, a helper call costs more than
    // the whole check); the helper handles the rest: subtypes and every trap.
    const at = fc.temp(F64);
    fc.emit(`${at} = ${idx};`);
    fc.emit(`${target} = ${elems}[${at}];`);
    fc.emit(`if (${target} == null || ${target}.type !== ${canon}) ${target} = ${fc.helper('indirectTarget')}(${elems}, ${at}, ${canon});`);
  } else {
    fc.emit(`${target} = ${fc.helper('indirectTarget')}(${elems}, ${idx}, ${canon});`);
  }
  // A host function taking a Caller learns here which instance called it.
  if (!fc.mc.ownTables[table]) fc.emit('CALLER.i = INST;');
  callTarget(fc, target, type, args, tail);
}

export function callRef(fc: FunctionCompiler, typeIndex: number, tail: boolean): void {
  const type = fc.mc.funcType(typeIndex);
  const ref = fc.pop();
  const args = fc.popN(type.params.length);
  fc.stack.push(...args);
  fc.spillNonPure();
  fc.popN(args.length);
  const target = fc.temp(FUNCREF);
  fc.emit(`${target} = ${fc.helper('refTarget')}(${ref.code});`);
  fc.emit('CALLER.i = INST;');
  callTarget(fc, target, type, args, tail);
}

/**
 * Calls a WasmFunc held in `target`: directly, or for a tail call through the trampoline when it has
 * a body. Generator code calls a target whose code is plain without a generator (`sync`).
 */
function callTarget(fc: FunctionCompiler, target: string, type: FuncType, args: readonly Entry[], tail: boolean): void {
  if (!tail) {
    if (fc.star) {
      emitCall(fc, generatorTargetCall(target, argList(fc, args).join(', ')), type, [], '', true);
      return;
    }
    // Plain code in generator code calls only through tables whose functions are all plain (suspending.ts).
    emitCall(fc, fc.mc.suspends !== null ? `${target}.sync` : `${target}.fn`, type, args);
    return;
  }
  const margs = simpleArgs(fc, args);
  if (inTryBody(fc)) {
    tailViaSlots(fc, margs, target);
    fc.unreachable = true;
    return;
  }
  fc.open(`if (${target}.body !== null) {`);
  if (fc.star === '') tailBody(fc, margs, `${target}.body`, target);
  else tailViaSlots(fc, margs, target);
  fc.close();
  const list = argList(fc, margs).join(', ');
  tailDirect(fc, fc.star ? generatorTargetCall(target, list) : `${target}.fn(${list})`);
}

/** A call of the WasmFunc in `target` from generator code: a plain target directly, else with `yield*`. */
function generatorTargetCall(target: string, list: string): string {
  return `(${target}.sync !== null ? ${target}.sync(${list}) : yield* ${target}.fn(${list}))`;
}
