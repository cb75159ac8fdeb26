// Resource limits (Wasmtime's ResourceLimiter, StoreLimits and StoreLimitsBuilder), and the checks
// made when instances, memories and tables are created in a store that has a limiter.

import type { ModuleInfo } from '../binary/module.js';
import { TrapCode } from '../core/errors.js';
import type { MemoryType, TableType } from '../core/types.js';
import { verdictNow, type GrowVerdict, type ResourceLimiter, type ResourceLimiterAsync } from '../runtime/store.js';
import { makeTrap } from '../runtime/traps.js';
import type { Store } from './store.js';

export type { ResourceLimiter, ResourceLimiterAsync };

/** A store's limiter refused to create an instance, memory or table. */
export class ResourceLimitError extends Error {}
Object.defineProperty(ResourceLimitError.prototype, 'name', { value: 'ResourceLimitError', writable: true, configurable: true });

/** Wasmtime's defaults for the instance, table and memory counts. */
const DEFAULT_COUNT = 10_000;

/**
 * Limits for one store, built with StoreLimitsBuilder and installed with `store.limiter(limits)`.
 * Memory and table sizes limit each memory or table on its own, not their sum.
 */
export class StoreLimits implements ResourceLimiter {
  /** @internal Use StoreLimitsBuilder. */
  constructor(
    /** Largest size of any one memory, in bytes (null: no limit). */
    readonly memorySize: number | null,
    /** Largest number of elements of any one table (null: no limit). */
    readonly tableElements: number | null,
    /** How many instances the store may hold. */
    readonly instances: number,
    /** How many tables the store may hold. */
    readonly tables: number,
    /** How many memories the store may hold. */
    readonly memories: number,
    /** Whether a refused or failed growth traps instead of returning -1. */
    readonly trapOnGrowFailure: boolean,
  ) {}

  /** Allows growth up to memorySize and the type's maximum; refusing traps with trapOnGrowFailure. */
  memoryGrowing(_current: number, desired: number, maximum: number | null): boolean {
    const allow = (this.memorySize === null || desired <= this.memorySize) && (maximum === null || desired <= maximum);
    if (!allow && this.trapOnGrowFailure) throw makeTrap(TrapCode.HostError, `forcing trap when growing memory to ${desired} bytes`);
    return allow;
  }
  /** With trapOnGrowFailure, any failed memory growth traps. */
  memoryGrowFailed(error: Error): void {
    if (this.trapOnGrowFailure) throw makeTrap(TrapCode.HostError, `forcing a memory growth failure to be a trap: ${error.message}`);
  }
  /** Allows growth up to tableElements and the type's maximum; refusing traps with trapOnGrowFailure. */
  tableGrowing(_current: number, desired: number, maximum: number | null): boolean {
    const allow = (this.tableElements === null || desired <= this.tableElements) && (maximum === null || desired <= maximum);
    if (!allow && this.trapOnGrowFailure) throw makeTrap(TrapCode.HostError, `forcing trap when growing table to ${desired} elements`);
    return allow;
  }
  /** With trapOnGrowFailure, any failed table growth traps. */
  tableGrowFailed(error: Error): void {
    if (this.trapOnGrowFailure) throw makeTrap(TrapCode.HostError, `forcing a table growth failure to be a trap: ${error.message}`);
  }
}

/** Builds StoreLimits (Wasmtime's StoreLimitsBuilder); everything is unlimited unless set. */
export class StoreLimitsBuilder {
  private memory: number | null = null;
  private elements: number | null = null;
  private instanceCount = DEFAULT_COUNT;
  private tableCount = DEFAULT_COUNT;
  private memoryCount = DEFAULT_COUNT;
  private trap = false;

  /** The largest size in bytes any one linear memory may have. */
  memorySize(bytes: number): this {
    this.memory = count(bytes, 'memorySize');
    return this;
  }
  /** The largest number of elements any one table may have. */
  tableElements(elements: number): this {
    this.elements = count(elements, 'tableElements');
    return this;
  }
  /** How many instances the store may hold (default 10000). */
  instances(limit: number): this {
    this.instanceCount = count(limit, 'instances');
    return this;
  }
  /** How many tables the store may hold, instantiated or created by the host (default 10000). */
  tables(limit: number): this {
    this.tableCount = count(limit, 'tables');
    return this;
  }
  /** How many memories the store may hold, instantiated or created by the host (default 10000). */
  memories(limit: number): this {
    this.memoryCount = count(limit, 'memories');
    return this;
  }
  /** Make memory.grow and table.grow trap on failure instead of returning -1 (not spec-compliant; for debugging). */
  trapOnGrowFailure(trap: boolean): this {
    this.trap = trap;
    return this;
  }
  /** The limits, to install with `store.limiter(limits)`. */
  build(): StoreLimits {
    return new StoreLimits(this.memory, this.elements, this.instanceCount, this.tableCount, this.memoryCount, this.trap);
  }
}

