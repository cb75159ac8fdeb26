// tswasm as a WebAssembly-compatible object for the shared benchmark harnesses (run-anchors.mjs,
// run-realworld.mjs): a thin JS-API-shaped layer over the built embedding API in dist/.
// Build first (`npm run build`); `npm run bench` does both.

import {
  Engine, Store, Module as TsModule, Instance as TsInstance, Func, Memory as TsMemory,
  Table as TsTable, Global as TsGlobal, Val, valToJs, jsToVal, CompileError, LinkError, RuntimeError,
  I32, I64, F32, F64, FUNCREF, EXTERNREF,
} from '../dist/src/api/index.js';

const engine = new Engine({ compilation: process.env.TSWASM_COMPILATION === 'eager' ? 'eager' : 'lazy' });
const store = new Store(engine);

const VALTYPES = { i32: I32, i64: I64, f32: F32, f64: F64, anyfunc: FUNCREF, funcref: FUNCREF, externref: EXTERNREF };

function toBytes(source) {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  throw new TypeError('expected bytes');
}

class Module {
  constructor(bytes) {
    this._m = new TsModule(engine, toBytes(bytes));
  }
  static exports(m) {
    return m._m.exports().map((e) => ({ name: e.name, kind: e.type.kind === 'func' ? 'function' : e.type.kind }));
  }
  static imports(m) {
    return m._m.imports().map((i) => ({ module: i.module, name: i.name, kind: i.type.kind === 'func' ? 'function' : i.type.kind }));
  }
}

class Memory {
  constructor(desc, raw) {
    this._h = raw ?? new TsMemory(store, {
      limits: { min: desc.initial, max: desc.maximum ?? null }, address64: false, shared: false, pageSizeLog2: 16,
    });
  }
  get buffer() {
    return this._h.data(store).buffer;
  }
  grow(delta) {
    return this._h.grow(store, delta);
  }
}

class Table {
  constructor(desc, value, raw) {
    this._h = raw ?? new TsTable(store, {
      element: VALTYPES[desc.element], limits: { min: desc.initial, max: desc.maximum ?? null }, address64: false,
    }, desc.element === 'externref' ? Val.externref(value ?? null) : Val.funcref(null));
  }
  get length() {
    return this._h.size(store);
  }
  get(i) {
    const v = this._h.get(store, i);
    if (v === undefined) throw new RangeError('table index out of bounds');
    return v.type === 'funcref' ? (v.value ? exportFunction(v.value) : null) : v.value;
  }
  set(i, value) {
    const t = this._h.type(store).element;
    this._h.set(store, i, t === EXTERNREF ? Val.externref(value ?? null) : Val.funcref(value ? value._func : null));
  }
  grow(delta) {
    return this._h.grow(store, delta, Val.funcref(null));
  }
}

class Global {
  constructor(desc, value, raw) {
    this._h = raw ?? new TsGlobal(store, { type: VALTYPES[desc.value], mutable: !!desc.mutable }, jsToVal(VALTYPES[desc.value], value ?? 0));
  }
  get value() {
    return valToJs(this._h.get(store));
  }
  set value(v) {
    this._h.set(store, jsToVal(this._h.type(store).type, v));
  }
  valueOf() {
    return this.value;
  }
}

const exported = new WeakMap();
function exportFunction(f) {
  let js = exported.get(f);
  if (js) return js;
  const type = f.type(store);
  const results = type.results;
  js = (...args) => {
    const r = f.call(store, type.params.map((t, i) => jsToVal(t, args[i])));
    if (results.length === 0) return undefined;
    if (results.length === 1) return valToJs(r[0]);
    return r.map(valToJs);
  };
  js._func = f;
  exported.set(f, js);
  return js;
}

class Instance {
  constructor(module, importObject = {}) {
    const externs = module._m.imports().map((imp) => {
      const v = importObject?.[imp.module]?.[imp.name];
      if (v === undefined) throw new LinkError(`import "${imp.module}" "${imp.name}" is missing`);
      switch (imp.type.kind) {
        case 'func':
          if (v && v._func) return v._func;
          if (typeof v !== 'function') throw new LinkError(`import "${imp.module}" "${imp.name}" must be a function`);
          return Func.wrap(store, imp.type.type, v);
        case 'memory':
          return v._h;
        case 'table':
          return v._h;
        case 'global':
          if (v instanceof Global) return v._h;
          return new TsGlobal(store, imp.type.type, jsToVal(imp.type.type.type, v));
        default:
          throw new LinkError(`import kind ${imp.type.kind} is not supported`);
      }
    });
    this._i = new TsInstance(store, module._m, externs);
    const exports = {};
    for (const { name, value } of this._i.exports(store)) {
      if (value instanceof Func) exports[name] = exportFunction(value);
      else if (value instanceof TsMemory) exports[name] = new Memory(null, value);
      else if (value instanceof TsTable) exports[name] = new Table(null, null, value);
      else exports[name] = new Global(null, null, value);
    }
    this.exports = Object.freeze(exports);
  }
}

export const WebAssembly = {
  Module, Instance, Memory, Table, Global, CompileError, LinkError, RuntimeError,
  async compile(bytes) {
    return new Module(bytes);
  },
  async instantiate(source, imports) {
    if (source instanceof Module) return new Instance(source, imports);
    const module = new Module(source);
    return { module, instance: new Instance(module, imports) };
  },
  validate(bytes) {
    try {
      TsModule.validate(engine, toBytes(bytes));
      return true;
    } catch {
      return false;
    }
  },
};

export default WebAssembly;
