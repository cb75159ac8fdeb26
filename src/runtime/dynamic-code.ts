// Whether this JS environment lets tswasm make functions from source text. A Content-Security-Policy
// without 'unsafe-eval', Node's --disallow-code-generation-from-strings and some embedded engines
// refuse `new Function`; tswasm then runs only precompiled modules (tswasm compile --js) and makes
// its small call adaptors and GC struct constructors as closures instead.

let allowed: boolean | undefined;

/** True unless the environment refuses `new Function` (probed once; under a CSP the probe may be reported). */
export function canGenerateCode(): boolean {
  if (allowed === undefined) {
    try {
      allowed = new Function('return true')() === true;
    } catch {
      allowed = false;
    }
  }
  return allowed;
}

/** Why a module cannot be compiled here: the environment forbids code generation. */
export const NO_CODE_GENERATION =
  'this JavaScript environment does not allow code generation from strings (for example a ' +
  "Content-Security-Policy without 'unsafe-eval'), so modules must be precompiled: see tswasm compile --js";

let closuresForced = false;

/** For tests and fuzzers: make the closure forms even where code generation is allowed. */
export function forceClosureForms(on: boolean): void {
  closuresForced = on;
}

/** Whether adaptors and GC struct constructors are made as closures instead of generated code. */
export function useClosureForms(): boolean {
  return closuresForced || !canGenerateCode();
}
