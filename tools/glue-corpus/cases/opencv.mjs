// OpenCV.js (C++, emscripten with embind, the wasm embedded as base64): a synthetic image blurred,
// edge-detected, thresholded, its contours found and moments taken, resized and template-matched.
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
export default async function () {
  const cv = createRequire(import.meta.url)('@techstark/opencv-js');
  if (!cv.Mat) await new Promise((resolve) => { cv.onRuntimeInitialized = resolve; });
  const out = [];
  const w = 320, h = 240;
  const src = new cv.Mat(h, w, cv.CV_8UC3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = (y * w + x) * 3;
    src.data[i] = (x * 7 + y * 3) & 255; src.data[i + 1] = ((x - 160) ** 2 + (y - 120) ** 2 < 3600) ? 250 : 20; src.data[i + 2] = (x ^ y) & 255;
  }
  const gray = new cv.Mat(), blur = new cv.Mat(), edges = new cv.Mat(), bin = new cv.Mat(), small = new cv.Mat(), match = new cv.Mat();
  cv.cvtColor(src, gray, cv.COLOR_RGB2GRAY);
  cv.GaussianBlur(gray, blur, new cv.Size(5, 5), 1.5);
  cv.Canny(blur, edges, 50, 150);
  cv.threshold(blur, bin, 100, 255, cv.THRESH_BINARY | cv.THRESH_OTSU);
  out.push(`edges ${cv.countNonZero(edges)} bin ${cv.countNonZero(bin)} mean ${cv.mean(blur).map((v) => v.toFixed(6)).join(',')}`);
  const contours = new cv.MatVector(), hierarchy = new cv.Mat();
  cv.findContours(bin, contours, hierarchy, cv.RETR_EXTERNAL, cv.CHAIN_APPROX_SIMPLE);
  for (let i = 0; i < Math.min(contours.size(), 10); i++) {
    const c = contours.get(i); const m = cv.moments(c);
    out.push(`contour ${i} ${c.rows} area ${cv.contourArea(c).toFixed(3)} m10 ${m.m10.toFixed(3)}`);
    c.delete();
  }
  cv.resize(blur, small, new cv.Size(80, 60), 0, 0, cv.INTER_AREA);
  const templ = blur.roi(new cv.Rect(100, 80, 40, 30));
  cv.matchTemplate(blur, templ, match, cv.TM_CCOEFF_NORMED);
  const mm = cv.minMaxLoc(match);
  out.push(`small ${createHash('sha256').update(small.data).digest('hex').slice(0, 16)} match ${mm.maxLoc.x},${mm.maxLoc.y} ${mm.maxVal.toFixed(6)}`);
  out.push(`edges ${createHash('sha256').update(edges.data).digest('hex').slice(0, 16)}`);
  for (const m of [src, gray, blur, edges, bin, small, match, contours, hierarchy, templ]) m.delete();
  return out.join('\n');
}
