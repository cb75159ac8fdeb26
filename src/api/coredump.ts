// WasmCoreDump (Wasmtime's, with Config.coredumpOnTrap): what a store held when a trap left wasm —
// the trap's frames and every instance, memory and global of the store — and its serialization to
// the standard Wasm coredump format (WebAssembly/tool-conventions, Coredump.md).

import { Op } from '../binary/op.js';
import { Trap, type FrameInfo } from '../core/errors.js';
import { heapOf, isRef } from '../core/types.js';
import { utf8Bytes } from '../core/utf8.js';
import type { InstanceObject } from '../runtime/instance.js';
import { nonZeroRegions } from '../runtime/memory-regions.js';
import { SECTION, writeActiveData, writeMemoryType, writeSection, writeValueConst } from '../runtime/state-encoding.js';
import { formatBacktrace, frameCodeUrl } from '../runtime/traps.js';
import { ByteWriter } from '../text/writer.js';
import { topOfHeap } from '../validate/type-registry.js';
import { Global } from './global.js';
import { Instance } from './instance.js';
import { externFromRaw } from './extern.js';
import type { Memory } from './memory.js';
import type { Module } from './module.js';
import type { SharedMemory } from './shared-memory.js';
import { checkStore, type AsContext, type Store } from './store.js';

const coredumps = new WeakMap<object, WasmCoreDump>();

/**
 * The state of a store when a trap left wasm (Wasmtime's WasmCoreDump). The lists hold the
 * objects themselves: `serialize` writes their contents as they are when it is called.
 */
export class WasmCoreDump {
  /** The trap's frames, innermost first (its backtrace). */
  readonly frames: readonly FrameInfo[];
  /** The modules of the store's instances, each once. */
  readonly modules: readonly Module[];
  /** Every instance of the store, in creation order. */
  readonly instances: readonly Instance[];
  /** Every memory of the store: those the host created, then the instances' (each once; a shared one as its SharedMemory). */
  readonly memories: readonly (Memory | SharedMemory)[];
  /** Every global of the store: those the host created, then the instances' (each once). */
  readonly globals: readonly Global[];
  /** The store it describes. */
  readonly store: Store<any>;
  /** Per frame, the index in `instances` of the instance it ran in (-1: none of this store's). */
  readonly #frameInstances: readonly number[];

  /** @internal */
  constructor(store: Store<any>, frames: readonly FrameInfo[], entry: InstanceObject | null) {
    const kept = store.raw.dumpable!;
    this.store = store;
    this.frames = frames;
    const rawInstances = kept.instances.slice();
    const rawMemories = unique([...kept.memories, ...rawInstances.flatMap((i) => i.memories)]);
    const rawGlobals = unique([...kept.globals, ...rawInstances.flatMap((i) => i.globals)]);
    this.instances = rawInstances.map((raw) => Instance.fromRaw(store, raw));
    this.modules = unique(rawInstances.map((raw) => raw.module as Module));
    this.memories = rawMemories.map((raw) => externFromRaw(store, raw) as Memory | SharedMemory);
    this.globals = rawGlobals.map((raw) => Global.fromRaw(store, raw));
    const urls = rawInstances.map((raw) => raw.module.code().url);
    const entryIndex = entry === null ? -1 : rawInstances.indexOf(entry);
    this.#frameInstances = frames.map((f) => instanceOfFrame(f, urls, entryIndex));
  }

  /** The coredump a trap carries (with Config.coredumpOnTrap), or null for anything else. */
  static fromError(error: unknown): WasmCoreDump | null {
    return typeof error === 'object' && error !== null ? coredumps.get(error) ?? null : null;
  }

