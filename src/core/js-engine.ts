// Which JS engine runs tswasm, for code shaped for its interpreter (Config.tuneForInterpreter):
// what is cheap without a JIT differs between them. They are told apart by what their Error objects
// carry of their own: JavaScriptCore's a `line`, SpiderMonkey's a `lineNumber`. Any other engine
// (V8, and engines not told apart, such as QuickJS or Hermes) gets the code shaped for V8's.

/** A JS engine whose interpreter generated code can be shaped for. */
export type JsEngine = 'v8' | 'javascriptcore' | 'spidermonkey';

export const JS_ENGINES: readonly JsEngine[] = ['v8', 'javascriptcore', 'spidermonkey'];

let detected: JsEngine | undefined;

/** The engine running this code, as far as its interpreter's shape goes. */
export function thisJsEngine(): JsEngine {
  if (detected === undefined) {
    const error = new Error();
    const own = (key: string) => typeof Object.getOwnPropertyDescriptor(error, key)?.value === 'number';
    detected = own('line') ? 'javascriptcore' : own('lineNumber') ? 'spidermonkey' : 'v8';
  }
  return detected;
}
