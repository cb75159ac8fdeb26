// Runs one parsed .wast script against an engine and counts every command under its kind:
// passed, failed (with the reason) or not runnable yet (with the reason). Nothing is guessed.

import type { WasmFeatures } from '../core/features.js';
import { CompileError, LinkError, Trap, TrapCode, UnsupportedError } from '../core/errors.js';
import type { WastAction, WastCommand, WastModule, WastResult, WastScript } from '../text/wast-types.js';
import { NotRunnable, type RawValue, type SpecEngine, type SpecInstance, type SpecModule } from './engine.js';
import { kindOf } from './kinds.js';
import { newFileReport, type FileReport, type Outcome } from './report.js';
import { formatExpected, formatRaw, resultMatches } from './values.js';

/**
 * Turns module text into binary; throws a CompileError with `malformed` set for bad text. `origin`
 * places the module in its script so that errors point at the script's line and column.
 */
export type TextEncoder = (source: string, file: string, origin?: { line: number; column: number }) => Uint8Array;

export interface RunOptions {
  readonly engine: SpecEngine;
  readonly features: WasmFeatures;
  readonly encodeText: TextEncoder;
  /** The path the report names the script by (relative to the suite root). */
  readonly path: string;
}

/** An outcome the runner decided, carried as an exception out of the command's handler. */
class Decided extends Error {
  constructor(readonly outcome: Outcome, readonly reason: string) {
    super(reason);
  }
}
const fail = (reason: string): never => {
  throw new Decided('failed', reason);
};
const skip = (reason: string): never => {
  throw new Decided('skipped', reason);
};

const BROKEN = Symbol('module that failed to load');
/** A module the engine cannot run yet; commands that need it are not runnable either. */
class Unrunnable {
  constructor(readonly reason: string) {}
}
type InstanceSlot = SpecInstance | typeof BROKEN | Unrunnable;

export function runScript(script: WastScript, options: RunOptions): FileReport {
  return new ScriptRun(script, options).run();
}

class ScriptRun {
  private readonly report: FileReport;
  private current: InstanceSlot | null = null;
  private readonly instances = new Map<string, InstanceSlot>();
  private readonly definitions = new Map<string, SpecModule | typeof BROKEN | Unrunnable>();
  private lastDefinition: SpecModule | typeof BROKEN | Unrunnable | null = null;
  private readonly registry = new Map<string, InstanceSlot>();

  constructor(private readonly script: WastScript, private readonly options: RunOptions) {
    this.report = newFileReport(options.path);
  }

  run(): FileReport {
    const spectest = this.options.engine.canExecute ? this.options.engine.spectest() : BROKEN;
    this.registry.set('spectest', spectest);
    for (const command of this.script.commands) this.runCommand(command);
    return this.report;
  }

  private runCommand(command: WastCommand): void {
    const kind = kindOf(command);
    let outcome: Outcome = 'passed';
    let reason = '';
    try {
      reason = this.execute(command) ?? '';
    } catch (error) {
      if (error instanceof Decided) {
        outcome = error.outcome;
        reason = error.reason;
      } else {
        outcome = 'failed';
        reason = `internal error: ${describe(error)}`;
      }
    }
    this.report.kinds[kind][outcome]++;
    if (outcome !== 'passed' || reason !== '') this.report.notes.push({ line: command.pos.line, kind, outcome, reason });
  }

