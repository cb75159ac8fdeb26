// JavaScriptCore writes a stack frame of code made by `new Function` as `name@`, without the
// `//# sourceURL` that tells backtraces (runtime/traps.ts) which module's code it is, and without a
// line; but it takes a function's own `displayName` property as the frame's name. Where frames come
// out nameless, each generated function is given `displayName` = `name@URL`, so its frame reads
// `$f3_name@tswasm-module-7.f3.js@`: the function and its module are known, its offsets are not.
// V8 and SpiderMonkey honour sourceURL (and ignore displayName), so they are left alone.
// JavaScriptCore also makes every call in tail position of strict-mode code a proper tail call,
// which drops the caller's frame: a function whose `return` divides (`l0 === 0 ? trapDivByZero() :
// ...`), loads (`dv0.getInt32(...)`) or calls would vanish from its traps' backtraces. Generated
// code does not need strict mode (it declares every variable and uses no `this` or `arguments`),
// so there it runs without it.

import { plainStack } from './stack-text.js';

let needed: boolean | undefined;
let tailCalls: boolean | undefined;

/**
 * The stack trace (in the engine's own format, whatever Error.prepareStackTrace the host installed)
 * of the Error that code generated from `source` returns; null where code cannot be generated.
 */
function generatedStack(source: string): string | null {
  let error: unknown;
  try {
    error = new Function(source)();
  } catch {
    return null;
  }
  return plainStack(error) ?? '';
}

/**
 * Whether this engine writes frames of generated code without their sourceURL. Callers ask before
 * nameFrames, so that where it does not (V8) a lazily compiled function costs no URL or array.
 */
export function framesNeedNames(): boolean {
  if (needed === undefined) {
    const stack = generatedStack('return new Error();\n//# sourceURL=tswasm-frame-probe.js');
    // Without code generation (precompiled code only): V8, whose frames read `    at name (URL:...)`,
    // honours the precompiled file's sourceURL; any other engine is given names, which costs
    // nothing where they are ignored.
    needed = stack === null ? !/\n\s+at /.test(plainStack(new Error()) ?? '') : !stack.includes('tswasm-frame-probe.js');
  }
  return needed;
}

/** Names generated functions for backtraces (where framesNeedNames); `url` is their code's sourceURL. */
export function nameFrames(url: string, fns: readonly (Function | null)[]): void {
  for (const fn of fns) {
    if (fn !== null && fn.name.startsWith('$f')) Object.defineProperty(fn, 'displayName', { value: `${fn.name}@${url}` });
  }
}

/** Whether strict-mode calls in tail position drop their caller's frame (JavaScriptCore). */
function properTailCalls(): boolean {
  if (tailCalls === undefined) {
    const stack = generatedStack('"use strict"; function inner() { return new Error(); } function outer() { return inner(); } return outer();');
    tailCalls = stack !== null && !stack.includes('outer');
  }
  return tailCalls;
}

/** Generated source as this engine should run it: without `"use strict"` where that drops frames. */
export function forFrames(source: string): string {
  return properTailCalls() && source.startsWith(STRICT) ? source.slice(STRICT.length) : source;
}

const STRICT = '"use strict";';
