// Whether an imported precompiled module's code sits at the lines tswasm wrote it at. Backtrace
// offsets of such code are read from the factory's own text placed at FACTORY_LINE (api/module.ts);
// a file whose lines moved (a header added, a bundler's rewrite) would map frames to the wrong
// instructions, so the first instantiation checks where the code really is.

import { FACTORY_LINE } from './serialize-js.js';

/**
 * The line of the module file where generated code first reads its context (`const RT = ctx.rt;`,
 * after `"use strict";` and `return function instantiate(ctx) {`).
 */
export const CONTEXT_READ_LINE = FACTORY_LINE + 3;

/**
 * `ctx` behind a getter of `rt` that tells `report` the line of the file named `url` it was first
 * read from (null when the stack does not say): the same object otherwise.
 */
export function lineProbe(ctx: object, url: string, report: (line: number | null) => void): object {
  let reported = false;
  return Object.create(ctx, {
    rt: {
      get(): unknown {
        if (!reported) {
          reported = true;
          report(callerLine(url));
        }
        return (ctx as { rt: unknown }).rt;
      },
    },
  }) as object;
}

/** The line of the innermost frame in `url` (V8's `(url:line:col)`, or `url:line:col` elsewhere). */
function callerLine(url: string): number | null {
  let stack = '';
  try {
    stack = new Error().stack ?? '';
  } catch {
    return null;
  }
  for (const line of stack.split('\n')) {
    const at = line.lastIndexOf(`${url}:`);
    if (at < 0) continue;
    const m = /^:(\d+):\d+/.exec(line.slice(at + url.length));
    return m === null ? null : Number(m[1]);
  }
  return null;
}