  /** Runs a command; returns a note for a pass worth noting (a different error message), else nothing. */
  private execute(command: WastCommand): string | void {
    switch (command.kind) {
      case 'module': {
        const setCurrent = (slot: InstanceSlot) => {
          this.current = slot;
          if (command.name !== null) this.instances.set(command.name, slot);
        };
        setCurrent(BROKEN);
        return this.remembering(setCurrent, () => this.instantiate(this.compileValid(command.module)));
      }
      case 'module_definition': {
        const setDefinition = (slot: SpecModule | typeof BROKEN | Unrunnable) => {
          this.lastDefinition = slot;
          if (command.name !== null) this.definitions.set(command.name, slot);
        };
        setDefinition(BROKEN);
        return this.remembering(setDefinition, () => this.compileValid(command.module));
      }
      case 'module_instance': {
        const definition = command.definition === null ? this.lastDefinition : this.definitions.get(command.definition);
        const setCurrent = (slot: InstanceSlot) => {
          this.current = slot;
          if (command.instance !== null) this.instances.set(command.instance, slot);
        };
        setCurrent(BROKEN);
        if (definition === undefined || definition === null) return fail(`unknown module definition ${command.definition ?? ''}`);
        if (definition === BROKEN) return fail('its module definition failed to compile');
        if (definition instanceof Unrunnable) {
          setCurrent(definition);
          return skip(definition.reason);
        }
        return this.remembering(setCurrent, () => this.instantiate(definition));
      }
      case 'register': {
        const instance = this.instanceFor(command.module);
        this.registry.set(command.as, instance);
        return;
      }
      case 'action':
        this.perform(command.action);
        return;
      case 'assert_return':
        return this.assertReturn(command.action, command.expected);
      case 'assert_trap':
        return this.expectTrap(() => this.perform(command.action), command.message);
      case 'assert_trap_module': {
        const module = this.compileValid(command.module);
        return this.expectTrap(() => this.instantiate(module), command.message);
      }
      case 'assert_exhaustion':
        return this.expectTrap(() => this.perform(command.action), command.message, TrapCode.StackOverflow);
      case 'assert_exception':
        return this.expectException(command.action);
      case 'assert_invalid': case 'assert_invalid_custom':
        if (command.kind === 'assert_invalid_custom') return this.expectTextRejected(command.module, command.message);
        return this.expectInvalid(command.module, command.message);
      case 'assert_malformed': case 'assert_malformed_custom':
        if (command.module.form === 'binary') return this.expectMalformedBinary(command.module.bytes, command.message);
        return this.expectTextRejected(command.module, command.message);
      case 'assert_unlinkable':
        return this.expectUnlinkable(command.module, command.message);
      case 'assert_uninstantiable': {
        const module = this.compileValid(command.module);
        return this.expectTrap(() => this.instantiate(module), command.message);
      }
    }
  }

  // Modules

  /** Stores what `load` produced; when it was not runnable, stores that, so later commands skip too. */
  private remembering<T>(store: (slot: T | Unrunnable) => void, load: () => T): void {
    try {
      store(load());
    } catch (error) {
      if (error instanceof Decided && error.outcome === 'skipped') store(new Unrunnable(error.reason));
      throw error;
    }
  }

  private encode(module: WastModule): Uint8Array {
    if (module.form === 'binary') return module.bytes;
    if (module.form === 'text') return this.options.encodeText(module.source, this.script.file, module.pos);
    return this.options.encodeText(module.source, this.script.file);
  }

  /** Encodes and compiles a module the script expects to be valid; counts it among the valid modules. */
  private compileValid(module: WastModule): SpecModule {
    let bytes: Uint8Array;
    try {
      bytes = this.encode(module);
    } catch (error) {
      this.report.validModules.failed++;
      return fail(`text of a valid module rejected: ${describe(error)}`);
    }
    try {
      const compiled = this.options.engine.compile(bytes, this.options.features);
      this.report.validModules.passed++;
      return compiled;
    } catch (error) {
      if (error instanceof UnsupportedError) {
        this.report.validModules.passed++;
        return skip(error.message);
      }
      this.report.validModules.failed++;
      return fail(`valid module rejected: ${describe(error)}`);
    }
  }

  private instantiate(module: SpecModule): SpecInstance {
    const engine = this.options.engine;
    if (!engine.canExecute) return skip('needs execution');
    try {
      return engine.instantiate(module, (moduleName, name) => {
        const instance = this.registry.get(moduleName);
        if (instance instanceof Unrunnable) skip(instance.reason);
        if (instance === undefined || instance === BROKEN) return undefined;
        return engine.getExport(instance, name);
      });
    } catch (error) {
      if (error instanceof NotRunnable || error instanceof UnsupportedError) return skip(error.message);
      throw error;
    }
  }

  private instanceFor(name: string | null): SpecInstance {
    const slot = name === null ? this.current : this.instances.get(name);
    if (!this.options.engine.canExecute) return skip('needs execution');
    if (slot === undefined || slot === null) return fail(name === null ? 'no module instantiated yet' : `unknown module ${name}`);
    if (slot === BROKEN) return fail('the module it refers to failed to load');
    if (slot instanceof Unrunnable) return skip(slot.reason);
    return slot;
  }

  // Actions

