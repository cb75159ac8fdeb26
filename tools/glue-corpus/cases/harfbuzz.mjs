// HarfBuzz (emscripten): shapes Latin, Arabic and Greek text with the DejaVu fonts (Debian's
// fonts-dejavu-core); glyphs, advances and a glyph path.
import fs from 'node:fs';
export default async function () {
  const hb = await import('harfbuzzjs');
  if (hb.ready) await hb.ready;
  const fonts = fs.readdirSync('/usr/share/fonts/truetype/dejavu').filter((f) => f.endsWith('.ttf')).sort().slice(0, 4).map((f) => '/usr/share/fonts/truetype/dejavu/' + f);
  const out = [];
  for (const f of fonts) {
    const b = fs.readFileSync(f);
    const blob = new hb.Blob(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    const face = new hb.Face(blob);
    const font = new hb.Font(face);
    for (const text of ['Hello, wörld! ffi fl', 'AVATAR Wa To', 'مرحبا بالعالم', 'Ελληνικά κείμενο']) {
      const buf = new hb.Buffer(); buf.addText(text); buf.guessSegmentProperties();
      hb.shape(font, buf);
      out.push(JSON.stringify([buf.getGlyphInfos().map((g) => g.codepoint), buf.getGlyphPositions()]));
    }
    out.push(font.glyphToPath(36));
  }
  return out.join('\n');
}
