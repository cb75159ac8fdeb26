// `tswasm run --profile=guest[,PATH[,INTERVAL]]`, after Wasmtime's guest profiler: samples the
// program with V8's CPU profiler and writes the profile with wasm function names (`module!name`, or
// `<wasm function N>`; Rust's legacy and C++ symbols demangled) in place of the generated JS functions, as a Chrome .cpuprofile (Chrome
// DevTools, speedscope and the Firefox Profiler open it; Wasmtime writes the Firefox format).

import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { codeInfo } from '../runtime/code-registry.js';
import { functionLabel } from '../runtime/demangle.js';
import { UsageError, parseDuration } from './wasm-options.js';

export interface GuestProfileOptions {
  readonly path: string;
  /** Sampling interval in microseconds. */
  readonly intervalUs: number;
}

export const DEFAULT_PROFILE_PATH = 'tswasm-guest-profile.cpuprofile';

/** Reads `guest`, `guest,PATH` or `guest,PATH,INTERVAL` (INTERVAL as 10ms, 500us, or milliseconds). */
export function parseProfileOption(text: string): GuestProfileOptions {
  const [strategy, path, interval, ...rest] = text.split(',');
  if (strategy !== 'guest' || rest.length > 0) throw new UsageError(`--profile takes guest[,PATH[,INTERVAL]] (the guest profiler is the one tswasm has), not "${text}"`);
  let intervalUs = 1000;
  if (interval !== undefined && interval !== '') {
    const us = /^(\d+)us$/.exec(interval);
    intervalUs = us ? Number(us[1]) : Math.round(parseDuration(interval, '--profile interval') * 1000);
    if (!(intervalUs >= 1)) throw new UsageError(`--profile: the interval must be at least 1us, not "${interval}"`);
  }
  return { path: path || DEFAULT_PROFILE_PATH, intervalUs };
}

interface CallFrame { functionName: string; url: string; scriptId: string; lineNumber: number; columnNumber: number }
interface ProfileNode { callFrame: CallFrame }
interface Profile { nodes: ProfileNode[] }

const URL = /^tswasm-module-(\d+|p[0-9a-f]+)(?:\.f\d+)?\.js$/;
const FUNC = /^\$f(\d+)/;

/** Renames the profile's generated wasm functions after the wasm functions they run. */
export function nameWasmFrames(profile: Profile): void {
  for (const node of profile.nodes) {
    const frame = node.callFrame;
    const u = URL.exec(frame.url);
    const f = FUNC.exec(frame.functionName);
    if (u === null || f === null) continue;
    const funcIndex = Number(f[1]);
    const info = codeInfo(u[1]!);
    const name = functionLabel(info?.funcNames.get(funcIndex), funcIndex);
    frame.functionName = `${info?.moduleName != null ? `${info.moduleName}!` : ''}${name}`;
    frame.url = `wasm://${info?.moduleName ?? 'module'}/function-${funcIndex}`;
  }
}

/** Starts sampling; `stop` writes the profile and returns where. */
export function startGuestProfile(options: GuestProfileOptions): { stop(): string } {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object): unknown => {
    let result: unknown;
    let error: Error | null = null;
    // The inspector of this thread answers synchronously.
    session.post(method, params, (e: Error | null, r: unknown) => {
      error = e;
      result = r;
    });
    if (error !== null) throw error;
    return result;
  };
  post('Profiler.enable');
  post('Profiler.setSamplingInterval', { interval: options.intervalUs });
  post('Profiler.start');
  return {
    stop() {
      const { profile } = post('Profiler.stop') as { profile: Profile };
      session.disconnect();
      nameWasmFrames(profile);
      try {
        writeFileSync(options.path, JSON.stringify(profile));
      } catch (e) {
        throw new Error(`${options.path}: cannot write the profile: ${(e as Error).message}`);
      }
      return options.path;
    },
  };
}
