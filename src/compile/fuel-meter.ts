// Fuel accounting in one function's generated code (Config.consumeFuel): the code is cut into
// straight-line runs, each charged where it starts, and the count is checked where Wasmtime checks
// and wherever the function leaves (RATIONALE.md, "Fuel"). The FunctionCompiler starts a run at
// every point control can enter other than by falling through, and counts instructions into `cost`.

import { F64 } from '../core/types.js';
import { FuelChain, checkLine, type FuelRun } from './fuel-chain.js';
import type { FunctionCompiler } from './function-compiler.js';

export class FuelMeter {
  /** The current run's placeholder line (-1 between runs), its indentation and its cost so far. */
  private line = -1;
  private indent = '';
  cost = 0;
  /** Whether the current run's charge is checked (flush). */
  private checked = false;
  /** The current run's place in a chain of merged charges (fuel-chain.ts). */
  private run: FuelRun | null = null;
  /** The chain the run just flushed is in: a run falling through its br_if may join it. */
  private chain: FuelChain | null = null;
  private serial = 0;
  /** Emitting a br_if's exit, which gives back what the chain charged for the runs after it. */
  private exiting = false;

  constructor(private readonly fc: FunctionCompiler) {}

  /**
   * Starts a straight-line run: control enters it only at its first line, so the cost of every
   * instruction decoded until the next run starts is charged there, before any of it executes.
   * The charge is checked where Wasmtime checks, at function entry and loop headers (`checked`),
   * and also in every run that leaves the function (a call, return, throw or `unreachable`:
   * saveCode marks it), so a call that completes has been paid for in full and one given less
   * stops with OutOfFuel. Other runs only subtract, and may take the count below zero until the
   * next check, as Wasmtime's code may: that is at most the loop-free code of one function.
   * `chain`: the run heads a chain of merged charges (a checked run at a loop header or function
   * entry), or falls through a br_if and may join the chain of the run before it (fuel-chain.ts).
   */
  start(checked = false, chain?: 'head' | 'fall'): void {
    this.flush();
    const before = this.chain;
    this.chain = null;
    this.checked = checked;
    this.line = this.fc.lines.length;
    this.indent = this.fc.currentIndent;
    this.fc.lines.push('');
    // Generator code may yield where fuel runs short (Store.fuelAsyncYieldInterval): three lines,
    // the second of them reloading the memory views.
    if (this.fc.star) this.fc.lines.push('', '');
    const serial = ++this.serial;
    // A wasm exception caught in this function could skip runs charged in advance.
    if (chain === undefined || this.fc.star || this.fc.frames.some((f) => f.exn !== undefined)) return;
    if (chain === 'head' && checked) {
      this.run = { chain: new FuelChain(this.fc.lines, this.line, this.indent, this.fc.helper('outOfFuel')), serial, first: true };
    } else if (chain === 'fall' && before !== null && !before.closed && before.lines === this.fc.lines) {
      this.run = { chain: before, serial, first: false };
    }
  }

  /**
   * A br_if's exit, which `emitExit` writes from the current line on: it first gives back what the
   * chain charged for the runs after it, and what it saves of the fuel leaves the chain open.
   */
  branchOut(emitExit: () => void): void {
    this.exit();
    this.exiting = true;
    emitExit();
    this.exiting = false;
  }

  private exit(): void {
    const run = this.run;
    if (run === null || this.line < 0) return;
    if (run.chain.lines !== this.fc.lines) run.chain.closed = true;
    else run.chain.exit(run.serial, this.fc.currentIndent);
  }

  flush(): void {
    const run = this.run;
    this.run = null;
    this.chain = null;
    if (run !== null && this.line >= 0 && run.chain.lines === this.fc.lines && this.chained(run)) {
      this.chain = run.chain;
    } else if (this.line >= 0 && !this.checked) {
      if (this.cost > 0) this.fc.lines[this.line] = `${this.indent}fu -= ${this.cost};`;
    } else if (this.line >= 0 && this.fc.star) {
      // A run that costs nothing still checks what the runs before it charged.
      this.fc.lines[this.line] = `${this.indent}if (${this.cost > 0 ? `(fu -= ${this.cost})` : 'fu'} < 0) {`;
      this.fc.lines[this.line + 1] = `${this.indent}  fu = yield* ${this.fc.helper('outOfFuelAsync')}(S, fu); `;
      this.fc.lines[this.line + 2] = `${this.indent}}`;
      this.fc.reloadLines.push(this.line + 1);
    } else if (this.line >= 0) {
      this.fc.lines[this.line] = checkLine(this.indent, this.cost, this.fc.helper('outOfFuel'));
    }
    this.line = -1;
    this.cost = 0;
  }

  /** Charges the run just ended with its chain (its head, or a run joining it); false: on its own. */
  private chained(run: FuelRun): boolean {
    if (run.first) {
      run.chain.cost = this.cost;
      run.chain.render();
      return true;
    }
    if (this.checked || run.chain.closed) return false;
    run.chain.join(run.serial, this.cost);
    return true;
  }

  /**
   * A bulk operation (memory.fill, table.copy, array.new, ...) also costs one unit per byte or
   * element it is asked to process, as in Wasmtime, so that untrusted code cannot fill gigabytes
   * for a few units. The units are charged before the operation runs. Returns the expression to
   * use for the length from then on (evaluated once).
   */
  perUnit(length: string): string {
    const t = this.fc.temp(F64);
    if (this.fc.star) {
      this.fc.open(`${t} = ${length}; if ((fu -= ${t}) < 0) {`);
      this.fc.emit(`fu = yield* ${this.fc.helper('outOfFuelAsync')}(S, fu);`);
      this.fc.reloadViews();
      this.fc.close();
      return t;
    }
    // Its check must not see what a chain charged in advance for runs after this one.
    if (this.run !== null) this.run.chain.closed = true;
    this.fc.emit(`${t} = ${length}; if ((fu -= ${t}) < 0) ${this.fc.helper('outOfFuel')}(S, fu);`);
    return t;
  }

  /**
   * The function keeps the store's fuel in the local `fu` (a register in loops) and writes it back
   * before every call and return, reading it again after calls.
   */
  save(): void {
    this.fc.emit(this.saveCode().trimEnd());
  }

  /** save's statements, to write in front of another on the same line. */
  saveCode(): string {
    // Outside any run (between a flush and the next run start) the check goes here instead.
    if (this.line < 0) return `if (fu < 0) ${this.fc.helper('outOfFuel')}(S, fu); S.fuel = fu; `;
    // What a callee, a host or a trap sees must not include runs charged in advance.
    if (this.run !== null && !this.exiting) this.run.chain.closed = true;
    this.checked = true;
    return 'S.fuel = fu; ';
  }
}
