// GC values through the Wasmtime-shaped API: AnyRef, StructRef, ArrayRef and I31 in Vals, field
// and element access with exact bits, host allocation, extern/any conversion, identity, provenance.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ANYREF, AnyRef, ArrayRef, Engine, ExternRef, Func, Global, HT_ANY, HT_EXN, HT_EXTERN, HT_FUNC, HT_I31, HT_NOEXTERN, I31, Instance, Module,
  Store, StructRef, Table, Val, funcType, heapOf, refType,
} from '../../src/index.js';
import { parseWat } from '../../src/text/index.js';

const wat = `(module
  (type $s (struct (field (mut f64)) (field (mut f32)) (field (mut i64)) (field (mut i8)) (field (mut anyref)) (field i32)))
  (type $a (array (mut i16)))
  (type $l (array (mut i64)))
  (func (export "make") (result (ref $s))
    (struct.new $s (f64.const nan:0x1) (f32.const nan:0x200001) (i64.const -2) (i32.const 0xff) (ref.i31 (i32.const -3)) (i32.const 7)))
  (func (export "sum") (param (ref $s)) (result i64 i32 i32)
    (struct.get $s 2 (local.get 0)) (struct.get_s $s 3 (local.get 0)) (struct.get $s 5 (local.get 0)))
  (func (export "f64bits") (param (ref $s)) (result i64) (i64.reinterpret_f64 (struct.get $s 0 (local.get 0))))
  (func (export "array") (result (ref $a)) (array.new $a (i32.const -1) (i32.const 3)))
  (func (export "elem") (param (ref $a) i32) (result i32) (array.get_s $a (local.get 0) (local.get 1)))
  (func (export "longs") (param (ref $l)) (result i64) (array.get $l (local.get 0) (i32.const 1)))
  (func (export "eq") (param eqref eqref) (result i32) (ref.eq (local.get 0) (local.get 1)))
  (func (export "i31") (param i31ref) (result i32) (i31.get_s (local.get 0)))
  (func (export "out") (param anyref) (result externref) (extern.convert_any (local.get 0)))
  (func (export "in") (param externref) (result anyref) (any.convert_extern (local.get 0)))
  (func (export "isStruct") (param externref) (result i32) (ref.test (ref $s) (any.convert_extern (local.get 0))))
  (global (export "g") (mut (ref null $s)) (ref.null $s))
  (table (export "t") 2 (ref null $a)))`;

function setup() {
  const engine = new Engine();
  const store = new Store(engine);
  const instance = new Instance(store, new Module(engine, parseWat(wat)), []);
  const call = (name: string, args: Val[] = []) => instance.getFunc(store, name)!.call(store, args);
  return { engine, store, instance, call };
}

test('a struct from wasm: fields as Vals with exact bits, packed fields zero-extended', () => {
  const { store, call } = setup();
  const v = call('make')[0]!;
  assert.equal(v.type, 'anyref');
  const s = (v.value as AnyRef).asStruct(store)!;
  assert.ok(s instanceof StructRef);
  const fields = s.fields(store);
  assert.deepEqual(fields.slice(0, 4), [Val.f64Bits(0x7ff0000000000001n), Val.f32Bits(0x7fa00001), Val.i64(-2), Val.i32(0xff)]);
  assert.equal((fields[4]!.value as AnyRef).asI31(store)!.getI32(), -3);
  assert.deepEqual(fields[5], Val.i32(7));
  s.setField(store, 0, Val.f64Bits(0xfff4000000000000n));
  s.setField(store, 2, Val.i64(2n ** 40n));
  s.setField(store, 3, Val.i32(0x1fe));
  assert.deepEqual(call('f64bits', [v]), [Val.i64(BigInt.asIntN(64, 0xfff4000000000000n))]);
  assert.deepEqual(call('sum', [v]), [Val.i64(2n ** 40n), Val.i32(-2), Val.i32(7)]);
  assert.throws(() => s.setField(store, 5, Val.i32(1)), /immutable/);
  assert.throws(() => s.setField(store, 0, Val.i32(1)), TypeError);
  assert.throws(() => s.field(store, 6), RangeError);
  assert.equal(call('make')[0]!.value === v.value, false);
});

test('the same struct is the same AnyRef handle every time; ref.eq agrees', () => {
  const { store, instance, call } = setup();
  const v = call('make')[0]!;
  const g = instance.getGlobal(store, 'g')!;
  g.set(store, v);
  assert.equal(g.get(store).value, v.value);
  assert.deepEqual(call('eq', [v, g.get(store)]), [Val.i32(1)]);
  assert.deepEqual(call('eq', [v, call('make')[0]!]), [Val.i32(0)]);
  const a = AnyRef.fromI31(store, I31.wrappingI32(5));
  assert.ok(AnyRef.refEq(store, a, AnyRef.fromI31(store, I31.newI32(5)!)));
  assert.deepEqual(call('eq', [Val.anyref(a), Val.anyref(AnyRef.fromI31(store, I31.wrappingI32(0x80000005 | 0)))]), [Val.i32(1)]);
});

