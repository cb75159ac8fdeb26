// Serialized modules: round trips (in this process and in a fresh one, where canonical type ids
// differ), and refusal, before anything is evaluated, of corrupted, tampered, unsigned, foreign-key,
// other-version and other-configuration blobs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeserializeError, Engine, Instance, Module, Store, Trap, Val, type Config } from '../../src/index.js';
import { parseWat as parseWatBytes } from '../../src/text/index.js';

const wat = `(module $ser
  (type $bin (func (param i32) (result i32)))
  (table 3 funcref)
  (elem (i32.const 0) $double $square $neg)
  (memory (export "m") 1)
  (data (i32.const 8) "serialized")
  (global $calls (export "calls") (mut i32) (i32.const 0))
  (func $double (type $bin) (i32.mul (local.get 0) (i32.const 2)))
  (func $square (type $bin) (i32.mul (local.get 0) (local.get 0)))
  (func $neg (type $bin) (i32.sub (i32.const 0) (local.get 0)))
  (func $run (export "run") (param $which i32) (param $x i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (call_indirect (type $bin) (local.get $x) (local.get $which))))`;

function behaviour(engine: Engine, module: Module) {
  const store = new Store(engine);
  const instance = new Instance(store, module, []);
  const run = instance.getFunc(store, 'run')!;
  const results = [0, 1, 2].map((i) => run.call(store, [Val.i32(i), Val.i32(10)])[0]!.value);
  let trap: Trap | null = null;
  try {
    run.call(store, [Val.i32(3), Val.i32(10)]);
  } catch (e) {
    trap = e as Trap;
  }
  const text = new TextDecoder().decode(instance.getMemory(store, 'm')!.read(store, 8, 10));
  return { results, trap: trap?.message, frames: trap?.backtrace.map((f) => `${f.moduleName}!${f.funcName}`), text, calls: instance.getGlobal(store, 'calls')!.get(store).value };
}

for (const config of [{}, { compilation: 'eager' }, { serializationKey: 'k3y' }] as Config[]) {
  test(`deserialize -> instantiate behaves like the original (${JSON.stringify(config)})`, () => {
    const engine = new Engine(config);
    const module = new Module(engine, wat);
    const blob = module.serialize();
    const copy = Module.deserialize(engine, blob);
    assert.deepEqual(behaviour(engine, copy), behaviour(engine, module));
    assert.deepEqual(behaviour(engine, copy).results, [20, 100, -10]);
    assert.deepEqual(behaviour(engine, copy).frames, ['ser!run']);
    assert.deepEqual(copy.exports(), module.exports());
    // Serializing the copy gives the same blob.
    assert.deepEqual(copy.serialize(), blob);
  });
}

// Run in a child process: its type registry first assigns ids to 40 unrelated function types, so
// the module's types get other canonical ids there than here.
const CHILD = `
const { Engine, Func, I32, Instance, Module, Store, Val, funcType } = await import(process.env.TSWASM_API);
const { readFileSync } = await import('node:fs');
const engine = new Engine({ serializationKey: process.env.TSWASM_KEY });
const store = new Store(engine);
for (let i = 0; i < 40; i++) Func.create(store, funcType(new Array(i + 1).fill(I32), []), () => []);
const module = Module.deserialize(engine, readFileSync(process.env.TSWASM_BLOB));
const run = new Instance(store, module, []).getFunc(store, 'run');
const results = [0, 1, 2].map((i) => run.call(store, [Val.i32(i), Val.i32(10)])[0].value);
let trap = '';
try { run.call(store, [Val.i32(3), Val.i32(10)]); } catch (e) { trap = e.message + ' at ' + JSON.stringify(e.backtrace); }
process.stdout.write(JSON.stringify({ results, trap, canon: Array.from(module.canon) }));`;

test('a blob deserializes in a fresh process whose canonical type ids differ', () => {
  const engine = new Engine({ serializationKey: 'shared secret' });
  const module = new Module(engine, wat);
  const dir = mkdtempSync(join(tmpdir(), 'tswasm-ser-'));
  const blobPath = join(dir, 'module.bin');
  writeFileSync(blobPath, module.serialize());
  const env = { ...process.env, TSWASM_API: new URL('../../src/index.js', import.meta.url).href, TSWASM_BLOB: blobPath, TSWASM_KEY: 'shared secret' };
  const out = JSON.parse(execFileSync(process.execPath, [...process.execArgv, '--input-type=module', '-e', CHILD], { encoding: 'utf8', env }));
  const here = behaviour(engine, module);
  assert.notDeepEqual(out.canon, Array.from(module.canon), 'the child process should assign other canonical ids');
  assert.deepEqual(out.results, here.results);
  assert.match(out.trap, /uninitialized element|undefined element|out of bounds table access/);
  assert.match(out.trap, /"funcName":"run","moduleName":"ser"/);
});

// The blob layout (see src/api/serialize.ts): 8-byte magic, u32 format version, flags byte,
// length-prefixed fields, 32-byte tag.
function fields(blob: Uint8Array): Uint8Array[] {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const out: Uint8Array[] = [];
  for (let at = 13; at < blob.length - 32;) {
    const n = view.getUint32(at, true);
    out.push(blob.slice(at + 4, at + 4 + n));
    at += 4 + n;
  }
  return out;
}
function rebuild(blob: Uint8Array, parts: Uint8Array[], key: string | null): Uint8Array {
  const body: Uint8Array[] = [blob.slice(0, 13)];
  for (const p of parts) {
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, p.length, true);
    body.push(len, p);
  }
  const all = Buffer.concat(body);
  all[12] = key === null ? 0 : 1;
  const tag = key === null ? createHash('sha256').update(all).digest() : createHmac('sha256', key).update(all).digest();
  return new Uint8Array(Buffer.concat([all, tag]));
}
/** A blob whose generated code was replaced by an attacker's, with a matching plain checksum. */
function malicious(blob: Uint8Array, key: string | null): Uint8Array {
  const parts = fields(blob);
  parts[3] = new TextEncoder().encode(`globalThis.__tswasmPwned = true;\n${new TextDecoder().decode(parts[3])}`);
  return rebuild(blob, parts, key);
}

