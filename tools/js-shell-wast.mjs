// The spec suite in a JS engine's own shell, outside Node: SpiderMonkey's (`js102`, Debian's
// libmozjs-102-dev), JavaScriptCore's (`jsc`, libjavascriptcoregtk-4.0-bin) and any shell with
// `read` or `os.file.readFile`, `print` and ES modules. Build first (npm run build); the shell reads
// the list of .wast files (paths relative to the suite) from a file:
//   (cd ../shared/testsuite && find . -name '*.wast' | sort) > /tmp/wast-list.txt
//   WAST_ROOT=../shared/testsuite WAST_LIST=/tmp/wast-list.txt js102 -m tools/js-shell-wast.mjs
//   jsc -m tools/js-shell-wast.mjs -- ../shared/testsuite /tmp/wast-list.txt
// Prints the totals as JSON, then every command that did not pass.

import { parseWast } from '../dist/src/text/wast.js';
import { parseWat } from '../dist/src/text/index.js';
import { runScript } from '../dist/src/spec/runner.js';
import { featuresFor } from '../dist/src/spec/suite.js';
import { ApiSpecEngine } from '../dist/src/spec/api-engine.js';
import { args, getenv, readText } from './js-shell-host.mjs';

/* global print */
const root = getenv('WAST_ROOT') ?? args[0];
const list = getenv('WAST_LIST') ?? args[1];
if (!root || !list) throw new Error('give the suite and a file listing .wast paths relative to it (WAST_ROOT and WAST_LIST, or as arguments)');

// `--tuned` after the list (or TUNED=1): the code tuned for this engine's interpreter.
const config = args.includes('--tuned') || getenv('TUNED') === '1' ? { tuneForInterpreter: true } : {};
const totals = {};
const notPassed = [];
for (const rel of readText(list).split('\n').map((l) => l.trim().replace(/^\.\//, '')).filter(Boolean)) {
  let report;
  try {
    const features = featuresFor(rel);
    report = runScript(parseWast(readText(`${root}/${rel}`), rel), { engine: new ApiSpecEngine(features, config), features, encodeText: parseWat, path: rel });
  } catch (e) {
    notPassed.push(`${rel}: the script did not run: ${e}`);
    continue;
  }
  for (const [kind, c] of Object.entries(report.kinds)) {
    totals[kind] ??= { passed: 0, failed: 0, skipped: 0 };
    totals[kind].passed += c.passed;
    totals[kind].failed += c.failed;
    totals[kind].skipped += c.skipped;
  }
  for (const n of report.notes) if (n.outcome !== 'passed') notPassed.push(`${rel}:${n.line} ${n.kind} ${n.outcome}: ${n.reason}`);
}
print(JSON.stringify(totals));
for (const line of notPassed) print(line);