test('arrays from wasm and from the host; a value of the wrong type is refused before the call', () => {
  const { store, instance, call } = setup();
  const arr = (call('array')[0]!.value as AnyRef).asArray(store)!;
  assert.ok(arr instanceof ArrayRef);
  assert.equal(arr.len(store), 3);
  assert.deepEqual(arr.elems(store), [Val.i32(0xffff), Val.i32(0xffff), Val.i32(0xffff)]);
  arr.set(store, 1, Val.i32(0x18000));
  assert.deepEqual(call('elem', [Val.anyref(arr), Val.i32(1)]), [Val.i32(-32768)]);
  assert.throws(() => arr.get(store, 3), RangeError);
  const elemType = instance.getFunc(store, 'elem')!.type(store).params[0]!;
  const made = ArrayRef.newFixed(store, heapOf(elemType), [Val.i32(1), Val.i32(-2)]);
  assert.deepEqual(call('elem', [Val.anyref(made), Val.i32(1)]), [Val.i32(-2)]);
  const longType = heapOf(instance.getFunc(store, 'longs')!.type(store).params[0]!);
  const longs = ArrayRef.new(store, longType, Val.i64(-(2n ** 63n)), 2);
  assert.deepEqual(call('longs', [Val.anyref(longs)]), [Val.i64(-(2n ** 63n))]);
  assert.throws(() => call('elem', [Val.anyref(longs), Val.i32(0)]), TypeError, 'an i64 array for an i16 array parameter');
  assert.throws(() => call('elem', [Val.anyref(null), Val.i32(0)]), TypeError, 'null for a non-nullable parameter');
  const t = instance.getTable(store, 't')!;
  t.set(store, 0, Val.anyref(made));
  assert.equal(t.get(store, 0)!.value, made);
  assert.throws(() => t.set(store, 1, Val.anyref(longs)), TypeError);
});

test('a struct made by the host is read by wasm', () => {
  const { store, instance, call } = setup();
  const typeId = heapOf(instance.getFunc(store, 'sum')!.type(store).params[0]!);
  const fields = [Val.f64Bits(0x7ff0000000000002n), Val.f32(1.5), Val.i64(-9n), Val.i32(0x180), Val.anyref(null), Val.i32(11)];
  const s = StructRef.new(store, typeId, fields);
  assert.deepEqual(call('sum', [Val.anyref(s)]), [Val.i64(-9n), Val.i32(-128), Val.i32(11)]);
  assert.deepEqual(call('f64bits', [Val.anyref(s)]), [Val.i64(0x7ff0000000000002n)]);
  assert.equal(s.ty(store), typeId);
  assert.ok(s.matchesTy(store, refType(typeId, false)));
  assert.throws(() => StructRef.new(store, typeId, fields.slice(1)), TypeError);
  assert.throws(() => StructRef.new(store, HT_ANY, fields), TypeError);
});

test('i31: the API and wasm agree on the 31-bit value', () => {
  const { store, call } = setup();
  for (const n of [0, 1, -1, 2 ** 30 - 1, -(2 ** 30)]) {
    const r = AnyRef.fromI31(store, I31.newI32(n)!);
    assert.deepEqual(call('i31', [Val.anyref(r)]), [Val.i32(n)]);
    assert.equal(r.asI31(store)!.getI32(), n);
    assert.equal(r.ty(store), HT_I31);
  }
  assert.equal(I31.newI32(2 ** 30), null);
  assert.equal(I31.newU32(2 ** 31), null);
  assert.equal(I31.wrappingU32(2 ** 31 - 1).getI32(), -1);
  assert.equal(I31.wrappingI32(-1).getU32(), 0x7fffffff);
  assert.throws(() => call('i31', [call('make')[0]!]), TypeError, 'a struct for an i31ref parameter');
});

test('externref and anyref convert into each other keeping identity', () => {
  const { store, call } = setup();
  const host = { fd: 3 };
  const ext = ExternRef.new(store, host);
  const inside = AnyRef.convertExtern(store, ext);
  assert.equal(inside.ty(store), HT_ANY);
  assert.equal(inside.isEqRef(store), false);
  const back = call('out', [Val.anyref(inside)])[0]!.value as ExternRef;
  assert.equal(back, ext);
  assert.equal(back.data(store), host);
  const fromWasm = call('in', [Val.externref(ext)])[0]!.value as AnyRef;
  assert.equal(fromWasm.asExtern(store), ext);
  const s = call('make')[0]!.value as AnyRef;
  const sx = ExternRef.convertAny(store, s);
  assert.equal(sx.data(store), null, 'an externalised struct has no host data');
  assert.deepEqual(call('isStruct', [Val.externref(sx)]), [Val.i32(1)]);
  const sx2 = call('out', [Val.anyref(s)])[0]!.value as ExternRef;
  assert.equal(AnyRef.convertExtern(store, sx2), s);
});