  /**
   * The coredump in the standard format (Wasmtime's `serialize`): a wasm binary whose custom
   * sections name the process (`name`), the modules and instances and list the frames, and whose
   * memory, global and data sections hold the store's memories (their non-zero bytes now) and
   * globals. Locals and operand stack values are not recorded (each frame lists none), and a
   * reference global is written as null: the format can hold no reference.
   */
  serialize(cx: AsContext<any>, name: string): Uint8Array {
    checkStore(cx, this);
    if (typeof name !== 'string') throw new TypeError('WasmCoreDump.serialize: the name must be a string');
    const instances = this.instances.map((i) => i.raw);
    const memories = this.memories.map((m) => m.raw);
    const globals = this.globals.map((g) => g.raw);
    const modules = this.modules;
    const out = new ByteWriter(1024);
    out.bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    custom(out, 'core', (w) => {
      w.byte(0x00);
      w.vec(utf8Bytes(name));
    });
    custom(out, 'coremodules', (w) => {
      w.u32(modules.length);
      for (const m of modules) {
        w.byte(0x00);
        w.vec(utf8Bytes(m.name ?? '<module>'));
      }
    });
    custom(out, 'coreinstances', (w) => {
      w.u32(instances.length);
      for (const raw of instances) {
        w.byte(0x00);
        w.u32(modules.indexOf(raw.module as Module));
        indices(w, raw.memories, memories);
        indices(w, raw.globals, globals);
      }
    });
    custom(out, 'corestack', (w) => {
      w.byte(0x00);
      w.vec(utf8Bytes('main'));
      const frames = this.frames.map((f, i) => ({ f, instance: this.#frameInstances[i]! })).filter((x) => x.instance >= 0);
      w.u32(frames.length);
      for (const { f, instance } of frames) {
        w.byte(0x00);
        w.u32(instance);
        w.u32(f.funcIndex);
        w.u32(f.funcOffset ?? 0);
        w.u32(0); // locals: not recorded
        w.u32(0); // operand stack: not recorded
      }
    });
    section(out, SECTION.memory, (w) => {
      w.u32(memories.length);
      for (const m of memories) writeMemoryType(w, m.type, m.pages);
    });
    section(out, SECTION.global, (w) => {
      w.u32(globals.length);
      for (const g of globals) {
        const type = g.type.type;
        if (isRef(type)) {
          // (ref null <top>) holding null: no module-local type index exists here to name, and no
          // constant instruction but ref.null makes a reference.
          const top = topOfHeap(heapOf(type));
          w.byte(0x63);
          w.s32(top);
          w.byte(0x00);
          w.byte(0xd0);
          w.s32(top);
        } else {
          w.byte(type);
          w.byte(0x00);
          writeValueConst(w, type, g);
        }
        w.byte(Op.End);
      }
    });
    const regions = memories.map((m) => nonZeroRegions(m.bytes));
    section(out, SECTION.data, (w) => {
      w.u32(regions.reduce((n, r) => n + r.length, 0));
      regions.forEach((rs, i) => {
        for (const r of rs) writeActiveData(w, i, memories[i]!.type.address64, r.offset, r.bytes);
      });
    });
    return out.toBytes();
  }

  /** A summary in Wasmtime's words: the store's objects, then the backtrace. */
  toString(): string {
    const id = this.store.id;
    const list = (kind: string, n: number) => Array.from({ length: n }, (_, i) => `  ${kind}(store=${id}, index=${i})`);
    return [
      `wasm coredump generated while executing store ${id}:`,
      'modules:', ...this.modules.map((m) => `  ${m.name ?? '<module>'}`),
      'instances:', ...list('Instance', this.instances.length),
      'memories:', ...list('Memory', this.memories.length),
      'globals:', ...list('Global', this.globals.length),
      'backtrace:', formatBacktrace(this.frames),
    ].join('\n');
  }
}

/**
 * Gives a trap leaving wasm through `store` that store's coredump, when the store keeps one
 * (Config.coredumpOnTrap) and the trap has none yet (from a store it left first). `entry` is the
 * instance the host called into, or the one being instantiated.
 */
export function attachCoredump(store: Store<any>, error: unknown, entry: InstanceObject | null): void {
  if (store.raw.dumpable === null || !(error instanceof Trap) || coredumps.has(error)) return;
  coredumps.set(error, new WasmCoreDump(store, error.backtrace, entry));
}

/**
 * The index of the instance a frame ran in, among instances whose module code has sourceURL
 * `urls[i]` (-1: none). When several have the frame's code, the JS stack cannot tell which: the
 * entry instance (index `entry`) when it is one of them (calls within an instance are by far the
 * most common), else the first.
 */
function instanceOfFrame(frame: FrameInfo, urls: readonly string[], entry: number): number {
  const url = frameCodeUrl(frame);
  if (url === null) return -1;
  return entry >= 0 && urls[entry] === url ? entry : urls.indexOf(url);
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/** The coredump indices of `objects` in `all` (an instance's memories or globals). */
function indices<T>(w: ByteWriter, objects: readonly T[], all: readonly T[]): void {
  w.u32(objects.length);
  for (const x of objects) w.u32(all.indexOf(x));
}

/** A section whose body `write` writes. */
function section(out: ByteWriter, id: number, write: (w: ByteWriter) => void): void {
  const w = new ByteWriter();
  write(w);
  writeSection(out, id, w.toBytes());
}

function custom(out: ByteWriter, name: string, write: (w: ByteWriter) => void): void {
  section(out, SECTION.custom, (w) => {
    w.vec(utf8Bytes(name));
    write(w);
  });
}
