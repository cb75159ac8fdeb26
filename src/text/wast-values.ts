// Constants and expected results of spec scripts: `(i32.const 1)`, `(f32.const nan:canonical)`,
// v128 lanes with per-lane NaN patterns, `(ref.null any)`, `(ref.extern 1)`, `(either ...)`.

import type { Cursor } from './cursor.js';
import { T } from './tokens.js';
import type { LanePattern, NanPattern, WastResult, WastValue } from './wast-types.js';
import { floatLiteral, i32Literal, intLiteral, V128_SHAPES } from './literals.js';

/** Reference patterns without identity, by keyword. */
const REF_PATTERNS: ReadonlyMap<string, string> = new Map([
  ['ref.func', 'func'], ['ref.struct', 'struct'], ['ref.array', 'array'], ['ref.i31', 'i31'],
  ['ref.eq', 'eq'], ['ref.any', 'any'], ['ref.exn', 'exn'], ['ref.extern', 'extern'], ['ref.host', 'any'],
]);

function nanPattern(c: Cursor): NanPattern | null {
  if (c.isKw(c.pos, 'nan:canonical')) return 'nan:canonical';
  if (c.isKw(c.pos, 'nan:arithmetic')) return 'nan:arithmetic';
  return null;
}

/** A heap type as written in `ref.null`: an abstract name, an index or an identifier. */
function heapText(c: Cursor): string {
  const k = c.kind[c.pos];
  if (k === T.Keyword || k === T.Id || c.isNat(c.pos)) return c.tokenText(c.pos++);
  throw c.unexpected(c.pos, 'a heap type');
}

/**
 * A constant or result at the cursor, `(` included; `results` allows patterns. `either` does not
 * nest (so no input can recurse deeply here).
 */
function parseValueOrPattern(c: Cursor, results: boolean, topLevel = true): WastResult {
  const open = c.pos;
  c.expectLParen('a constant');
  const head = c.kind[c.pos] === T.Keyword ? c.tokenText(c.pos) : '';
  c.pos++;
  let result: WastResult;
  switch (head) {
    case 'i32.const': {
      result = { kind: 'value', value: { type: 'i32', bits: i32Literal(c) } };
      break;
    }
    case 'i64.const':
      result = { kind: 'value', value: { type: 'i64', bits: intLiteral(c, 64) } };
      break;
    case 'f32.const':
    case 'f64.const': {
      const type = head === 'f32.const' ? 'f32' : 'f64';
      const nan = results ? nanPattern(c) : null;
      if (nan !== null) {
        c.pos++;
        result = { kind: 'nan', type, nan };
      } else if (type === 'f32') {
        result = { kind: 'value', value: { type: 'f32', bits: Number(floatLiteral(c, 32)) } };
      } else {
        result = { kind: 'value', value: { type: 'f64', bits: floatLiteral(c, 64) } };
      }
      break;
    }
    case 'v128.const':
      result = v128(c, results);
      break;
    case 'ref.null':
      result = { kind: 'value', value: { type: 'ref.null', heap: c.kind[c.pos] === T.RParen && results ? '' : heapText(c) } };
      break;
    case 'ref.extern':
    case 'ref.host':
      if (c.isNat(c.pos)) {
        const index = c.u32('a host reference number');
        result = { kind: 'value', value: { type: head, index } };
      } else if (results) {
        result = { kind: 'ref', heap: REF_PATTERNS.get(head)! };
      } else {
        throw c.unexpected(c.pos, 'a host reference number');
      }
      break;
    case 'either':
      if (!results || !topLevel) throw c.unexpected(open + 1, results ? 'a result other than "either"' : 'a constant');
      {
        const options: WastResult[] = [];
        while (c.kind[c.pos] === T.LParen) options.push(parseValueOrPattern(c, true, false));
        if (options.length === 0) throw c.unexpected(c.pos, 'a result');
        result = { kind: 'either', options };
      }
      break;
    default: {
      const heap = REF_PATTERNS.get(head);
      if (heap === undefined || !results) throw c.unexpected(open + 1, results ? 'a result' : 'a constant');
      // `(ref.func)`, `(ref.struct)`...; an index after `ref.func` is accepted and ignored.
      if (c.kind[c.pos] !== T.RParen) heapText(c);
      result = { kind: 'ref', heap };
    }
  }
  c.expectRParen();
  return result;
}

function v128(c: Cursor, results: boolean): WastResult {
  const at = c.pos;
  const shapeName = c.kind[at] === T.Keyword ? c.tokenText(at) : '';
  const shape = V128_SHAPES[shapeName];
  if (shape === undefined) throw c.unexpected(at, 'a vector shape');
  c.pos++;
  const lanes: LanePattern[] = [];
  let anyNan = false;
  while (c.kind[c.pos] !== T.RParen) {
    if (lanes.length === shape.lanes) throw c.error(c.pos, 'wrong number of lane literals', `${shapeName} takes ${shape.lanes} lanes`);
    const nan = results && shape.float ? nanPattern(c) : null;
    if (nan !== null) {
      c.pos++;
      anyNan = true;
      lanes.push({ kind: 'nan', nan });
    } else {
      lanes.push({ kind: 'bits', bits: shape.float ? floatLiteral(c, shape.bits as 32 | 64) : intLiteral(c, shape.bits) });
    }
  }
  if (lanes.length !== shape.lanes) throw c.error(c.pos, 'wrong number of lane literals', `${shapeName} takes ${shape.lanes} lanes`);
  if (anyNan) return { kind: 'v128-lanes', shape: shapeName as 'f32x4' | 'f64x2', lanes };
  const bytes = new Uint8Array(16);
  let at2 = 0;
  for (const lane of lanes) {
    const bits = (lane as { bits: bigint }).bits;
    for (let b = 0; b < shape.bits; b += 8) bytes[at2++] = Number((bits >> BigInt(b)) & 0xffn);
  }
  return { kind: 'value', value: { type: 'v128', bytes } };
}

/** An argument constant of an action. */
export function parseConst(c: Cursor): WastValue {
  const r = parseValueOrPattern(c, false);
  if (r.kind !== 'value') throw c.error(c.pos - 1, 'unexpected token', 'expected a constant');
  return r.value;
}

/** An expected result of an assertion. */
export function parseResult(c: Cursor): WastResult {
  return parseValueOrPattern(c, true);
}