test('corrupted blobs are refused, and nothing in them runs', () => {
  const engine = new Engine();
  const blob = new Module(engine, wat).serialize();
  const evil = malicious(blob, null);
  // Flip one bit anywhere: header, fields or tag.
  for (const at of [0, 9, 20, Math.floor(blob.length / 2), blob.length - 40, blob.length - 1]) {
    const bad = evil.slice();
    bad[at] ^= 1;
    assert.throws(() => Module.deserialize(engine, bad), DeserializeError);
  }
  assert.throws(() => Module.deserialize(engine, blob.slice(0, blob.length - 1)), DeserializeError);
  assert.throws(() => Module.deserialize(engine, new Uint8Array(100)), /not a serialized tswasm module/);
  assert.throws(() => Module.deserialize(engine, new TextEncoder().encode('(module)')), /not a serialized tswasm module/);
  assert.equal((globalThis as { __tswasmPwned?: boolean }).__tswasmPwned, undefined);
});

test('with a serializationKey only blobs signed with that key are accepted', () => {
  const signer = new Engine({ serializationKey: 'right key' });
  const blob = new Module(signer, wat).serialize();
  assert.ok(Module.deserialize(new Engine({ serializationKey: 'right key' }), blob));
  const keyed = new Engine({ serializationKey: 'right key' });
  // An attacker who rewrites the code and recomputes a plain checksum, or signs with another key.
  assert.throws(() => Module.deserialize(keyed, malicious(blob, null)), /not signed/);
  assert.throws(() => Module.deserialize(keyed, malicious(blob, 'wrong key')), /signature does not verify/);
  assert.throws(() => Module.deserialize(new Engine({ serializationKey: 'other key' }), blob), /signature does not verify/);
  assert.throws(() => Module.deserialize(new Engine(), blob), /is signed; configure the engine with the serializationKey/);
  assert.equal((globalThis as { __tswasmPwned?: boolean }).__tswasmPwned, undefined);
  // Without a key the checksum cannot stop a deliberate rewrite: the documented limit of unkeyed blobs.
  const unkeyed = new Engine();
  const plain = malicious(new Module(unkeyed, wat).serialize(), null);
  new Instance(new Store(unkeyed), Module.deserialize(unkeyed, plain), []);
  assert.equal((globalThis as { __tswasmPwned?: boolean }).__tswasmPwned, true);
  delete (globalThis as { __tswasmPwned?: boolean }).__tswasmPwned;
});

test('blobs from another format, tswasm version or configuration are refused', () => {
  const engine = new Engine();
  const blob = new Module(engine, wat).serialize();
  const format = blob.slice();
  format[8] = 99;
  assert.throws(() => Module.deserialize(engine, format), /format version 99/);
  const parts = fields(blob);
  parts[0] = new TextEncoder().encode('0.0.1');
  assert.throws(() => Module.deserialize(engine, rebuild(blob, parts, null)), /made by tswasm 0\.0\.1/);
  const fuel = new Engine({ consumeFuel: true });
  assert.throws(() => Module.deserialize(engine, new Module(fuel, wat).serialize()), /another configuration: consumeFuel is true there, false here/);
  const features = new Engine({ features: { threads: true } });
  assert.throws(() => Module.deserialize(engine, new Module(features, wat).serialize()), /features differ \(only there: threads; only here: none\)/);
});

test('a module reads its input once, into a copy of its own; an empty serializationKey is refused (stop 36 serialization audit)', () => {
  const wat = `(module (memory (export "m") 1) (data (i32.const 0) "SAFE")
    (func (export "f") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))`;
  const run = (engine: Engine, module: Module) => {
    const store = new Store(engine);
    const instance = new Instance(store, module, []);
    return [instance.getFunc(store, 'f')!.call(store, [Val.i32(41)])[0]!.value, new TextDecoder().decode(instance.getMemory(store, 'm')!.read(store, 0, 4))];
  };
  // The caller's array changed after new Module: lazy compilation and instantiation used to read it then.
  const engine = new Engine();
  const wasm = new Module(engine, wat);
  const input = new Uint8Array(wasm.serialize());
  const fromBuffer = Module.deserialize(engine, Buffer.from(input));
  const plain = new Uint8Array(parseWatBytes(wat));
  const fromArray = new Module(engine, plain);
  plain.fill(0);
  assert.deepEqual(run(engine, fromArray), [42, 'SAFE']);
  // A Node Buffer's slice is a view: the deserialized module kept pointing into the caller's Buffer.
  const buffer = Buffer.from(input);
  const deserialized = Module.deserialize(engine, buffer);
  buffer.fill(0);
  assert.deepEqual(run(engine, deserialized), [42, 'SAFE']);
  assert.deepEqual(run(engine, fromBuffer), [42, 'SAFE']);
  assert.throws(() => new Engine({ serializationKey: '' }), TypeError);
  assert.throws(() => new Engine({ serializationKey: new Uint8Array(0) }), TypeError);
});
