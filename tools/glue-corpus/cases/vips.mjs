// wasm-vips (libvips, C/C++, emscripten with pthreads): its glue starts a pool of Workers and posts
// them its shared Memory and compiled Module (and its side modules, libjxl and libheif), so it runs
// on tswasm/register. A synthetic image is blurred, sharpened, resized and encoded as PNG and JPEG.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export const workers = true;

export default async function () {
  const Vips = (await import(pathToFileURL(createRequire(import.meta.url).resolve('wasm-vips')).href)).default;
  const vips = await Vips();
  const digest = (b) => createHash('sha256').update(b).digest('hex').slice(0, 16);
  let im = vips.Image.xyz(256, 256).extractBand(0).cast('uchar');
  im = im.bandjoin([im.rot90(), im.flip('horizontal')]).copy({ interpretation: 'srgb' });
  const blurred = im.gaussblur(3).sharpen();
  const small = blurred.resize(0.37, { kernel: 'lanczos3' });
  const out = [
    `threads ${vips.concurrency()}`,
    `png ${digest(small.writeToBuffer('.png'))}`,
    `jpg ${digest(blurred.writeToBuffer('.jpg', { Q: 80 }))}`,
    `stats ${blurred.avg()} ${blurred.deviate()} ${small.width}x${small.height}`,
  ];
  return out.join('\n');
}
