// Finds the generated code's numbered names (locals `l3`/`l3h`, temps `t12`/`t12h`) in a line of
// code: a hand-written scan, since a regular expression's match objects made the search for them
// the largest single cost of generating a split function's parts (esbuild: 0.78 s of 15 s).

const WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  WORD[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 ? 1 : 0;
}
/** Whether char code c is a regular-expression word character ([A-Za-z0-9_]). */
function isWord(c: number): boolean {
  return c < 128 && WORD[c] === 1;
}

/**
 * Calls `found(letter, number)` for every name `<letter><digits>` or `<letter><digits>h` standing
 * alone in `code` (what /\b([lt])(\d+)h?\b/g matches), where letter is 'l' (108) or 't' (116) and
 * `letters` says which to look for.
 */
export function forEachNumberedName(code: string, letters: 'l' | 't' | 'lt', found: (letter: number, n: number) => void): void {
  const wantL = letters !== 't';
  const wantT = letters !== 'l';
  const end = code.length;
  for (let i = 0; i < end; i++) {
    const c = code.charCodeAt(i);
    if (!((c === 108 && wantL) || (c === 116 && wantT))) continue;
    if (i > 0 && isWord(code.charCodeAt(i - 1))) continue;
    let j = i + 1;
    let n = 0;
    for (; j < end; j++) {
      const d = code.charCodeAt(j) - 48;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
    }
    if (j === i + 1) continue;
    const next = j < end ? code.charCodeAt(j) : 32;
    const alone = !isWord(next) || (next === 104 && (j + 1 >= end || !isWord(code.charCodeAt(j + 1))));
    if (alone) {
      found(c, n);
      i = next === 104 ? j : j - 1;
    } else {
      i = j - 1;
    }
  }
}
