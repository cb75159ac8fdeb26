// `tswasm run -S KEY[=VALUE],...`: Wasmtime's WASI options. tswasm provides WASI preview1 (and
// wasi_unstable) to core modules, so the switches that select that are taken, inherit-env works,
// and the other interfaces are refused by name rather than ignored.

import { UsageError, applyOptions, flag, type Setter } from './wasm-options.js';

export interface WasiOptions {
  /** Every host environment variable, after those --env gives. */
  inheritEnv: boolean;
}

export function defaultWasiOptions(): WasiOptions {
  return { inheritEnv: false };
}

/** A switch that can only be on here: `what` says what is always provided. */
function alwaysOn(what: string): Setter<WasiOptions> {
  return (_o, v, k) => {
    if (!flag(k, v)) throw new UsageError(`${k}=n is not supported: tswasm run always provides ${what}`);
  };
}

/** An interface tswasm does not implement. */
function unsupported(what: string): Setter<WasiOptions> {
  return (_o, v, k) => {
    if (flag(k, v)) throw new UsageError(`${k} is not supported: tswasm implements WASI preview1 for core modules, without ${what}`);
  };
}

const SETTERS: Readonly<Record<string, Setter<WasiOptions>>> = {
  'inherit-env': (o, v, k) => { o.inheritEnv = flag(k, v); },
  'cli': alwaysOn('WASI preview1'),
  'common': alwaysOn('WASI preview1'),
  'preview0': alwaysOn('the wasi_unstable imports'),
  // Whether Wasmtime runs preview1 over its preview2 implementation: the same interface either way.
  'preview2': (_o, v, k) => { flag(k, v); },
  'threads': unsupported('wasi-threads'),
  'nn': unsupported('wasi-nn'),
  'http': unsupported('wasi-http'),
  'tls': unsupported('wasi-tls'),
  'config': unsupported('wasi-config'),
  'keyvalue': unsupported('wasi-keyvalue'),
  'tcp': unsupported('sockets'),
  'udp': unsupported('sockets'),
  'inherit-network': unsupported('sockets'),
  'allow-ip-name-lookup': unsupported('sockets'),
  'listenfd': unsupported('inherited sockets'),
  'p3': unsupported('WASIp3'),
};

export const WASI_OPTIONS_HELP = `  -S KEY[=VALUE],...    Wasmtime's -S options (also --wasi):
                          inherit-env[=y|n]              the program sees every host environment
                                                         variable (--env's come first and win)
                          cli, common, preview0, preview2 taken: WASI preview1 and wasi_unstable
                                                         are always there
                          threads, nn, http, tls, config, keyvalue, tcp, udp, inherit-network,
                          allow-ip-name-lookup, listenfd, p3
                                                         refused: not implemented`;

/** Applies one -S argument ("inherit-env,preview2=n") to `opts`. */
export function applyWasiOption(opts: WasiOptions, text: string): void {
  applyOptions('-S', SETTERS, opts, text);
}

/**
 * The program's environment: --env's variables in order, then with inherit-env every host variable
 * --env does not name (a program's getenv finds the first, so --env's win, as in Wasmtime).
 */
export function programEnv(given: readonly (readonly [string, string])[], wasi: WasiOptions, host: NodeJS.ProcessEnv): [string, string][] {
  const out: [string, string][] = given.map(([k, v]) => [k, v]);
  if (!wasi.inheritEnv) return out;
  const named = new Set(given.map(([k]) => k));
  for (const [k, v] of Object.entries(host)) if (v !== undefined && !named.has(k)) out.push([k, v]);
  return out;
}
