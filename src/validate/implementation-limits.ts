// Limits the core spec leaves to implementations, set where Wasmtime's validator (wasmparser) sets
// them. A module past one would otherwise fail later and less clearly: a function of 65,536
// parameters compiles to JS that does not parse, a subtype chain 20,000 deep overflows the stack
// while its runtime type is built, a struct of 100,000 fields gets a constructor V8 refuses.

import type { ModuleInfo } from '../binary/module.js';
import { ImplementationLimitError } from '../core/errors.js';

export const MAX_TYPES = 1_000_000;
export const MAX_FUNCTIONS = 1_000_000;
export const MAX_PARAMS = 1000;
export const MAX_RESULTS = 1000;
export const MAX_STRUCT_FIELDS = 10_000;
export const MAX_SUBTYPE_DEPTH = 63;

function check(what: string, count: number, limit: number, at: number): void {
  if (count > limit) throw new ImplementationLimitError(`${what}: ${count} is beyond the implementation limit of ${limit}`, at);
}

/** Throws an ImplementationLimitError (a CompileError, with the definition's offset) for a module past a limit. */
export function checkImplementationLimits(m: ModuleInfo): void {
  const at = m.offsets.types;
  check('types', m.types.length, MAX_TYPES, at[MAX_TYPES] ?? -1);
  check('defined functions', m.funcTypes.length - m.numImportedFuncs, MAX_FUNCTIONS, m.offsets.funcs[MAX_FUNCTIONS] ?? -1);
  const depth: number[] = [];
  m.types.forEach((t, x) => {
    const c = t.composite;
    if (c.kind === 'func') {
      check(`parameters of type ${x}`, c.params.length, MAX_PARAMS, at[x] ?? -1);
      check(`results of type ${x}`, c.results.length, MAX_RESULTS, at[x] ?? -1);
    } else if (c.kind === 'struct') {
      check(`fields of type ${x}`, c.fields.length, MAX_STRUCT_FIELDS, at[x] ?? -1);
    }
    const sup = t.supertypes[0];
    depth[x] = sup === undefined ? 0 : (depth[sup] ?? 0) + 1;
    check(`subtype depth of type ${x}`, depth[x]!, MAX_SUBTYPE_DEPTH, at[x] ?? -1);
  });
}
