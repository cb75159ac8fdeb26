// LEB128 encodings as binary strings (one char per byte), for small encoded fragments such as
// value types that are compared and concatenated before they reach a ByteWriter.

export function lebU(v: number): string {
  let s = '';
  while (v >= 0x80) {
    s += String.fromCharCode((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  return s + String.fromCharCode(v);
}

export function lebS(v: number): string {
  let s = '';
  for (;;) {
    const b = v & 0x7f;
    v = Math.floor(v / 128);
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) return s + String.fromCharCode(b);
    s += String.fromCharCode(b | 0x80);
  }
}
