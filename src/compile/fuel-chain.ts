// Fuel charges merged into a checked run's (Config.consumeFuel). Every straight-line run subtracts
// its cost from `fu` as it starts, and in a loop those subtractions form one serial chain through
// every iteration: a double subtraction's latency each, which a tight loop's own work does not
// hide. A run entered only by falling through a br_if of the run before it is charged with the
// chain's first run instead (a loop header or the function entry, which checks), in the same
// subtraction; each br_if that leaves the chain gives back what the runs after it were charged.
// The check itself still compares only what the checked run costs, so where a call stops for lack
// of fuel does not move, and a call that completes has been charged exactly what it ran.

/** A br_if's exit from the chain: its placeholder line, filled with what it gives back. */
interface ChainExit {
  readonly line: number;
  readonly indent: string;
  /** The run the br_if ends: only the runs after it are given back. */
  readonly run: number;
  add: number;
}

/** A run's place in a chain: its chain, its number, and whether it heads the chain. */
export interface FuelRun {
  readonly chain: FuelChain;
  readonly serial: number;
  readonly first: boolean;
}

/** A checked run's line without merged charges: subtract its cost (if any), trap below zero. */
export function checkLine(indent: string, cost: number, outOfFuel: string): string {
  return `${indent}if (${cost > 0 ? `(fu -= ${cost})` : 'fu'} < 0) ${outOfFuel}(S, fu);`;
}

export class FuelChain {
  /** The checked run's own cost. */
  cost = 0;
  /** What the merged runs cost, charged with the checked run. */
  private merged = 0;
  /** No run may join any more (an exit could not be given back, or a run counts bulk units). */
  closed = false;
  private readonly exits: ChainExit[] = [];

  constructor(
    /** The lines holding the checked run's placeholder and every exit's: runs in other lines cannot join. */
    readonly lines: string[],
    private readonly line: number,
    private readonly indent: string,
    private readonly outOfFuel: string,
  ) {}

  /** Writes the checked run's line: subtract everything, compare only its own cost. */
  render(): void {
    const m = this.merged;
    this.lines[this.line] = m === 0
      ? checkLine(this.indent, this.cost, this.outOfFuel)
      : `${this.indent}if ((fu -= ${this.cost + m}) < ${-m}) ${this.outOfFuel}(S, fu + ${m});`;
  }

  /** A br_if ending run number `run` leaves the chain here: a placeholder line at the end of `lines`. */
  exit(run: number, indent: string): void {
    this.exits.push({ line: this.lines.length, indent, run, add: 0 });
    this.lines.push('');
  }

  /** Run number `run`, entered only by falling through the chain's last br_if, costs `cost` more. */
  join(run: number, cost: number): void {
    if (cost === 0) return;
    this.merged += cost;
    for (const e of this.exits) {
      if (e.run >= run) continue;
      e.add += cost;
      this.lines[e.line] = `${e.indent}fu += ${e.add};`;
    }
    this.render();
  }
}
