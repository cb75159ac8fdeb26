// The guest's standard streams: a host file descriptor (read and written synchronously, riding out
// EAGAIN on non-blocking pipes and terminals) or a JS object, plus a readiness probe for poll_oneoff.

import { closeSync, constants, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { Filetype } from './constants.js';
import { sleepMs } from './clock.js';

/** A synchronous byte source for the guest's stdin: `read` fills `into` and returns the count, 0 at end of input. */
export interface WasiInput {
  /** Fills `into` with up to its length in bytes; returns how many, 0 at the end of input. */
  read(into: Uint8Array): number;
}
/** A byte sink for stdout/stderr (a Node Writable fits); it is given a copy it may keep. */
export interface WasiOutput {
  /** Takes the bytes the guest wrote (a copy it may keep). */
  write(data: Uint8Array): unknown;
}

/** What a Wasi option may give for stdin: a host fd, fixed bytes or text, or a reader. */
export type StdinOption = number | string | Uint8Array | WasiInput;
/** What a Wasi option may give for stdout/stderr: a host fd or a writer. */
export type StdoutOption = number | WasiOutput;

export interface InputStream {
  readonly filetype: number;
  /** Blocks until at least one byte or end of input; returns the count (0 at end). */
  read(into: Uint8Array): number;
  /** Whether a read would not block; null when it cannot tell (then it counts as ready). */
  ready(): boolean | null;
  /** Bytes known to be readable without blocking (for poll events). */
  available(): number;
  /** Blocks until `ready()` would be true (poll_oneoff without a timeout). */
  waitReady?(): void;
  /** Releases what the stream opened itself (never the fd it was given). */
  close?(): void;
}
export interface OutputStream {
  readonly filetype: number;
  write(data: Uint8Array): number;
}

function isAgain(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK';
}

/** How a host stream presents itself: a terminal is a character device, anything else unknown (as in Wasmtime). */
function streamFiletype(fd: number): number {
  return isatty(fd) ? Filetype.CHARACTER_DEVICE : Filetype.UNKNOWN;
}

/** Reads a host fd with the blocking semantics the guest expects, also from a non-blocking pipe or tty. */
class HostInput implements InputStream {
  readonly filetype: number;
  private pending = new Uint8Array(0);
  private eof = false;
  /**
   * A non-blocking second description of the same stream (Linux /proc/self/fd) to test readiness
   * with; 'file' for a regular file (always ready), -1 when there is none, null before the first poll.
   */
  private probeFd: number | 'file' | null = null;

  constructor(private readonly fd: number) {
    this.filetype = streamFiletype(fd);
  }

  read(into: Uint8Array): number {
    if (this.pending.length > 0) {
      const n = Math.min(into.length, this.pending.length);
      into.set(this.pending.subarray(0, n));
      this.pending = this.pending.subarray(n);
      return n;
    }
    if (this.eof || into.length === 0) return 0;
    for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
      try {
        return readSync(this.fd, into, 0, into.length, null);
      } catch (e) {
        if (!isAgain(e)) throw e;
        sleepMs(wait);
      }
    }
  }

  ready(): boolean | null {
    if (this.pending.length > 0 || this.eof) return true;
    if (this.probeFd === null) this.probeFd = this.openProbe();
    if (this.probeFd === 'file') return true;
    if (this.probeFd < 0) return null;
    const buf = new Uint8Array(65536);
    try {
      const n = readSync(this.probeFd, buf, 0, buf.length, null);
      if (n === 0) this.eof = true;
      else this.pending = buf.slice(0, n);
      return true;
    } catch (e) {
      if (isAgain(e)) return false;
      return true; // an error is "ready": the read will report it
    }
  }

  available(): number {
    return this.pending.length;
  }

  waitReady(): void {
    if (this.pending.length > 0 || this.eof) return;
    const buf = new Uint8Array(65536);
    const n = this.read(buf);
    if (n === 0) this.eof = true;
    else this.pending = buf.slice(0, n);
  }

  private openProbe(): number | 'file' {
    try {
      // A regular file is always readable (and reopening it would give a second file offset).
      if (fstatSync(this.fd).isFile()) return 'file';
      return openSync(`/proc/self/fd/${this.fd}`, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch {
      return -1;
    }
  }

  close(): void {
    if (typeof this.probeFd === 'number' && this.probeFd >= 0) closeSync(this.probeFd);
    this.probeFd = null;
  }
}

/** Writes to a host fd completely, waiting out EAGAIN (Node may leave a pipe non-blocking). */
class HostOutput implements OutputStream {
  readonly filetype: number;
  constructor(private readonly fd: number) {
    this.filetype = streamFiletype(fd);
  }
  write(data: Uint8Array): number {
    let off = 0;
    let wait = 1;
    while (off < data.length) {
      try {
        off += writeSync(this.fd, data, off, data.length - off);
        wait = 1;
      } catch (e) {
        if (!isAgain(e)) throw e;
        sleepMs(wait);
        wait = Math.min(wait * 2, 50);
      }
    }
    return data.length;
  }
}

/** Input from fixed bytes (tests, embedders feeding a string). */
class BytesInput implements InputStream {
  readonly filetype = Filetype.UNKNOWN;
  private offset = 0;
  constructor(private readonly data: Uint8Array) {}
  read(into: Uint8Array): number {
    const n = Math.min(into.length, this.data.length - this.offset);
    into.set(this.data.subarray(this.offset, this.offset + n));
    this.offset += n;
    return n;
  }
  ready(): boolean { return true; }
  available(): number { return this.data.length - this.offset; }
}

class CustomInput implements InputStream {
  readonly filetype = Filetype.UNKNOWN;
  constructor(private readonly source: WasiInput) {}
  read(into: Uint8Array): number { return this.source.read(into); }
  ready(): null { return null; }
  available(): number { return 0; }
}

class CustomOutput implements OutputStream {
  readonly filetype = Filetype.UNKNOWN;
  constructor(private readonly sink: WasiOutput) {}
  write(data: Uint8Array): number {
    // Copy: the guest's memory changes after the call returns, and a Writable may keep the chunk.
    this.sink.write(data.slice());
    return data.length;
  }
}

export function makeInput(option: StdinOption): InputStream {
  if (typeof option === 'number') return new HostInput(option);
  if (typeof option === 'string') return new BytesInput(new TextEncoder().encode(option));
  if (option instanceof Uint8Array) return new BytesInput(option);
  if (typeof option?.read === 'function') return new CustomInput(option);
  throw new TypeError('Wasi: stdin must be a file descriptor, a string, a Uint8Array or { read(into) }');
}

export function makeOutput(option: StdoutOption, which: string): OutputStream {
  if (typeof option === 'number') return new HostOutput(option);
  if (typeof option?.write === 'function') return new CustomOutput(option);
  throw new TypeError(`Wasi: ${which} must be a file descriptor or { write(bytes) }`);
}
