// Where generated JS came from, for trap backtraces' wasm offsets (FrameInfo.moduleOffset). A
// function is compiled again with a trace only when a frame's offset is asked for, so ordinary
// compilation records nothing. The trace must not change the code: expressions stay as they are
// (their text decides what the compiler does next), and only whole lines get a marker comment,
// which the resolver strips again before comparing with the code that ran.

/** An operand-stack expression and the instruction that produced it. */
interface TracedEntry {
  readonly text: string;
  /** Module offset of the instruction. */
  readonly at: number;
  /** How many lines had been emitted when it was produced (it can only appear in later ones). */
  readonly seq: number;
}

const MARKER = /\/\*@@(\d+)\*\//g;

export class OffsetTrace {
  /** What the compiler does to every line's text once it is written (aliasMathCalls), done to the traced texts too. */
  finish: (text: string) => string = (text) => text;
  /** Per emitted line, in order: the module offset of the instruction being compiled. */
  private readonly lineAt: number[] = [];
  private readonly entries: TracedEntry[] = [];
  /** Per recorded entry object: the instruction its text is credited to. */
  private readonly madeAt = new WeakMap<object, number>();
  /** The operands the instruction being compiled has popped so far. */
  private readonly popped: { readonly text: string; readonly at: number }[] = [];

  /** The comment that ends a line emitted while compiling the instruction at `at`. */
  mark(at: number): string {
    const seq = this.lineAt.length;
    this.lineAt.push(at);
    return `/*@@${seq}*/`;
  }

  /** A new instruction starts: what earlier ones popped is theirs. */
  startInstruction(): void {
    this.popped.length = 0;
  }

  /** Notes an operand the current instruction popped. */
  pop(e: { readonly code: string; readonly hi: string }): void {
    const at = this.madeAt.get(e);
    if (at !== undefined) this.popped.push({ text: this.finish(e.code), at });
  }

  /**
   * Records an expression (and an i64's high half) pushed by the instruction at `at`. An entry
   * pushed again unchanged (a block's result at its `end`) still belongs to the instruction that
   * made it, and so does a text an instruction passes through from an operand it popped
   * (i64.extend_i32_u of a load keeps the load's text as its low half): the load can trap there,
   * the extension cannot.
   */
  entry(e: { readonly code: string; readonly hi: string }, at: number): void {
    if (this.madeAt.has(e)) return;
    const code = this.finish(e.code);
    const through = this.popped.find((p) => p.text === code);
    const made = through !== undefined ? through.at : at;
    this.madeAt.set(e, made);
    const seq = this.lineAt.length;
    this.entries.push({ text: code, at: made, seq });
    if (e.hi !== '') this.entries.push({ text: this.finish(e.hi), at, seq });
  }

  /**
   * The module offset of the instruction behind 0-based `column` of line `index` of `marked` (the
   * traced compilation's lines, markers included), or null. A JS stack trace's column is where a
   * call's callee name (a method's property name) starts, so it falls inside the expression that
   * made the call: the shortest traced expression covering it is the instruction that trapped or
   * called. A column inside no expression belongs to the line's own instruction (a store, a call
   * statement, a trap check).
   */
  offsetAt(marked: readonly string[], index: number, column: number): number | null {
    const line = stripMarkers(marked[index] ?? '');
    // A line without a marker is part of a multi-line emission, whose marker ends its last line.
    let seq = line.markers.length > 0 ? line.markers[line.markers.length - 1]! : -1;
    for (let i = index + 1; seq < 0 && i < marked.length && i <= index + 64; i++) {
      const next = stripMarkers(marked[i]!).markers;
      if (next.length > 0) seq = next[0]!;
    }
    if (seq < 0) return null;
    let best: TracedEntry | null = null;
    for (const e of this.entries) {
      if (e.seq > seq || e.text.length === 0) continue;
      // Of equally short ones the latest line's (the same text made again later, as when Go reloads
      // a stack slot, is the one this line consumed); within one line the first made.
      if (best !== null && (e.text.length > best.text.length || (e.text.length === best.text.length && e.seq <= best.seq))) continue;
      if (covers(line.plain, e.text, column)) best = e;
    }
    return best !== null ? best.at : this.lineAt[seq] ?? null;
  }
}

/** A traced line without its markers, and the line sequence numbers they held. */
export function stripMarkers(line: string): { readonly plain: string; readonly markers: readonly number[] } {
  const markers: number[] = [];
  const plain = line.replace(MARKER, (_, seq: string) => {
    markers.push(Number(seq));
    return '';
  });
  return { plain, markers };
}

/** Whether some occurrence of `text` in `line` spans `column`. */
function covers(line: string, text: string, column: number): boolean {
  for (let at = line.indexOf(text); at >= 0 && at <= column; at = line.indexOf(text, at + 1)) {
    if (column < at + text.length) return true;
  }
  return false;
}