  private perform(action: WastAction): RawValue[] {
    const instance = this.instanceFor(action.module);
    try {
      if (action.kind === 'get') return [this.options.engine.getGlobal(instance, action.field)];
      return this.options.engine.invoke(instance, action.field, action.args);
    } catch (error) {
      if (error instanceof NotRunnable || error instanceof UnsupportedError) return skip(error.message);
      throw error;
    }
  }

  private assertReturn(action: WastAction, expected: readonly WastResult[]): void {
    let actual: RawValue[];
    try {
      actual = this.perform(action);
    } catch (error) {
      if (error instanceof Decided) throw error;
      return fail(`expected a return, got ${describe(error)}`);
    }
    const ok = actual.length === expected.length && expected.every((e, i) => resultMatches(actual[i]!, e));
    if (!ok) {
      fail(`result mismatch: expected (${expected.map(formatExpected).join(' ')}), got (${actual.map(formatRaw).join(' ')})`);
    }
  }

  private expectTrap(run: () => unknown, message: string, code?: TrapCode): string | void {
    try {
      run();
    } catch (error) {
      if (error instanceof Decided) throw error;
      if (!(error instanceof Trap)) return fail(`expected a trap "${message}", got ${describe(error)}`);
      if (code !== undefined && error.code !== code) return fail(`expected trap ${code}, got ${error.code}: ${error.message}`);
      if (code === undefined && !error.message.includes(message)) {
        return fail(`expected trap "${message}", got "${error.message}"`);
      }
      return;
    }
    return fail(`expected a trap "${message}", but it returned`);
  }

  private expectException(action: WastAction): void {
    try {
      this.perform(action);
    } catch (error) {
      if (error instanceof Decided) throw error;
      if (this.options.engine.isException(error)) return;
      return fail(`expected an uncaught wasm exception, got ${describe(error)}`);
    }
    return fail('expected an uncaught wasm exception, but it returned');
  }

  private expectUnlinkable(module: WastModule, message: string): string | void {
    const compiled = this.compileValid(module);
    try {
      this.instantiate(compiled);
    } catch (error) {
      if (error instanceof Decided) throw error;
      if (!(error instanceof LinkError)) return fail(`expected a link error "${message}", got ${describe(error)}`);
      return messageNote(error.message, message);
    }
    return fail(`expected a link error "${message}", but it instantiated`);
  }

  // Rejections

  private expectInvalid(module: WastModule, message: string): string | void {
    let bytes: Uint8Array;
    try {
      bytes = this.encode(module);
    } catch (error) {
      return fail(`text parser rejected a well-formed module: ${describe(error)}`);
    }
    try {
      this.options.engine.compile(bytes, this.options.features);
    } catch (error) {
      if (!(error instanceof CompileError)) return fail(`expected a validation error "${message}", got ${describe(error)}`);
      if (error.malformed) return fail(`rejected as malformed instead of invalid: ${error.message}`);
      return messageNote(error.reason, message);
    }
    return fail(`invalid module accepted (expected "${message}")`);
  }

  private expectMalformedBinary(bytes: Uint8Array, message: string): string | void {
    try {
      this.options.engine.compile(bytes, this.options.features);
    } catch (error) {
      if (!(error instanceof CompileError)) return fail(`expected a decoding error "${message}", got ${describe(error)}`);
      if (!error.malformed) return fail(`rejected as invalid instead of malformed: ${error.message}`);
      return messageNote(error.reason, message);
    }
    return fail(`malformed module accepted (expected "${message}")`);
  }

  private expectTextRejected(module: WastModule, message: string): string | void {
    if (module.form === 'binary') return this.expectMalformedBinary(module.bytes, message);
    let bytes: Uint8Array;
    try {
      bytes = this.encode(module);
    } catch (error) {
      if (!(error instanceof CompileError)) return fail(`expected a text error "${message}", got ${describe(error)}`);
      return messageNote(error.reason, message);
    }
    try {
      this.options.engine.compile(bytes, this.options.features);
    } catch (error) {
      return fail(`text parser accepted malformed text; rejected later: ${describe(error)}`);
    }
    return fail(`malformed text accepted (expected "${message}")`);
  }
}

/** A note when a rejection's message does not contain the script's expected message. */
function messageNote(actual: string, expected: string): string | void {
  if (actual.includes(expected)) return;
  return `message differs: expected "${expected}", got "${actual}"`;
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