function count(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer`);
  return n;
}

/**
 * Checks that one more instance with the memories and tables `module` defines fits the store's
 * limits, then counts them. Throws ResourceLimitError (nothing is counted then).
 */
export function admitInstance(store: Store<any>, module: ModuleInfo): void {
  checkInstanceCounts(store, module);
  answerNow(store, instanceQuestions(module));
  countInstance(store, module);
}

/** `admitInstance` where an async limiter's answers are awaited (Store.limiterAsync). */
export async function admitInstanceAsync(store: Store<any>, module: ModuleInfo): Promise<void> {
  checkInstanceCounts(store, module);
  await answerLater(store, instanceQuestions(module));
  // Other instantiations may have been counted while the limiter answered.
  checkInstanceCounts(store, module);
  countInstance(store, module);
}

/** Undoes `admitInstance` for an instantiation that failed to link (nothing was created). */
export function releaseInstance(store: Store<any>, module: ModuleInfo): void {
  const raw = store.raw;
  raw.instanceCount--;
  raw.memoryCount -= module.memories.length - module.numImportedMemories;
  raw.tableCount -= module.tableDefs.length;
}

/** Checks and counts a memory the host creates. */
export function admitMemory(store: Store<any>, type: MemoryType): void {
  admitOne(store, 'memories', memoryQuestion(type));
}

/** `admitMemory` where an async limiter's answer is awaited. */
export function admitMemoryAsync(store: Store<any>, type: MemoryType): Promise<void> {
  return admitOneAsync(store, 'memories', memoryQuestion(type));
}

/** Checks and counts a table the host creates. */
export function admitTable(store: Store<any>, type: TableType): void {
  admitOne(store, 'tables', tableQuestion(type));
}

/** `admitTable` where an async limiter's answer is awaited. */
export function admitTableAsync(store: Store<any>, type: TableType): Promise<void> {
  return admitOneAsync(store, 'tables', tableQuestion(type));
}

function admitOne(store: Store<any>, kind: 'memories' | 'tables', question: SizeQuestion): void {
  checkCount(store, kind, 1);
  answerNow(store, [question]);
  countOne(store, kind);
}

async function admitOneAsync(store: Store<any>, kind: 'memories' | 'tables', question: SizeQuestion): Promise<void> {
  checkCount(store, kind, 1);
  await answerLater(store, [question]);
  // Others may have been counted while the limiter answered.
  checkCount(store, kind, 1);
  countOne(store, kind);
}

function countOne(store: Store<any>, kind: 'memories' | 'tables'): void {
  if (kind === 'memories') store.raw.memoryCount++;
  else store.raw.tableCount++;
}

/** A question for the store's limiter about a new memory's or table's size, and the refusal it may earn. */
interface SizeQuestion {
  readonly ask: (limiter: ResourceLimiter | ResourceLimiterAsync) => GrowVerdict;
  readonly refusal: string;
}

function memoryQuestion(m: MemoryType): SizeQuestion {
  const pageSize = 2 ** m.pageSizeLog2;
  const max = m.limits.max === null ? null : m.limits.max * pageSize;
  return {
    ask: (limiter) => limiter.memoryGrowing(0, m.limits.min * pageSize, max),
    refusal: `memory minimum size of ${m.limits.min} pages exceeds memory limits`,
  };
}

function tableQuestion(t: TableType): SizeQuestion {
  return {
    ask: (limiter) => limiter.tableGrowing(0, t.limits.min, t.limits.max),
    refusal: `table minimum size of ${t.limits.min} elements exceeds table limits`,
  };
}

function instanceQuestions(module: ModuleInfo): SizeQuestion[] {
  return [
    ...module.memories.slice(module.numImportedMemories).map(memoryQuestion),
    ...module.tableDefs.map((t) => tableQuestion(t.type)),
  ];
}

function answerNow(store: Store<any>, questions: readonly SizeQuestion[]): void {
  const limiter = store.raw.limiter;
  if (limiter === null) return;
  for (const q of questions) if (!verdictNow(q.ask(limiter))) throw new ResourceLimitError(q.refusal);
}

async function answerLater(store: Store<any>, questions: readonly SizeQuestion[]): Promise<void> {
  const limiter = store.raw.limiter;
  if (limiter === null) return;
  for (const q of questions) if (!(await q.ask(limiter))) throw new ResourceLimitError(q.refusal);
}

function checkInstanceCounts(store: Store<any>, module: ModuleInfo): void {
  checkCount(store, 'instances', 1);
  checkCount(store, 'memories', module.memories.length - module.numImportedMemories);
  checkCount(store, 'tables', module.tableDefs.length);
}

const COUNT_NAMES = { instances: 'instance', memories: 'memory', tables: 'table' } as const;

/** Refuses `more` of a kind beyond what the store's limiter allows. */
function checkCount(store: Store<any>, kind: keyof typeof COUNT_NAMES, more: number): void {
  const raw = store.raw;
  if (raw.limiter === null) return;
  const now = kind === 'instances' ? raw.instanceCount : kind === 'memories' ? raw.memoryCount : raw.tableCount;
  if (now + more > raw.limiter[kind]) refuse(`${COUNT_NAMES[kind]} count too high at ${now + more}`);
}

function countInstance(store: Store<any>, module: ModuleInfo): void {
  const raw = store.raw;
  raw.instanceCount++;
  raw.memoryCount += module.memories.length - module.numImportedMemories;
  raw.tableCount += module.tableDefs.length;
}

function refuse(what: string): never {
  throw new ResourceLimitError(`resource limit exceeded: ${what}`);
}
