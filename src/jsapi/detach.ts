// Detaching an ArrayBuffer (the spec's DetachArrayBuffer) with whatever the JS engine offers:
// ArrayBuffer.prototype.transfer where it exists, else structuredClone with a transfer list.

type Transfer = (buffer: ArrayBuffer) => ArrayBuffer;

const protoTransfer = (ArrayBuffer.prototype as { transfer?: (this: ArrayBuffer) => ArrayBuffer }).transfer;
const clone = (globalThis as { structuredClone?: (v: unknown, o: { transfer: unknown[] }) => unknown }).structuredClone;

/**
 * Moves the contents of `buffer` to a new ArrayBuffer (no copy) and detaches `buffer`; null when
 * this JS engine has no way to detach.
 */
export const transferBuffer: Transfer | null = protoTransfer
  ? (buffer) => protoTransfer.call(buffer)
  : clone
    ? (buffer) => clone(buffer, { transfer: [buffer] }) as ArrayBuffer
    : null;

/** Whether buffers can be detached here at all. */
export const canDetach = transferBuffer !== null;

/** Detaches `buffer` (its length becomes 0 and its views empty); its contents are dropped. */
export function detachBuffer(buffer: ArrayBuffer): void {
  transferBuffer?.(buffer);
}
