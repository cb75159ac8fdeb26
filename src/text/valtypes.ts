// Value, reference, heap and storage types in text, parsed straight into their binary encodings
// (binary strings), which is also the form type uses compare them in.

import type { ModuleContext } from './context.js';
import { T } from './tokens.js';
import { lebS, lebU } from './leb.js';

const NUM_TYPES: ReadonlyMap<string, string> = new Map([
  ['i32', '\x7f'], ['i64', '\x7e'], ['f32', '\x7d'], ['f64', '\x7c'], ['v128', '\x7b'],
]);
const PACKED_TYPES: ReadonlyMap<string, string> = new Map([['i8', '\x78'], ['i16', '\x77']]);

/** Abstract heap types and their one-byte encodings. */
export const ABSTRACT_HEAPS: ReadonlyMap<string, number> = new Map([
  ['noexn', 0x74], ['nofunc', 0x73], ['noextern', 0x72], ['none', 0x71], ['func', 0x70],
  ['extern', 0x6f], ['any', 0x6e], ['eq', 0x6d], ['i31', 0x6c], ['struct', 0x6b], ['array', 0x6a],
  ['exn', 0x69],
]);
/** Shorthand reference types (all nullable) and the heap type they abbreviate. */
export const REF_SHORTHANDS: ReadonlyMap<string, number> = new Map([
  ['nullexnref', 0x74], ['nullfuncref', 0x73], ['nullexternref', 0x72], ['nullref', 0x71],
  ['funcref', 0x70], ['externref', 0x6f], ['anyref', 0x6e], ['eqref', 0x6d], ['i31ref', 0x6c],
  ['structref', 0x6b], ['arrayref', 0x6a], ['exnref', 0x69],
]);

/** A parsed reference type: nullability and the heap type's encoding. */
export interface RefType {
  readonly nullable: boolean;
  readonly heap: string;
}

/** Encodes a reference type, using the one-byte shorthand for nullable abstract types. */
export function encodeRefType(rt: RefType): string {
  if (rt.nullable && rt.heap.length === 1 && rt.heap.charCodeAt(0) >= 0x69 && rt.heap.charCodeAt(0) <= 0x74) return rt.heap;
  return (rt.nullable ? '\x63' : '\x64') + rt.heap;
}

/** Parses a heap type at the cursor: an abstract name, a type index, or `(exact x)`. */
export function parseHeapType(ctx: ModuleContext): string {
  const c = ctx.c;
  const i = c.pos;
  if (c.kind[i] === T.Keyword) {
    const b = ABSTRACT_HEAPS.get(c.tokenText(i));
    if (b === undefined) throw c.unexpected(i, 'a heap type');
    c.pos++;
    return String.fromCharCode(b);
  }
  if (c.atOpen('exact')) {
    c.pos += 2;
    const x = ctx.index(ctx.types);
    c.expectRParen();
    return '\x62' + lebU(x);
  }
  if (!ctx.isIndex(i)) throw c.unexpected(i, 'a heap type');
  return lebS(ctx.index(ctx.types));
}

/** Parses a reference type at the cursor, or returns null (consuming nothing) when there is none. */
export function tryRefType(ctx: ModuleContext): RefType | null {
  const c = ctx.c;
  const i = c.pos;
  if (c.kind[i] === T.Keyword) {
    const b = REF_SHORTHANDS.get(c.tokenText(i));
    if (b === undefined) return null;
    c.pos++;
    return { nullable: true, heap: String.fromCharCode(b) };
  }
  if (!c.isOpen(i, 'ref')) return null;
  c.pos += 2;
  const nullable = c.eatKw('null');
  const heap = parseHeapType(ctx);
  c.expectRParen();
  return { nullable, heap };
}

export function parseRefType(ctx: ModuleContext): RefType {
  const rt = tryRefType(ctx);
  if (rt === null) throw ctx.c.unexpected(ctx.c.pos, 'a reference type');
  return rt;
}

/** Parses a value type, or returns null (consuming nothing) when the cursor is not at one. */
export function tryValType(ctx: ModuleContext): string | null {
  const c = ctx.c;
  if (c.kind[c.pos] === T.Keyword) {
    const num = NUM_TYPES.get(c.tokenText(c.pos));
    if (num !== undefined) {
      c.pos++;
      return num;
    }
  }
  const rt = tryRefType(ctx);
  return rt === null ? null : encodeRefType(rt);
}

export function parseValType(ctx: ModuleContext): string {
  const t = tryValType(ctx);
  if (t === null) throw ctx.c.unexpected(ctx.c.pos, 'a value type');
  return t;
}

/** A storage type: a value type or a packed type. */
export function parseStorageType(ctx: ModuleContext): string {
  const c = ctx.c;
  if (c.kind[c.pos] === T.Keyword) {
    const packed = PACKED_TYPES.get(c.tokenText(c.pos));
    if (packed !== undefined) {
      c.pos++;
      return packed;
    }
  }
  const t = tryValType(ctx);
  if (t === null) throw c.unexpected(c.pos, 'a storage type');
  return t;
}

/** A field type: a storage type or `(mut storagetype)`; returns the storage type and mutability byte. */
export function parseFieldType(ctx: ModuleContext): string {
  const c = ctx.c;
  if (c.eatOpen('mut')) {
    const t = parseStorageType(ctx);
    c.expectRParen();
    return t + '\x01';
  }
  return parseStorageType(ctx) + '\x00';
}
