// TensorFlow.js's wasm backend (C++ with XNNPACK, emscripten, the 128-bit SIMD build; threads off):
// a small convolutional network's forward pass, matrix products and reductions, every output
// value printed as its f32 bits.
import { createRequire } from 'node:module';
export default async function () {
  const require = createRequire(import.meta.url);
  const tf = require('@tensorflow/tfjs-core');
  require('@tensorflow/tfjs-backend-wasm');
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await tf.setBackend('wasm');
  await tf.ready();
  const out = [`backend ${tf.getBackend()} simd ${await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')}`];
  const bits = (a) => Array.from(new Uint32Array(new Float32Array(a).buffer), (x) => x.toString(16)).join(' ');
  const seq = (n, k) => Array.from({ length: n }, (_, i) => Math.sin(i * k) * 0.5);
  const x = tf.tensor4d(seq(1 * 16 * 16 * 3, 0.37), [1, 16, 16, 3]);
  const w1 = tf.tensor4d(seq(3 * 3 * 3 * 8, 0.71), [3, 3, 3, 8]);
  const w2 = tf.tensor4d(seq(3 * 3 * 8 * 4, 1.13), [3, 3, 8, 4]);
  let y = tf.relu(tf.conv2d(x, w1, 1, 'same'));
  y = tf.maxPool(y, 2, 2, 'valid');
  y = tf.sigmoid(tf.conv2d(y, w2, 1, 'valid'));
  out.push('conv ' + bits(await y.data()));
  const a = tf.tensor2d(seq(64 * 48, 0.013), [64, 48]), b = tf.tensor2d(seq(48 * 32, 0.029), [48, 32]);
  const m = tf.matMul(a, b);
  out.push('matmul ' + bits(await m.data()));
  out.push('softmax ' + bits(await tf.sum(tf.softmax(m), 1).data()));
  out.push('reduce ' + bits(await tf.stack([tf.mean(m), tf.max(m), tf.min(m), tf.norm(m)]).data()));
  return out.join('\n');
}