test('host functions and typed functions take and return AnyRefs', () => {
  const { store, call } = setup();
  const engine = store.engine;
  const s = call('make')[0]!.value as AnyRef;
  const echo = Func.wrap(store, funcType([ANYREF], [ANYREF]), (x: AnyRef | null) => x);
  const m = new Module(engine, parseWat(`(module (import "" "echo" (func $e (param anyref) (result anyref)))
    (func (export "f") (param anyref) (result anyref) (call $e (local.get 0))))`));
  const inst = new Instance(store, m, [echo]);
  assert.equal(inst.getTypedFunc(store, 'f', [ANYREF], [ANYREF]).call(store, s), s);
  assert.equal(inst.getFunc(store, 'f')!.call(store, [Val.anyref(s)])[0]!.value, s);
  const bad = Func.wrap(store, funcType([], [refType(HT_I31, false)]), () => s);
  const m2 = new Module(engine, parseWat(`(module (import "" "bad" (func $b (result (ref i31)))) (func (export "f") (result i32) (i31.get_s (call $b))))`));
  assert.throws(() => new Instance(store, m2, [bad]).getFunc(store, 'f')!.call(store, []), TypeError, 'a host result of the wrong type');
});

test('an AnyRef of one store is refused in another', () => {
  const { store, call } = setup();
  const other = new Store(store.engine);
  const s = call('make')[0]!;
  const g = new Global(other, { type: ANYREF, mutable: true }, Val.anyref(null));
  assert.throws(() => g.set(other, s), /wrong store/);
  assert.throws(() => (s.value as AnyRef).asStruct(other), /wrong store/);
  const t = new Table(other, { element: ANYREF, limits: { min: 1, max: null }, address64: false }, Val.anyref(null));
  assert.throws(() => t.set(other, 0, s), /wrong store/);
  assert.equal(g.get(other).value, null);
});

test('raw references are only what toRaw made, of their own kind and store (stop 36 GC audit)', () => {
  const { store, call, instance } = setup();
  const other = new Store(store.engine);
  const s = call('make')[0]!.value as AnyRef;
  const engineStruct = s.raw as object;
  // Store B's wasm changing store A's struct through its engine object: refused every way.
  const otherInstance = new Instance(other, new Module(other.engine, parseWat(wat)), []);
  const isStruct = otherInstance.getFunc(other, 'isStruct')!;
  assert.throws(() => ExternRef.fromRaw(other, engineStruct), TypeError);
  assert.throws(() => AnyRef.fromRaw(other, engineStruct), TypeError);
  assert.throws(() => Val.fromRaw(other, engineStruct, ANYREF), TypeError);
  assert.throws(() => isStruct.callUnchecked(other, [engineStruct]), TypeError);
  assert.throws(() => ExternRef.convertAny(other, { store: other, raw: engineStruct } as unknown as AnyRef), TypeError);
  assert.throws(() => AnyRef.convertExtern(other, { store: other, raw: engineStruct } as unknown as ExternRef), /wrong store/);
  // A raw of another hierarchy is refused too, so the host never holds an engine function or exception.
  const f = instance.getFunc(store, 'make')!;
  assert.throws(() => Val.fromRaw(store, f.toRaw(store), ANYREF), TypeError);
  assert.throws(() => Val.fromRaw(store, f.toRaw(store), heapExtern()), TypeError);
  assert.throws(() => Val.fromRaw(store, s.toRaw(store), heapExtern()), TypeError);
  // What toRaw made still comes back.
  assert.equal(Val.fromRaw(store, Val.toRaw(store, Val.anyref(s)), ANYREF).value, s);
});

function heapExtern() {
  return refType(HT_EXTERN, true);
}

test('matchesTy is false for every type of another hierarchy; an externalised i31 holds no host data', () => {
  const { store, call } = setup();
  const s = call('make')[0]!.value as AnyRef;
  const i = AnyRef.fromI31(store, I31.wrappingI32(3));
  const host = AnyRef.convertExtern(store, ExternRef.new(store, {}));
  for (const r of [s, i, host]) {
    assert.equal(r.matchesTy(store, ANYREF), true);
    for (const h of [HT_EXTERN, HT_EXN, HT_FUNC, HT_NOEXTERN]) {
      assert.equal(r.matchesTy(store, refType(h, true)), false, `heap type ${h}`);
      assert.equal(r.matchesTy(store, refType(h, false)), false, `heap type ${h}, non-null`);
    }
  }
  const ix = call('out', [Val.anyref(i)])[0]!.value as ExternRef;
  assert.equal(ix.data(store), null, "Wasmtime's ExternRef::data is None for an i31");
  assert.equal(ExternRef.new(store, 3).data(store), 3, 'a host number is host data');
  for (const bad of [1.5, NaN, Infinity, '7', undefined, 5n]) {
    assert.throws(() => I31.wrappingI32(bad as number), TypeError, String(bad));
    assert.throws(() => I31.wrappingU32(bad as number), TypeError, String(bad));
  }
});

