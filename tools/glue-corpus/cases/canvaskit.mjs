// CanvasKit (Skia, emscripten): draws shapes, a gradient path and text on a CPU surface; pixels and
// PNG bytes.
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
export default async function () {
  const CanvasKitInit = require('canvaskit-wasm/bin/canvaskit.js');
  const CK = await CanvasKitInit({ locateFile: (f) => require.resolve('canvaskit-wasm/bin/' + f) });
  const surface = CK.MakeSurface(320, 240);
  const c = surface.getCanvas();
  c.clear(CK.Color(250, 250, 240, 1));
  const paint = new CK.Paint(); paint.setAntiAlias(true);
  for (let i = 0; i < 30; i++) {
    paint.setColor(CK.Color((i * 37) % 255, (i * 91) % 255, (i * 53) % 255, 0.6));
    paint.setStyle(i % 2 ? CK.PaintStyle.Stroke : CK.PaintStyle.Fill); paint.setStrokeWidth(1 + i % 5);
    c.drawCircle(20 + i * 9, 40 + (i * 17) % 160, 5 + i % 23, paint);
  }
  const path = CK.Path.MakeFromSVGString('M10 200 C 80 20 200 260 310 30 Z');
  const shader = CK.Shader.MakeLinearGradient([0, 0], [320, 240], [CK.RED, CK.BLUE, CK.Color(0, 200, 0, 0.5)], [0, 0.6, 1], CK.TileMode.Mirror);
  const p2 = new CK.Paint(); p2.setShader(shader); p2.setAntiAlias(true);
  c.drawPath(path, p2);
  const font = CK.Typeface.MakeTypefaceFromData ? CK.Typeface.MakeTypefaceFromData(fs.readFileSync('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf')) : CK.Typeface.MakeFreeTypeFaceFromData(fs.readFileSync('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'));
  const f = new CK.Font(font, 22); paint.setColor(CK.BLACK); paint.setStyle(CK.PaintStyle.Fill);
  c.drawText('CanvasKit on tswasm', 12, 28, paint, f);
  surface.flush();
  const img = surface.makeImageSnapshot();
  const pixels = img.readPixels(0, 0, { width: 320, height: 240, colorType: CK.ColorType.RGBA_8888, alphaType: CK.AlphaType.Unpremul, colorSpace: CK.ColorSpace.SRGB });
  const png = img.encodeToBytes();
  return 'pixels ' + createHash('sha256').update(pixels).digest('hex') + ' png ' + png.length + ' ' + createHash('sha256').update(png).digest('hex');
}
