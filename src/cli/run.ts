// `tswasm run FILE.wasm|FILE.wat --invoke NAME ARG...`: instantiates a module and calls one export
// (like `wasmtime run --invoke`); results one per line, a trap to stderr with its wasm backtrace.

import type { Command } from './main.js';
import { readModuleFile } from './read-module.js';
import {
  Engine, F32, F64, Func, I32, I64, Instance, Module, Store, Trap, Val, formatBacktrace, valTypeName, type ValType,
} from '../api/index.js';

const USAGE = 'usage: tswasm run FILE.wasm|FILE.wat --invoke NAME [ARG...]';

function parseArg(t: ValType, text: string): Val {
  switch (t) {
    case I32: return Val.i32(Number(BigInt.asIntN(32, BigInt(text))));
    case I64: return Val.i64(BigInt(text));
    case F32: return Val.f32(Number(text));
    case F64: return Val.f64(Number(text));
  }
  throw new Error(`cannot pass a ${valTypeName(t)} argument from the command line`);
}

function show(v: Val): string {
  switch (v.type) {
    case 'i32': case 'i64': return String(v.value);
    case 'f32': case 'f64': return String(Val.toNumber(v));
    case 'funcref': return v.value === null ? 'null' : '<funcref>';
    case 'externref': return v.value === null ? 'null' : '<externref>';
  }
}

export const command: Command = {
  summary: 'run an exported function of a module (--invoke NAME ARG...)',
  async run(args: string[]): Promise<number> {
    const file = args[0];
    const at = args.indexOf('--invoke');
    if (file === undefined || file.startsWith('-')) {
      console.error(USAGE);
      return 2;
    }
    const engine = new Engine();
    const store = new Store(engine);
    let module: Module;
    try {
      module = new Module(engine, readModuleFile(file));
    } catch (e) {
      console.error(`tswasm run: ${file}: ${(e as Error).message}`);
      return 1;
    }
    if (at < 0) {
      const wasi = module.imports().some((i) => i.module.startsWith('wasi'));
      console.error(wasi ? 'tswasm run: WASI is not supported yet; use --invoke NAME to call an export' : USAGE);
      return 2;
    }
    const name = args[at + 1];
    if (name === undefined) {
      console.error(USAGE);
      return 2;
    }
    if (module.imports().length > 0) {
      const first = module.imports()[0]!;
      console.error(`tswasm run: the module imports "${first.module}" "${first.name}"; imports are not supported by run yet`);
      return 1;
    }
    try {
      const instance = new Instance(store, module, []);
      const func = instance.getExport(store, name);
      if (!(func instanceof Func)) {
        console.error(`tswasm run: no exported function "${name}"`);
        return 1;
      }
      const params = func.type(store).params;
      const texts = args.slice(at + 2);
      if (texts.length !== params.length) {
        console.error(`tswasm run: "${name}" takes ${params.length} arguments, got ${texts.length}`);
        return 2;
      }
      const results = func.call(store, params.map((t, i) => parseArg(t, texts[i]!)));
      for (const r of results) console.log(show(r));
      return 0;
    } catch (e) {
      if (e instanceof Trap) {
        console.error(`error: wasm trap: ${e.code}: ${e.message}`);
        if (e.backtrace.length) console.error(`wasm backtrace:\n${formatBacktrace(e.backtrace)}`);
        return 134;
      }
      console.error(`tswasm run: ${(e as Error).message}`);
      return 1;
    }
  },
};