test('a funcref Val holds a Func: forged handles and malformed Vals are TypeErrors, never run', () => {
  const { store, instance } = setup();
  const other = new Store(store.engine);
  const a = instance.getFunc(store, 'make')!;
  const m = new Module(store.engine, parseWat(`(module (type $t (func (result (ref null 0))))
    (func (export "call") (param funcref) (result i32) (ref.is_null (local.get 0)))
    (table (export "t") 1 funcref))`));
  const b = new Instance(other, m, []);
  const forged = { type: 'funcref', value: { store: other, raw: a.raw } } as unknown as Val;
  assert.throws(() => b.getFunc(other, 'call')!.call(other, [forged]), TypeError);
  assert.throws(() => b.getTable(other, 't')!.set(other, 0, forged), TypeError);
  assert.throws(() => Val.toRaw(other, forged), TypeError);
  for (const v of [{ type: 'funcref', value: undefined }, { type: 'funcref', value: 42 }, {}, { type: 'i31ref', value: 1 },
    { type: 'i32', value: 'abc' }, { type: 'anyref', value: 5 }, { type: 'externref', value: 's' }]) {
    assert.throws(() => Val.toRaw(store, v as unknown as Val), TypeError, JSON.stringify(v));
  }
  // undefined is not null for a reference result or argument (docs/embedding.md: no silent conversion).
  const undef = Func.wrap(store, funcType([], [ANYREF]), () => undefined);
  assert.throws(() => undef.call(store, []), TypeError);
  const echo = new Instance(store, new Module(store.engine, parseWat('(module (func (export "id") (param anyref) (result anyref) (local.get 0)))')), []);
  assert.throws(() => echo.getTypedFunc(store, 'id', [ANYREF], [ANYREF]).call(store, undefined as unknown as null), TypeError);
});

test('a method called on another kind of value (detached or borrowed) is a TypeError naming it', () => {
  const { store, call } = setup();
  const s = call('make')[0]!.value as StructRef;
  const a = call('array')[0]!.value as ArrayRef;
  const named = (method: string) => (e: unknown) => e instanceof TypeError && e.message.includes(method);
  const { asStruct, isEqRef } = AnyRef.prototype;
  assert.throws(() => asStruct.call(undefined as never, store), named('AnyRef.asStruct'));
  assert.throws(() => isEqRef.call({} as never, store), named('AnyRef.isEqRef'));
  assert.throws(() => StructRef.prototype.field.call(a as never, store, 0), named('StructRef.field'));
  assert.throws(() => ArrayRef.prototype.len.call(s as never, store), named('ArrayRef.len'));
  assert.equal((s as StructRef).asStruct(store), s);
});

test('an ExternRef holding a revoked Proxy goes through wasm, tables and the GC conversions like any host value', () => {
  // Telling a host value from a struct or array takes instanceof, which a revoked Proxy makes
  // throw: data(), fromRaw and the AnyRef queries used to fail with V8's TypeError.
  const engine = new Engine();
  const store = new Store(engine);
  const instance = new Instance(store, new Module(engine, parseWat(`(module (type $s (struct (field i32)))
    (table (export "t") 1 externref)
    (func (export "id") (param externref) (result externref) (local.get 0))
    (func (export "isS") (param externref) (result i32) (ref.test (ref $s) (any.convert_extern (local.get 0)))))`)), []);
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  const ref = ExternRef.new(store, proxy);
  const out = instance.getFunc(store, 'id')!.call(store, [Val.externref(ref)])[0]!.value as ExternRef;
  assert.equal(out, ref);
  assert.equal(out.data(store), proxy);
  assert.equal(instance.getFunc(store, 'isS')!.call(store, [Val.externref(ref)])[0]!.value, 0);
  const table = instance.getTable(store, 't')!;
  table.set(store, 0, Val.externref(ref));
  assert.equal((table.get(store, 0)!.value as ExternRef).data(store), proxy);
  const any = AnyRef.convertExtern(store, ref);
  assert.equal(any.isEqRef(store), false);
  assert.equal(any.ty(store), HT_ANY);
  assert.equal(any.asExtern(store)!.data(store), proxy);
});
