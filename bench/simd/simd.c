// A SIMD-heavy benchmark kernel for tswasm (bench/simd.mjs): f32x4 arithmetic, u8 image work and
// i16/i32 integer lanes, with wasm_simd128.h intrinsics. run() returns a checksum of everything.
// Build: see build.sh (clang --target=wasm32 -msimd128 -O2 -nostdlib).

#include <stdint.h>
#include <wasm_simd128.h>

#define N 4096
#define W 256
#define H 64

static float xs[N], ys[N], zs[N];
static uint8_t img_a[W * H], img_b[W * H], img_out[W * H];
static int16_t pcm[N];

static uint32_t seed;
static uint32_t next(void) {
  seed = seed * 1664525u + 1013904223u;
  return seed >> 8;
}

static void init(void) {
  seed = 12345;
  for (int i = 0; i < N; i++) {
    xs[i] = (float)(next() % 2000) / 1000.0f - 1.0f;
    ys[i] = (float)(next() % 2000) / 1000.0f - 1.0f;
    pcm[i] = (int16_t)(next() & 0xffff);
  }
  for (int i = 0; i < W * H; i++) {
    img_a[i] = (uint8_t)next();
    img_b[i] = (uint8_t)next();
  }
}

// z = a*x + y, then a dot product with a running f32x4 accumulator.
static float saxpy_dot(float a) {
  v128_t va = wasm_f32x4_splat(a);
  for (int i = 0; i < N; i += 4) {
    v128_t x = wasm_v128_load(&xs[i]);
    v128_t y = wasm_v128_load(&ys[i]);
    wasm_v128_store(&zs[i], wasm_f32x4_add(wasm_f32x4_mul(va, x), y));
  }
  v128_t acc = wasm_f32x4_splat(0.0f);
  for (int i = 0; i < N; i += 4) {
    v128_t z = wasm_v128_load(&zs[i]);
    v128_t x = wasm_v128_load(&xs[i]);
    acc = wasm_f32x4_add(acc, wasm_f32x4_mul(z, x));
  }
  return wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1) +
         wasm_f32x4_extract_lane(acc, 2) + wasm_f32x4_extract_lane(acc, 3);
}

// Clamp z to [-1, 1] with min/max and take square roots of |z|.
static float clamp_sqrt(void) {
  v128_t lo = wasm_f32x4_splat(-1.0f), hi = wasm_f32x4_splat(1.0f), acc = wasm_f32x4_splat(0.0f);
  for (int i = 0; i < N; i += 4) {
    v128_t z = wasm_f32x4_min(wasm_f32x4_max(wasm_v128_load(&zs[i]), lo), hi);
    acc = wasm_f32x4_add(acc, wasm_f32x4_sqrt(wasm_f32x4_abs(z)));
  }
  return wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 3);
}

// Image blend (rounding average) and the sum of absolute differences of two u8 images.
static uint32_t blend_sad(void) {
  v128_t sum = wasm_i32x4_splat(0);
  for (int i = 0; i < W * H; i += 16) {
    v128_t a = wasm_v128_load(&img_a[i]);
    v128_t b = wasm_v128_load(&img_b[i]);
    wasm_v128_store(&img_out[i], wasm_u8x16_avgr(a, b));
    v128_t d = wasm_v128_or(wasm_u8x16_sub_sat(a, b), wasm_u8x16_sub_sat(b, a));
    v128_t d16 = wasm_u16x8_extadd_pairwise_u8x16(d);
    sum = wasm_i32x4_add(sum, wasm_u32x4_extadd_pairwise_u16x8(d16));
  }
  return (uint32_t)(wasm_i32x4_extract_lane(sum, 0) + wasm_i32x4_extract_lane(sum, 1) +
                    wasm_i32x4_extract_lane(sum, 2) + wasm_i32x4_extract_lane(sum, 3));
}

// Energy of 16-bit samples (i32x4.dot_i16x8_s) and a saturating gain on them.
static uint32_t pcm_energy(void) {
  v128_t e = wasm_i32x4_splat(0);
  v128_t gain = wasm_i16x8_splat(3);
  for (int i = 0; i < N; i += 8) {
    v128_t s = wasm_v128_load(&pcm[i]);
    e = wasm_i32x4_add(e, wasm_i32x4_dot_i16x8(s, s));
    v128_t g = wasm_i16x8_add_sat(s, wasm_i16x8_mul(s, gain));
    wasm_v128_store(&pcm[i], wasm_i16x8_shr(g, 1));
  }
  return (uint32_t)(wasm_i32x4_extract_lane(e, 0) ^ wasm_i32x4_extract_lane(e, 1) ^
                    wasm_i32x4_extract_lane(e, 2) ^ wasm_i32x4_extract_lane(e, 3));
}

static uint32_t bench(int rounds) {
  init();
  uint32_t check = 0;
  for (int r = 0; r < rounds; r++) {
    float a = (float)(r % 7) * 0.25f - 0.75f;
    union { float f; uint32_t u; } s = { saxpy_dot(a) }, c = { clamp_sqrt() };
    check = check * 31u + s.u;
    check = check * 31u + c.u;
    check = check * 31u + blend_sad();
    check = check * 31u + pcm_energy();
    check ^= img_out[r % (W * H)];
  }
  return check;
}

__attribute__((export_name("run"))) uint32_t run(void) { return bench(10000); }
__attribute__((export_name("run_small"))) uint32_t run_small(void) { return bench(100); }
__attribute__((export_name("bench"))) uint32_t bench_n(int n) { return bench(n); }

/** One kernel alone (0 saxpy_dot, 1 clamp_sqrt, 2 blend_sad, 3 pcm_energy), for per-kernel ratios. */
__attribute__((export_name("part"))) uint32_t part(int which, int rounds) {
  init();
  uint32_t check = 0;
  for (int r = 0; r < rounds; r++) {
    union { float f; uint32_t u; } x = { 0 };
    switch (which) {
      case 0: x.f = saxpy_dot((float)(r % 7) * 0.25f - 0.75f); check = check * 31u + x.u; break;
      case 1: x.f = clamp_sqrt(); check = check * 31u + x.u; break;
      case 2: check = check * 31u + blend_sad(); break;
      default: check = check * 31u + pcm_energy(); break;
    }
  }
  return check;
}
