// The execution fuzzer's modules on tswasm in another JS engine, against tswasm on Node (where the
// fuzzer checks it against native WebAssembly): results, trap codes, globals and memory after every
// call must agree, NaN bits included. Its purpose is JavaScriptCore and SpiderMonkey, which NaN-box
// their values, so that tswasm carries NaNs there as NaNBoxes (core/nan-boxing.ts).
// Build first (npm run build), then record on Node and replay in a shell:
//   node tools/js-shell-replay.mjs record SEED FROM COUNT > /tmp/replay.json
//   jsc -m tools/js-shell-replay.mjs -- replay /tmp/replay.json
//   REPLAY=/tmp/replay.json js102 -m tools/js-shell-replay.mjs
// With `--split-everywhere` after the file (or SPLIT_EVERYWHERE=1 for js102) every chain of two or
// more blocks is compiled as parts in the shell (compile/split.ts's test switch); with `--tuned` (or
// TUNED=1) the shell's code is tuned for its own interpreter (Config.tuneForInterpreter: true).
// Prints one line per disagreement and a summary; modules with host imports are left out
// (exec-fuzz-core.ts: transcript).

import { compareOutcome, transcript, tunedTranscriptEngine } from '../dist/tools/exec-fuzz-core.js';
import { forceSplitEverywhere } from '../dist/src/compile/split-choice.js';
import { args, getenv, inNode, out, readText } from './js-shell-host.mjs';

// SpiderMonkey's shell can also be given the file in $REPLAY.
const fromEnv = inNode ? undefined : getenv('REPLAY');
const [mode, ...rest] = fromEnv ? ['replay', fromEnv] : args;

const encode = (entries) => entries.map((e) => ({
  outcome: e.outcome.kind === 'values' ? { kind: 'values', values: e.outcome.values.map(String) } : e.outcome,
  globals: e.globals.map(String),
  memory: e.memory,
}));
const decodeOutcome = (o) => (o.kind === 'values' ? { kind: 'values', values: o.values.map(BigInt) } : o);

if (mode === 'record') {
  const [seed, from, count] = rest.map(Number);
  const modules = [];
  for (let i = from; i < from + count; i++) modules.push({ index: i, entries: encode(transcript(seed, i).entries) });
  out(JSON.stringify({ seed, modules }));
} else if (mode === 'replay') {
  if (rest.includes('--split-everywhere') || getenv('SPLIT_EVERYWHERE') === '1') forceSplitEverywhere(true);
  const engine = rest.includes('--tuned') || getenv('TUNED') === '1' ? tunedTranscriptEngine() : undefined;
  const { seed, modules } = JSON.parse(readText(rest[0]));
  let calls = 0;
  let compared = 0;
  let differ = 0;
  for (const m of modules) {
    const { plan, entries } = transcript(seed, m.index, {}, engine);
    if (m.entries.length > 0) compared++;
    for (let k = 0; k < m.entries.length; k++) {
      const want = m.entries[k];
      const got = entries[k];
      const exp = plan.exports[plan.calls[k].exportIndex];
      calls++;
      const where = `seed ${seed} module ${m.index} call ${k} (${exp.name})`;
      if (got === undefined) {
        out(`${where}: Node made the call, this engine stopped before it`);
        differ++;
        break;
      }
      // Both sides are tswasm, so traps are compared by code (compareOutcome reads native messages).
      const cmp = want.outcome.kind === 'trap' && got.outcome.kind === 'trap'
        ? { diff: want.outcome.what === got.outcome.what ? null : `trap ${want.outcome.what} on Node, ${got.outcome.what} here` }
        : compareOutcome(decodeOutcome(want.outcome), got.outcome, exp.results, plan.mode === 'raw');
      const globals = got.globals.map(String).join(',') === want.globals.join(',');
      if (cmp.diff !== null || !globals || got.memory !== want.memory) {
        out(`${where}: ${cmp.diff ?? (globals ? `memory ${want.memory} on Node, ${got.memory} here` : `globals ${want.globals} on Node, ${got.globals.map(String)} here`)}`);
        differ++;
        break;
      }
    }
  }
  out(`replay: ${modules.length} modules (${compared} with calls), ${calls} calls, ${differ} disagreeing`);
} else {
  throw new Error('usage: record SEED FROM COUNT | replay FILE');
}
