/*
 * Convolution kernels for the tfjs wasm backend that XNNPACK lacks (see
 * ../src/wasm-kernels/conv-kernels.ts), compiled to wasm SIMD128 by
 * tooling/build-conv-kernels-wasm.mjs. The module runs on the backend's own memory
 * (imported), so it must own nothing in it: no data, no heap and no stack. Hence no
 * arrays indexed at run time (clang would put them on a stack); a test runs every
 * function on a sentinel-filled memory and checks that only its outputs change.
 *
 * Winograd F(2x2, 3x3) for 3x3 stride-1 convolutions (Lavin & Gray, 2016). Per 2x2
 * output tile, with d the 4x4 input tile and g the 3x3 filter:
 *   y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A,
 *   Bᵀ = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1], G = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1],
 *   Aᵀ = [1 1 1 0; 0 1 -1 -1],
 * so the 9 products per output pixel become 16 per 4 pixels (2.25x fewer), and the ⊙
 * summed over input channels is 16 matrix products [tiles, inC]·[inC, outC]. Every
 * function works on 4 channels at a time (NHWC keeps them adjacent).
 */
#include <wasm_simd128.h>

typedef v128_t f4;
#define ADD wasm_f32x4_add
#define SUB wasm_f32x4_sub
#define MUL wasm_f32x4_mul
/* With relaxed SIMD (built as a second variant, used where the engine validates it), one
   fused multiply-add where the CPU has one; the choice is per machine, never per thread. */
#ifdef __wasm_relaxed_simd__
#define FMA(acc, a, b) acc = (f4)__builtin_wasm_relaxed_madd_f32x4((__f32x4)(a), (__f32x4)(b), (__f32x4)(acc))
#else
#define FMA(acc, a, b) acc = ADD(acc, MUL(a, b))
#endif

/* Bᵀ z for the four values z0..z3 of one column (or row). */
#define BT(z0, z1, z2, z3, o0, o1, o2, o3) \
  do { o0 = SUB(z0, z2); o1 = ADD(z1, z2); o2 = SUB(z2, z1); o3 = SUB(z1, z3); } while (0)

/*
 * x [n, h, w, c] → v [16][tiles][c], tiles = n · tilesH · tilesW in row-major
 * (image, tile row, tile column); tile (ty, tx) reads input rows 2ty − padTop .. +3
 * and columns 2tx − padLeft .. +3, zero outside the image. c is a multiple of 4.
 * Like every function here taking a last [begin, end) pair, it does only that range
 * (here of images), so threads can share the work; each output value is computed by
 * exactly one call, whatever the split.
 */
__attribute__((export_name("winograd_input")))
void winograd_input(const float* x, int n, int h, int w, int c, int pad_top, int pad_left, int tiles_h, int tiles_w, float* v, int img_begin, int img_end) {
  const int tiles = n * tiles_h * tiles_w;
  const long plane = (long)tiles * c;
  const f4 zero = wasm_f32x4_splat(0.0f);
  int t = img_begin * tiles_h * tiles_w;
  for (int img = img_begin; img < img_end; img++) {
    const float* xi = x + (long)img * h * w * c;
    for (int ty = 0; ty < tiles_h; ty++) {
      const int r0 = 2 * ty - pad_top;
      for (int tx = 0; tx < tiles_w; tx++, t++) {
        const int c0 = 2 * tx - pad_left;
        const int inside = r0 >= 0 && r0 + 4 <= h && c0 >= 0 && c0 + 4 <= w;
        float* out = v + (long)t * c;
        for (int ch = 0; ch < c; ch += 4, out += 4) {
          f4 d[4][4];
          for (int i = 0; i < 4; i++) {
            const int r = r0 + i;
            for (int j = 0; j < 4; j++) {
              const int col = c0 + j;
              d[i][j] = inside || (r >= 0 && r < h && col >= 0 && col < w) ? wasm_v128_load(xi + ((long)r * w + col) * c + ch) : zero;
            }
          }
          f4 e[4][4];
          for (int j = 0; j < 4; j++) BT(d[0][j], d[1][j], d[2][j], d[3][j], e[0][j], e[1][j], e[2][j], e[3][j]);
          for (int i = 0; i < 4; i++) {
            f4 o0, o1, o2, o3;
            BT(e[i][0], e[i][1], e[i][2], e[i][3], o0, o1, o2, o3);
            wasm_v128_store(out + (4 * i + 0) * plane, o0);
            wasm_v128_store(out + (4 * i + 1) * plane, o1);
            wasm_v128_store(out + (4 * i + 2) * plane, o2);
            wasm_v128_store(out + (4 * i + 3) * plane, o3);
          }
        }
      }
    }
  }
}

/*
 * m [16][tiles][c] (as winograd_products writes it) → y [n, oh, ow, c]: Aᵀ m A per tile,
 * pixels past oh/ow dropped. The range is of images.
 */
__attribute__((export_name("winograd_output")))
void winograd_output(const float* mm, int n, int oh, int ow, int c, int tiles_h, int tiles_w, float* y, int img_begin, int img_end) {
  const long plane = (long)n * tiles_h * tiles_w * c;
  int t = img_begin * tiles_h * tiles_w;
  for (int img = img_begin; img < img_end; img++) {
    float* yi = y + (long)img * oh * ow * c;
    for (int ty = 0; ty < tiles_h; ty++) {
      for (int tx = 0; tx < tiles_w; tx++, t++) {
        const long at = (long)t * c;
        const int rows = oh - 2 * ty < 2 ? 1 : 2;
        const int cols = ow - 2 * tx < 2 ? 1 : 2;
        for (int ch = 0; ch < c; ch += 4) {
          /* Aᵀ m over rows (s: 2 rows x 4 columns), then over columns. Named, not an
             array indexed at run time, which would put it on a stack this module lacks. */
          f4 s00, s01, s02, s03, s10, s11, s12, s13;
#define COLUMN(j, a, b)                                                                                \
  do {                                                                                                 \
    const float* p_ = mm + at + ch + (j) * plane;                                                     \
    const f4 m0 = wasm_v128_load(p_), m1 = wasm_v128_load(p_ + 4 * plane);                             \
    const f4 m2 = wasm_v128_load(p_ + 8 * plane), m3 = wasm_v128_load(p_ + 12 * plane);                \
    a = ADD(ADD(m0, m1), m2);                                                                          \
    b = SUB(SUB(m1, m2), m3);                                                                          \
  } while (0)
          COLUMN(0, s00, s10); COLUMN(1, s01, s11); COLUMN(2, s02, s12); COLUMN(3, s03, s13);
#undef COLUMN
          float* out = yi + ((long)(2 * ty) * ow + 2 * tx) * c + ch;
          wasm_v128_store(out, ADD(ADD(s00, s01), s02));
          if (cols > 1) wasm_v128_store(out + c, SUB(SUB(s01, s02), s03));
          if (rows > 1) {
            out += (long)ow * c;
            wasm_v128_store(out, ADD(ADD(s10, s11), s12));
            if (cols > 1) wasm_v128_store(out + c, SUB(SUB(s11, s12), s13));
          }
        }
      }
    }
  }
}

/*
 * g [3][3][k][m] (a tfjs filter: taps, in channels, out channels) → u = G g Gᵀ for every
 * (k, m), per tile element a [k][m] matrix stored in panels of 8 columns ([m/8][k][8], the
 * last panel 4 wide when m is not a multiple of 8), as winograd_products reads it. m is a
 * multiple of 4.
 */
__attribute__((export_name("winograd_filter")))
void winograd_filter(const float* g, int k, int m, float* u) {
  const long plane = (long)k * m;
  const f4 half = wasm_f32x4_splat(0.5f);
  for (long at = 0; at < plane; at += 4) {
    /* g's (kk, m0) → the panel holding column m0: panels before it are 8 wide. */
    const int kk = at / m, m0 = at % m;
    const int width = m - (m0 & ~7) >= 8 ? 8 : 4;
    const long dst = (long)(m0 & ~7) * k + (long)kk * width + (m0 & 7);
    f4 q[3][3];
    for (int i = 0; i < 3; i++)
      for (int j = 0; j < 3; j++) q[i][j] = wasm_v128_load(g + (i * 3 + j) * plane + at);
    f4 r[4][3];
    for (int j = 0; j < 3; j++) {
      r[0][j] = q[0][j];
      r[1][j] = MUL(ADD(ADD(q[0][j], q[1][j]), q[2][j]), half);
      r[2][j] = MUL(ADD(SUB(q[0][j], q[1][j]), q[2][j]), half);
      r[3][j] = q[2][j];
    }
    for (int i = 0; i < 4; i++) {
      float* out = u + (4 * i) * plane + dst;
      wasm_v128_store(out, r[i][0]);
      wasm_v128_store(out + plane, MUL(ADD(ADD(r[i][0], r[i][1]), r[i][2]), half));
      wasm_v128_store(out + 2 * plane, MUL(ADD(SUB(r[i][0], r[i][1]), r[i][2]), half));
      wasm_v128_store(out + 3 * plane, r[i][2]);
    }
  }
}

/*
 * The convolution's products: out[e][t][m] = Σ_k v[e][t][k] · u[e][k][m] for each tile
 * element e, u in panels as winograd_filter stores it (XNNPACK's GEMM would repack u on
 * every call). Register tile 4 tiles x 8 columns (4 for a last narrow panel): per k, one
 * splat from each of 4 rows of v and one or two loads of the panel's row. Tiles go by in
 * chunks whose rows of v stay in cache while every panel passes over them; each value sums
 * its k in order. The range is of tile elements e.
 */
#define PRODUCTS_V_FLOATS 65536
#define SPLAT(p) wasm_v128_load32_splat(p)
__attribute__((export_name("winograd_products")))
void winograd_products(const float* v, const float* u, int tiles, int k, int m, float* out, int e_begin, int e_end) {
  const long vplane = (long)tiles * k, uplane = (long)k * m, oplane = (long)tiles * m;
  const int chunk = PRODUCTS_V_FLOATS / k < 4 ? 4 : PRODUCTS_V_FLOATS / k / 4 * 4;
  const f4 zero = wasm_f32x4_splat(0.0f);
  for (int e = e_begin; e < e_end; e++) {
    const float* ve = v + e * vplane;
    const float* ue = u + e * uplane;
    float* oe = out + e * oplane;
    for (int c0 = 0; c0 < tiles; c0 += chunk) {
      const int c1 = c0 + chunk < tiles ? c0 + chunk : tiles;
      for (int m0 = 0; m0 < m; m0 += 8) {
        const int wide = m - m0 >= 8;
        const float* panel = ue + (long)m0 * k;
        for (int t0 = c0; t0 < c1; t0 += 4) {
          const int rows = c1 - t0 < 4 ? c1 - t0 : 4;
          /* Rows past the end repeat the first: computed, never stored. */
          const float* a0 = ve + (long)t0 * k;
          const float* a1 = rows > 1 ? a0 + k : a0;
          const float* a2 = rows > 2 ? a0 + 2 * k : a0;
          const float* a3 = rows > 3 ? a0 + 3 * k : a0;
          f4 c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
          const float* b = panel;
          if (wide) {
            for (int kk = 0; kk < k; kk++, b += 8) {
              const f4 b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
              f4 s = SPLAT(a0 + kk);
              FMA(c00, s, b0); FMA(c01, s, b1);
              s = SPLAT(a1 + kk);
              FMA(c10, s, b0); FMA(c11, s, b1);
              s = SPLAT(a2 + kk);
              FMA(c20, s, b0); FMA(c21, s, b1);
              s = SPLAT(a3 + kk);
              FMA(c30, s, b0); FMA(c31, s, b1);
            }
          } else {
            for (int kk = 0; kk < k; kk++, b += 4) {
              const f4 b0 = wasm_v128_load(b);
              FMA(c00, SPLAT(a0 + kk), b0);
              FMA(c10, SPLAT(a1 + kk), b0);
              FMA(c20, SPLAT(a2 + kk), b0);
              FMA(c30, SPLAT(a3 + kk), b0);
            }
          }
          float* o = oe + (long)t0 * m + m0;
          wasm_v128_store(o, c00);
          if (wide) wasm_v128_store(o + 4, c01);
          if (rows > 1) { wasm_v128_store(o + m, c10); if (wide) wasm_v128_store(o + m + 4, c11); }
          if (rows > 2) { wasm_v128_store(o + 2 * m, c20); if (wide) wasm_v128_store(o + 2 * m + 4, c21); }
          if (rows > 3) { wasm_v128_store(o + 3 * m, c30); if (wide) wasm_v128_store(o + 3 * m + 4, c31); }
        }
      }
    }
  }
}

/*
 * For the filter gradient. dy [n, oh, ow, c] → dm [16][tiles][c]: per tile the gradient
 * of Aᵀ m A, dm = A dY Aᵀ with dY the tile's 2x2 (zeros past oh/ow), A = [1 0; 1 1; 1 -1; 0 -1].
 */
__attribute__((export_name("winograd_output_gradient")))
void winograd_output_gradient(const float* dy, int n, int oh, int ow, int c, int tiles_h, int tiles_w, float* dm, int img_begin, int img_end) {
  const int tiles = n * tiles_h * tiles_w;
  const long plane = (long)tiles * c;
  const f4 zero = wasm_f32x4_splat(0.0f);
  for (int t = img_begin * tiles_h * tiles_w; t < img_end * tiles_h * tiles_w; t++) {
    const int img = t / (tiles_h * tiles_w);
    const int ty = (t / tiles_w) % tiles_h;
    const int tx = t % tiles_w;
    const int rows = oh - 2 * ty < 2 ? 1 : 2;
    const int cols = ow - 2 * tx < 2 ? 1 : 2;
    const float* in = dy + (((long)img * oh + 2 * ty) * ow + 2 * tx) * c;
    float* out = dm + (long)t * c;
    for (int ch = 0; ch < c; ch += 4) {
      const f4 y00 = wasm_v128_load(in + ch);
      const f4 y01 = cols > 1 ? wasm_v128_load(in + c + ch) : zero;
      const f4 y10 = rows > 1 ? wasm_v128_load(in + (long)ow * c + ch) : zero;
      const f4 y11 = rows > 1 && cols > 1 ? wasm_v128_load(in + (long)ow * c + c + ch) : zero;
      /* A dY: 4 rows x 2 columns. */
      const f4 a0 = y00, a1 = ADD(y00, y10), a2 = SUB(y00, y10), a3 = wasm_f32x4_neg(y10);
      const f4 b0 = y01, b1 = ADD(y01, y11), b2 = SUB(y01, y11), b3 = wasm_f32x4_neg(y11);
      /* (A dY) Aᵀ: row r → (a, a + b, a − b, −b). */
#define ROW(r, a, b)                                              \
  do {                                                            \
    wasm_v128_store(out + (4 * r + 0) * plane + ch, a);           \
    wasm_v128_store(out + (4 * r + 1) * plane + ch, ADD(a, b));   \
    wasm_v128_store(out + (4 * r + 2) * plane + ch, SUB(a, b));   \
    wasm_v128_store(out + (4 * r + 3) * plane + ch, wasm_f32x4_neg(b)); \
  } while (0)
      ROW(0, a0, b0); ROW(1, a1, b1); ROW(2, a2, b2); ROW(3, a3, b3);
#undef ROW
    }
  }
}

/*
 * For the filter gradient: du[e][k][m] = Σ_t v[e][t][k] · dm[e][t][m] over the tiles, for
 * each tile element e, with v as winograd_input writes it (tile-major) and dm as
 * winograd_output_gradient does. No GEMM library: XNNPACK would pack dm (a fresh operand
 * per element) at a cost above the arithmetic's. Register tile: 4 rows of du (4
 * consecutive k of one tile: one load, then splats) x 8 columns (two loads of dm's row),
 * or 4 for the last columns when m is not a multiple of 8. The tiles go by in chunks
 * small enough that a chunk of v and dm stays in cache while every (k, m) block passes
 * over it; each du value sums its tiles in order. The range is of tile elements e.
 * k and m are multiples of 4.
 */
#define PRODUCTS_CHUNK 128
/*
 * The register tile of both filter gradients: 4 rows (4 consecutive channels of one x pixel
 * or V tile: one load, then splats) x 8 columns (two loads of a dy or dm row), or x 4 when
 * `wide` is 0; accumulated in c00..c31, named rather than an array so that they stay in
 * registers (this module has no stack). TILE_RUN adds `count` steps, a and b advancing by
 * their steps.
 */
#define TILE_DECLARE f4 c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero
#define TILE_LOAD(u, m, wide)                                                                                 \
  do {                                                                                                        \
    c00 = wasm_v128_load(u); c10 = wasm_v128_load(u + m); c20 = wasm_v128_load(u + 2 * m); c30 = wasm_v128_load(u + 3 * m); \
    if (wide) { c01 = wasm_v128_load(u + 4); c11 = wasm_v128_load(u + m + 4); c21 = wasm_v128_load(u + 2 * m + 4); c31 = wasm_v128_load(u + 3 * m + 4); } \
  } while (0)
#define TILE_STORE(u, m, wide)                                                                                \
  do {                                                                                                        \
    wasm_v128_store(u, c00); wasm_v128_store(u + m, c10); wasm_v128_store(u + 2 * m, c20); wasm_v128_store(u + 3 * m, c30); \
    if (wide) { wasm_v128_store(u + 4, c01); wasm_v128_store(u + m + 4, c11); wasm_v128_store(u + 2 * m + 4, c21); wasm_v128_store(u + 3 * m + 4, c31); } \
  } while (0)
#define TILE_RUN(a_start, astep, b_start, bstep, count, wide)                                                \
  do {                                                                                                        \
    const float* a_ = (a_start);                                                                              \
    const float* b_ = (b_start);                                                                              \
    if (wide) {                                                                                               \
      for (int q_ = 0; q_ < (count); q_++, a_ += (astep), b_ += (bstep)) {                                    \
        const f4 b0 = wasm_v128_load(b_), b1 = wasm_v128_load(b_ + 4);                                        \
        f4 s = SPLAT(a_);                                                                                     \
        FMA(c00, s, b0); FMA(c01, s, b1);                                                                     \
        s = SPLAT(a_ + 1);                                                                                    \
        FMA(c10, s, b0); FMA(c11, s, b1);                                                                     \
        s = SPLAT(a_ + 2);                                                                                    \
        FMA(c20, s, b0); FMA(c21, s, b1);                                                                     \
        s = SPLAT(a_ + 3);                                                                                    \
        FMA(c30, s, b0); FMA(c31, s, b1);                                                                     \
      }                                                                                                       \
    } else {                                                                                                  \
      for (int q_ = 0; q_ < (count); q_++, a_ += (astep), b_ += (bstep)) {                                    \
        const f4 b0 = wasm_v128_load(b_);                                                                     \
        FMA(c00, SPLAT(a_), b0);                                                                              \
        FMA(c10, SPLAT(a_ + 1), b0);                                                                          \
        FMA(c20, SPLAT(a_ + 2), b0);                                                                          \
        FMA(c30, SPLAT(a_ + 3), b0);                                                                          \
      }                                                                                                       \
    }                                                                                                         \
  } while (0)

__attribute__((export_name("winograd_filter_products")))
void winograd_filter_products(const float* v, const float* dm, int tiles, int k, int m, float* du, int e_begin, int e_end) {
  const long vplane = (long)tiles * k, dplane = (long)tiles * m, uplane = (long)k * m;
  const f4 zero = wasm_f32x4_splat(0.0f);
  for (int e = e_begin; e < e_end; e++) {
    const float* ve = v + e * vplane;
    const float* de = dm + e * dplane;
    float* ue = du + e * uplane;
    for (int t0 = 0; t0 < tiles; t0 += PRODUCTS_CHUNK) {
      const int count = tiles - t0 < PRODUCTS_CHUNK ? tiles - t0 : PRODUCTS_CHUNK;
      for (int k0 = 0; k0 < k; k0 += 4) {
        for (int m0 = 0; m0 < m; m0 += 8) {
          const int wide = m - m0 >= 8;
          float* u = ue + (long)k0 * m + m0;
          TILE_DECLARE;
          if (t0 > 0) TILE_LOAD(u, m, wide);
          TILE_RUN(ve + (long)t0 * k + k0, k, de + (long)t0 * m + m0, m, count, wide);
          TILE_STORE(u, m, wide);
        }
      }
    }
  }
}

/*
 * For the filter gradient. du [16][k][m] → dw [3][3][k][m] = Gᵀ dU G for every (k, m).
 * k · m is a multiple of 4.
 */
__attribute__((export_name("winograd_filter_gradient")))
void winograd_filter_gradient(const float* du, int k, int m, float* dw) {
  const long plane = (long)k * m;
  const f4 half = wasm_f32x4_splat(0.5f);
  for (long at = 0; at < plane; at += 4) {
    /* Gᵀ maps rows (u0, u1, u2, u3) to (u0 + ½(u1 + u2), ½(u1 − u2), ½(u1 + u2) + u3);
       G does the same to columns. */
#define DU(e) wasm_v128_load(du + (e) * plane + at)
#define GT(u0, u1, u2, u3, o0, o1, o2)        \
  do {                                        \
    const f4 p = MUL(ADD(u1, u2), half);      \
    o0 = ADD(u0, p);                          \
    o1 = MUL(SUB(u1, u2), half);              \
    o2 = ADD(p, u3);                          \
  } while (0)
    f4 r00, r01, r02, r03, r10, r11, r12, r13, r20, r21, r22, r23;
    GT(DU(0), DU(4), DU(8), DU(12), r00, r10, r20);
    GT(DU(1), DU(5), DU(9), DU(13), r01, r11, r21);
    GT(DU(2), DU(6), DU(10), DU(14), r02, r12, r22);
    GT(DU(3), DU(7), DU(11), DU(15), r03, r13, r23);
    f4 o0, o1, o2;
    GT(r00, r01, r02, r03, o0, o1, o2);
    wasm_v128_store(dw + 0 * plane + at, o0); wasm_v128_store(dw + 1 * plane + at, o1); wasm_v128_store(dw + 2 * plane + at, o2);
    GT(r10, r11, r12, r13, o0, o1, o2);
    wasm_v128_store(dw + 3 * plane + at, o0); wasm_v128_store(dw + 4 * plane + at, o1); wasm_v128_store(dw + 5 * plane + at, o2);
    GT(r20, r21, r22, r23, o0, o1, o2);
    wasm_v128_store(dw + 6 * plane + at, o0); wasm_v128_store(dw + 7 * plane + at, o1); wasm_v128_store(dw + 8 * plane + at, o2);
#undef GT
#undef DU
  }
}

/*
 * The filter gradient of any convolution, directly (not Winograd): for each tap (i, j),
 * dw[i][j][k][m] = Σ over output pixels p of x[p·s + (i, j)·d − pad][k] · dy[p][m], with
 * no patch matrix: the register tile (4 input x 8 output channels, or 4 x 4 for the last
 * output channels) reads x's 4 channels at each pixel the tap touches and dy's row. The
 * pixels go by in chunks of output rows of one image, small enough that the chunk's x and
 * dy stay in cache while every (tap, k, m) block passes over them; each dw value sums its
 * pixels in order. The range is of x's channels (multiples of 4). k (x's channels) and m
 * (dy's) are multiples of 4. x [n, h, w, k], dy [n, oh, ow, m].
 */
#define DIRECT_CHUNK_PIXELS 512
__attribute__((export_name("conv_filter_gradient")))
void conv_filter_gradient(const float* x, int n, int h, int w, int k, const float* dy, int oh, int ow, int m, int kh, int kw, int sh, int sw, int dh, int dw_, int pad_top, int pad_left, float* dw, int k_begin, int k_end) {
  const f4 zero = wasm_f32x4_splat(0.0f);
  const int rows_per_chunk = ow >= DIRECT_CHUNK_PIXELS ? 1 : DIRECT_CHUNK_PIXELS / ow;
  for (int img = 0; img < n; img++) {
    const float* xi = x + (long)img * h * w * k;
    const float* dyi = dy + (long)img * oh * ow * m;
    for (int r0 = 0; r0 < oh; r0 += rows_per_chunk) {
      const int r1 = r0 + rows_per_chunk < oh ? r0 + rows_per_chunk : oh;
      const int first = img == 0 && r0 == 0;
      for (int i = 0; i < kh; i++) {
        for (int j = 0; j < kw; j++) {
          /* Output columns whose input column ocol·sw + j·dw − pad_left lies in [0, w). */
          const int shift = j * dw_ - pad_left;
          int c_lo = shift >= 0 ? 0 : (-shift + sw - 1) / sw;
          int c_hi = (w - 1 - shift) >= 0 ? (w - 1 - shift) / sw + 1 : 0;
          if (c_hi > ow) c_hi = ow;
          float* dwt = dw + (long)(i * kw + j) * k * m;
          for (int k0 = k_begin; k0 < k_end; k0 += 4) {
            for (int m0 = 0; m0 < m; m0 += 8) {
              const int wide = m - m0 >= 8;
              float* u = dwt + (long)k0 * m + m0;
              TILE_DECLARE;
              if (!first) TILE_LOAD(u, m, wide);
              for (int r = r0; r < r1; r++) {
                const int ih = r * sh + i * dh - pad_top;
                if (ih < 0 || ih >= h || c_lo >= c_hi) continue;
                TILE_RUN(xi + ((long)ih * w + c_lo * sw + shift) * k + k0, (long)sw * k, dyi + ((long)r * ow + c_lo) * m + m0, m, c_hi - c_lo, wide);
              }
              TILE_STORE(u, m, wide);
            }
          }
        }
      }
    }
  }
}

/*
 * MaxPool's gradient: dx [n, h, w, c] gets, at each pixel, the sum of dy over the windows
 * whose maximum is there: the first maximum in row-major window order (a later value
 * replaces it only when strictly greater), as tfjs's cpu backend picks it; windows with
 * no value above −∞ pass nothing. x [n, h, w, c], dy [n, oh, ow, c]: four channels at a
 * time, the last c mod 4 one by one; dx must hold zeros (a loop zeroing it would compile to a memset this module lacks).
 * The range is of images (a window never leaves its image, so every dx value is one
 * call's work).
 */
__attribute__((export_name("max_pool_gradient")))
void max_pool_gradient(const float* x, const float* dy, int h, int w, int c, int oh, int ow, int fh, int fw, int sh, int sw, int dh, int dw_, int pad_top, int pad_left, float* dx, int img_begin, int img_end) {
  const f4 lowest = wasm_f32x4_splat(-__builtin_inff());
  const v128_t none = wasm_i32x4_splat(-1);
  const long image = (long)h * w * c;
  for (int img = img_begin; img < img_end; img++) {
    const float* xi = x + img * image;
    float* dxi = dx + img * image;
    const float* dyi = dy + (long)img * oh * ow * c;
    for (int oy = 0; oy < oh; oy++) {
      for (int ox = 0; ox < ow; ox++) {
        const float* g = dyi + ((long)oy * ow + ox) * c;
        int ch = 0;
        for (; ch + 4 <= c; ch += 4) {
          f4 best = lowest;
          v128_t at = none;
          for (int fy = 0; fy < fh; fy++) {
            const int iy = oy * sh - pad_top + fy * dh;
            if (iy < 0 || iy >= h) continue;
            for (int fx = 0; fx < fw; fx++) {
              const int ix = ox * sw - pad_left + fx * dw_;
              if (ix < 0 || ix >= w) continue;
              const long p = ((long)iy * w + ix) * c + ch;
              const f4 v = wasm_v128_load(xi + p);
              const v128_t greater = wasm_f32x4_gt(v, best);
              best = wasm_v128_bitselect(v, best, greater);
              at = wasm_v128_bitselect(wasm_i32x4_splat((int)p), at, greater);
            }
          }
          const f4 gv = wasm_v128_load(g + ch);
          int p;
          if ((p = wasm_i32x4_extract_lane(at, 0)) >= 0) dxi[p] += wasm_f32x4_extract_lane(gv, 0);
          if ((p = wasm_i32x4_extract_lane(at, 1)) >= 0) dxi[p + 1] += wasm_f32x4_extract_lane(gv, 1);
          if ((p = wasm_i32x4_extract_lane(at, 2)) >= 0) dxi[p + 2] += wasm_f32x4_extract_lane(gv, 2);
          if ((p = wasm_i32x4_extract_lane(at, 3)) >= 0) dxi[p + 3] += wasm_f32x4_extract_lane(gv, 3);
        }
        for (; ch < c; ch++) {
          float best = -__builtin_inff();
          long at = -1;
          for (int fy = 0; fy < fh; fy++) {
            const int iy = oy * sh - pad_top + fy * dh;
            if (iy < 0 || iy >= h) continue;
            for (int fx = 0; fx < fw; fx++) {
              const int ix = ox * sw - pad_left + fx * dw_;
              if (ix < 0 || ix >= w) continue;
              const long p = ((long)iy * w + ix) * c + ch;
              if (xi[p] > best) {
                best = xi[p];
                at = p;
              }
            }
          }
          if (at >= 0) dxi[at] += g[ch];
        }
      }
    }
  }
}

/*
 * Column sums of x [rows][c]: out[j] = Σ_r x[r][j] for j in [c_begin, c_end), each column
 * summed in row order in blocks of SUM_BLOCK rows (a block's sum then added to the total:
 * error grows with rows / SUM_BLOCK + SUM_BLOCK, not rows; up to SUM_BLOCK rows it is the
 * plain in-order sum). Eight vectors (32 columns) per pass over the rows keep eight
 * additions in flight.
 */
#define SUM_BLOCK 256
static inline void sum_columns(const float* x, long rows, int c, float* out, int c_begin, int c_end) {
  const f4 zero = wasm_f32x4_splat(0.0f);
  int j = c_begin;
  for (; j + 32 <= c_end; j += 32) {
    f4 t0 = zero, t1 = zero, t2 = zero, t3 = zero, t4 = zero, t5 = zero, t6 = zero, t7 = zero;
    for (long r0 = 0; r0 < rows; r0 += SUM_BLOCK) {
      const long r1 = r0 + SUM_BLOCK < rows ? r0 + SUM_BLOCK : rows;
      f4 s0 = zero, s1 = zero, s2 = zero, s3 = zero, s4 = zero, s5 = zero, s6 = zero, s7 = zero;
      for (long r = r0; r < r1; r++) {
        const float* p = x + r * c + j;
        s0 = ADD(s0, wasm_v128_load(p)); s1 = ADD(s1, wasm_v128_load(p + 4));
        s2 = ADD(s2, wasm_v128_load(p + 8)); s3 = ADD(s3, wasm_v128_load(p + 12));
        s4 = ADD(s4, wasm_v128_load(p + 16)); s5 = ADD(s5, wasm_v128_load(p + 20));
        s6 = ADD(s6, wasm_v128_load(p + 24)); s7 = ADD(s7, wasm_v128_load(p + 28));
      }
      if (r0 == 0) {
        t0 = s0; t1 = s1; t2 = s2; t3 = s3; t4 = s4; t5 = s5; t6 = s6; t7 = s7;
      } else {
        t0 = ADD(t0, s0); t1 = ADD(t1, s1); t2 = ADD(t2, s2); t3 = ADD(t3, s3);
        t4 = ADD(t4, s4); t5 = ADD(t5, s5); t6 = ADD(t6, s6); t7 = ADD(t7, s7);
      }
    }
    wasm_v128_store(out + j, t0); wasm_v128_store(out + j + 4, t1);
    wasm_v128_store(out + j + 8, t2); wasm_v128_store(out + j + 12, t3);
    wasm_v128_store(out + j + 16, t4); wasm_v128_store(out + j + 20, t5);
    wasm_v128_store(out + j + 24, t6); wasm_v128_store(out + j + 28, t7);
  }
  for (; j + 4 <= c_end; j += 4) {
    f4 t = zero;
    for (long r0 = 0; r0 < rows; r0 += SUM_BLOCK) {
      const long r1 = r0 + SUM_BLOCK < rows ? r0 + SUM_BLOCK : rows;
      f4 s = zero;
      for (long r = r0; r < r1; r++) s = ADD(s, wasm_v128_load(x + r * c + j));
      t = r0 == 0 ? s : ADD(t, s);
    }
    wasm_v128_store(out + j, t);
  }
  for (; j < c_end; j++) {
    float t = 0.0f;
    for (long r0 = 0; r0 < rows; r0 += SUM_BLOCK) {
      const long r1 = r0 + SUM_BLOCK < rows ? r0 + SUM_BLOCK : rows;
      float s = 0.0f;
      for (long r = r0; r < r1; r++) s += x[r * c + j];
      t = r0 == 0 ? s : t + s;
    }
    out[j] = t;
  }
}

/* Sum over the leading axis of x [rows][c] (see sum_columns). The range is of columns. */
__attribute__((export_name("column_sums")))
void column_sums(const float* x, long rows, int c, float* out, int c_begin, int c_end) {
  sum_columns(x, rows, c, out, c_begin, c_end);
}

/* Sum over the middle axis of x [groups][rows][c]: out [groups][c]. The range is of groups. */
__attribute__((export_name("group_sums")))
void group_sums(const float* x, long rows, int c, float* out, int g_begin, int g_end) {
  for (int g = g_begin; g < g_end; g++) sum_columns(x + g * rows * c, rows, c, out + (long)g * c, 0, c);
}

/*
 * Batched products out[b] = a[b] · w[b], a [m][k], w [k][n] (row-major, n a multiple of 4),
 * a_stride / w_stride floats between batches (0: one matrix for every batch). Register tile
 * 4 rows x 8 columns (4 for a last narrow block): per k one splat from each of 4 rows of a
 * and one or two loads of w's row; each value sums its k in order. For many small products
 * (an augmentation's per-image resampling), where a GEMM library packs w for every batch.
 * The range is of batches.
 */
__attribute__((export_name("batch_matmul")))
void batch_matmul(const float* a, const float* w, int m, int k, int n, long a_stride, long w_stride, float* out, int b_begin, int b_end) {
  const f4 zero = wasm_f32x4_splat(0.0f);
  for (int bi = b_begin; bi < b_end; bi++) {
    const float* ab = a + bi * a_stride;
    const float* wb = w + bi * w_stride;
    float* ob = out + (long)bi * m * n;
    for (int i0 = 0; i0 < m; i0 += 4) {
      const int rows = m - i0 < 4 ? m - i0 : 4;
      const float* a0 = ab + (long)i0 * k;
      const float* a1 = rows > 1 ? a0 + k : a0;
      const float* a2 = rows > 2 ? a0 + 2 * k : a0;
      const float* a3 = rows > 3 ? a0 + 3 * k : a0;
      for (int j0 = 0; j0 < n; j0 += 8) {
        const int wide = n - j0 >= 8;
        f4 c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
        const float* r = wb + j0;
        if (wide) {
          for (int kk = 0; kk < k; kk++, r += n) {
            const f4 b0 = wasm_v128_load(r), b1 = wasm_v128_load(r + 4);
            f4 s = SPLAT(a0 + kk);
            FMA(c00, s, b0); FMA(c01, s, b1);
            s = SPLAT(a1 + kk);
            FMA(c10, s, b0); FMA(c11, s, b1);
            s = SPLAT(a2 + kk);
            FMA(c20, s, b0); FMA(c21, s, b1);
            s = SPLAT(a3 + kk);
            FMA(c30, s, b0); FMA(c31, s, b1);
          }
        } else {
          for (int kk = 0; kk < k; kk++, r += n) {
            const f4 b0 = wasm_v128_load(r);
            FMA(c00, SPLAT(a0 + kk), b0);
            FMA(c10, SPLAT(a1 + kk), b0);
            FMA(c20, SPLAT(a2 + kk), b0);
            FMA(c30, SPLAT(a3 + kk), b0);
          }
        }
        float* o = ob + (long)i0 * n + j0;
        wasm_v128_store(o, c00);
        if (wide) wasm_v128_store(o + 4, c01);
        if (rows > 1) { wasm_v128_store(o + n, c10); if (wide) wasm_v128_store(o + n + 4, c11); }
        if (rows > 2) { wasm_v128_store(o + 2 * n, c20); if (wide) wasm_v128_store(o + 2 * n + 4, c21); }
        if (rows > 3) { wasm_v128_store(o + 3 * n, c30); if (wide) wasm_v128_store(o + 3 * n + 4, c31); }
      }
    }
  }
}

/*
 * Winograd F(4x4, 3x3) (Lavin & Gray, 2016): per 4x4 output tile, with d the 6x6 input
 * tile, y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A with
 *   Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1],
 *   G = [¼ 0 0; −⅙ −⅙ −⅙; −⅙ ⅙ −⅙; 1⁄24 1⁄12 ⅙; 1⁄24 −1⁄12 ⅙; 0 0 1],
 *   Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1]:
 * 36 products per 16 output pixels (4x fewer than direct, 1.78x fewer than F(2x2)), the
 * 36 elements' products [tiles, inC]·[inC, outC] by winograd_products. Layouts as the
 * F(2x2) functions with 36 tile elements (e = 6·row + column) instead of 16.
 */
/* Bᵀ z for the six values z0..z5 of one column (or row). */
#define BT6(z0, z1, z2, z3, z4, z5, o0, o1, o2, o3, o4, o5)                 \
  do {                                                                      \
    const f4 a_ = SUB(z4, MUL(four, z2)), b_ = SUB(z3, MUL(four, z1));     \
    const f4 c_ = SUB(z4, z2), e_ = MUL(two, SUB(z3, z1));                  \
    o0 = ADD(SUB(MUL(four, z0), MUL(five, z2)), z4);                        \
    o1 = ADD(a_, b_); o2 = SUB(a_, b_);                                     \
    o3 = ADD(c_, e_); o4 = SUB(c_, e_);                                     \
    o5 = ADD(SUB(MUL(four, z1), MUL(five, z3)), z5);                        \
  } while (0)

__attribute__((export_name("winograd4_input")))
void winograd4_input(const float* x, int n, int h, int w, int c, int pad_top, int pad_left, int tiles_h, int tiles_w, float* v, int img_begin, int img_end) {
  const int tiles = n * tiles_h * tiles_w;
  const long plane = (long)tiles * c;
  const f4 zero = wasm_f32x4_splat(0.0f);
  const f4 two = wasm_f32x4_splat(2.0f), four = wasm_f32x4_splat(4.0f), five = wasm_f32x4_splat(5.0f);
  int t = img_begin * tiles_h * tiles_w;
  for (int img = img_begin; img < img_end; img++) {
    const float* xi = x + (long)img * h * w * c;
    for (int ty = 0; ty < tiles_h; ty++) {
      const int r0 = 4 * ty - pad_top;
      for (int tx = 0; tx < tiles_w; tx++, t++) {
        const int c0 = 4 * tx - pad_left;
        const int inside = r0 >= 0 && r0 + 6 <= h && c0 >= 0 && c0 + 6 <= w;
        float* out = v + (long)t * c;
        for (int ch = 0; ch < c; ch += 4, out += 4) {
          f4 e[6][6];
#pragma clang loop unroll(full)
          for (int j = 0; j < 6; j++) {
            const int col = c0 + j;
            f4 d[6];
#pragma clang loop unroll(full)
            for (int i = 0; i < 6; i++) {
              const int r = r0 + i;
              d[i] = inside || (r >= 0 && r < h && col >= 0 && col < w) ? wasm_v128_load(xi + ((long)r * w + col) * c + ch) : zero;
            }
            BT6(d[0], d[1], d[2], d[3], d[4], d[5], e[0][j], e[1][j], e[2][j], e[3][j], e[4][j], e[5][j]);
          }
#pragma clang loop unroll(full)
          for (int i = 0; i < 6; i++) {
            f4 o0, o1, o2, o3, o4, o5;
            BT6(e[i][0], e[i][1], e[i][2], e[i][3], e[i][4], e[i][5], o0, o1, o2, o3, o4, o5);
            float* p = out + (long)(6 * i) * plane;
            wasm_v128_store(p, o0);
            wasm_v128_store(p + plane, o1);
            wasm_v128_store(p + 2 * plane, o2);
            wasm_v128_store(p + 3 * plane, o3);
            wasm_v128_store(p + 4 * plane, o4);
            wasm_v128_store(p + 5 * plane, o5);
          }
        }
      }
    }
  }
}

/* Aᵀ m for six values: four outputs. */
#define AT6(m0, m1, m2, m3, m4, m5, o0, o1, o2, o3)        \
  do {                                                     \
    const f4 p_ = ADD(m1, m2), q_ = SUB(m1, m2);           \
    const f4 s_ = ADD(m3, m4), t_ = SUB(m3, m4);           \
    o0 = ADD(ADD(m0, p_), s_);                             \
    o1 = ADD(q_, MUL(two, t_));                            \
    o2 = ADD(p_, MUL(four, s_));                           \
    o3 = ADD(ADD(q_, MUL(eight, t_)), m5);                 \
  } while (0)

/* m [36][tiles][c] → y [n, oh, ow, c]: Aᵀ m A per tile, pixels past oh/ow dropped. The range is of images. */
__attribute__((export_name("winograd4_output")))
void winograd4_output(const float* mm, int n, int oh, int ow, int c, int tiles_h, int tiles_w, float* y, int img_begin, int img_end) {
  const long plane = (long)n * tiles_h * tiles_w * c;
  const f4 two = wasm_f32x4_splat(2.0f), four = wasm_f32x4_splat(4.0f), eight = wasm_f32x4_splat(8.0f);
  int t = img_begin * tiles_h * tiles_w;
  for (int img = img_begin; img < img_end; img++) {
    float* yi = y + (long)img * oh * ow * c;
    for (int ty = 0; ty < tiles_h; ty++) {
      for (int tx = 0; tx < tiles_w; tx++, t++) {
        const long at = (long)t * c;
        const int rows = oh - 4 * ty < 4 ? oh - 4 * ty : 4;
        const int cols = ow - 4 * tx < 4 ? ow - 4 * tx : 4;
        for (int ch = 0; ch < c; ch += 4) {
          f4 s[4][6];
#pragma clang loop unroll(full)
          for (int j = 0; j < 6; j++) {
            const float* p = mm + at + ch + (long)j * plane;
            AT6(wasm_v128_load(p), wasm_v128_load(p + 6 * plane), wasm_v128_load(p + 12 * plane), wasm_v128_load(p + 18 * plane),
                wasm_v128_load(p + 24 * plane), wasm_v128_load(p + 30 * plane), s[0][j], s[1][j], s[2][j], s[3][j]);
          }
#pragma clang loop unroll(full)
          for (int i = 0; i < 4; i++) {
            if (i >= rows) continue;
            f4 o0, o1, o2, o3;
            AT6(s[i][0], s[i][1], s[i][2], s[i][3], s[i][4], s[i][5], o0, o1, o2, o3);
            float* out = yi + ((long)(4 * ty + i) * ow + 4 * tx) * c + ch;
            wasm_v128_store(out, o0);
            if (cols > 1) wasm_v128_store(out + c, o1);
            if (cols > 2) wasm_v128_store(out + 2 * c, o2);
            if (cols > 3) wasm_v128_store(out + 3 * c, o3);
          }
        }
      }
    }
  }
}

/* G applied to three values: six outputs. */
#define G6(q0, q1, q2, o0, o1, o2, o3, o4, o5)                                   \
  do {                                                                           \
    const f4 sum_ = ADD(q0, q2);                                                 \
    o0 = MUL(q0, quarter);                                                       \
    o1 = MUL(ADD(sum_, q1), minus_sixth);                                        \
    o2 = MUL(SUB(sum_, q1), minus_sixth);                                        \
    const f4 x_ = ADD(MUL(q0, twentyfourth), MUL(q2, sixth)), y_ = MUL(q1, twelfth); \
    o3 = ADD(x_, y_);                                                            \
    o4 = SUB(x_, y_);                                                            \
    o5 = q2;                                                                     \
  } while (0)

/*
 * g [3][3][k][m] → u [36][k][m] = G g Gᵀ in winograd_products' panels of 8 columns (as
 * winograd_filter). m is a multiple of 4. The range is of rows kk of g.
 */
__attribute__((export_name("winograd4_filter")))
void winograd4_filter(const float* g, int k, int m, float* u, int k_begin, int k_end) {
  const long plane = (long)k * m;
  const f4 quarter = wasm_f32x4_splat(0.25f), minus_sixth = wasm_f32x4_splat(-1.0f / 6.0f);
  const f4 sixth = wasm_f32x4_splat(1.0f / 6.0f), twelfth = wasm_f32x4_splat(1.0f / 12.0f);
  const f4 twentyfourth = wasm_f32x4_splat(1.0f / 24.0f);
  for (long at = (long)k_begin * m; at < (long)k_end * m; at += 4) {
    const int kk = at / m, m0 = at % m;
    const int width = m - (m0 & ~7) >= 8 ? 8 : 4;
    const long dst = (long)(m0 & ~7) * k + (long)kk * width + (m0 & 7);
    f4 r[6][3];
#pragma clang loop unroll(full)
    for (int j = 0; j < 3; j++) {
      G6(wasm_v128_load(g + j * plane + at), wasm_v128_load(g + (3 + j) * plane + at), wasm_v128_load(g + (6 + j) * plane + at),
         r[0][j], r[1][j], r[2][j], r[3][j], r[4][j], r[5][j]);
    }
#pragma clang loop unroll(full)
    for (int i = 0; i < 6; i++) {
      f4 o0, o1, o2, o3, o4, o5;
      G6(r[i][0], r[i][1], r[i][2], o0, o1, o2, o3, o4, o5);
      float* out = u + (long)(6 * i) * plane + dst;
      wasm_v128_store(out, o0);
      wasm_v128_store(out + plane, o1);
      wasm_v128_store(out + 2 * plane, o2);
      wasm_v128_store(out + 3 * plane, o3);
      wasm_v128_store(out + 4 * plane, o4);
      wasm_v128_store(out + 5 * plane, o5);
    }
  }
}

/*
 * Any convolution directly (the ones Winograd does not take: strided, 1x1, the input
 * gradient's per-phase sub-filters, the 3-channel stem): y[p][m] = Σ over taps (i, j), in
 * order, of Σ_kk x[p·s + (i, j)·d − pad][kk] · f[i][j][kk][m], zero outside x. Register tile
 * 4 output pixels of a row x 8 output channels (4 for the last when m is not a multiple of
 * 8): per input channel one splat from each pixel and one or two loads of f's row; a tap
 * that puts some of the 4 pixels outside x (or past the row's end) uses a zero mask for
 * them. x [n, h, w, k], f [kh, kw, k, m], y [n, oh, ow, m]; m a multiple of 4. The range
 * is of output rows (n · oh).
 */
__attribute__((export_name("conv_direct")))
void conv_direct(const float* x, int h, int w, int k, const float* f, int kh, int kw, int m, int sh, int sw, int dh, int dw_, int pad_top, int pad_left, float* y, int oh, int ow, int row_begin, int row_end) {
  const f4 zero = wasm_f32x4_splat(0.0f);
  const v128_t all = wasm_i32x4_splat(-1);
  for (int row = row_begin; row < row_end; row++) {
    const int img = row / oh, oy = row % oh;
    const float* xi = x + (long)img * h * w * k;
    float* yr = y + (long)row * ow * m;
    for (int m0 = 0; m0 < m; m0 += 8) {
      const int wide = m - m0 >= 8;
      for (int ox0 = 0; ox0 < ow; ox0 += 4) {
        f4 c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
        for (int i = 0; i < kh; i++) {
          const int iy = oy * sh - pad_top + i * dh;
          if (iy < 0 || iy >= h) continue;
          const float* xrow = xi + (long)iy * w * k;
          for (int j = 0; j < kw; j++) {
            /* The four pixels' input columns; those outside x (or past ow) read column ix0 masked to zero. */
            const int ix0 = ox0 * sw - pad_left + j * dw_;
            const int ix1 = ix0 + sw, ix2 = ix0 + 2 * sw, ix3 = ix0 + 3 * sw;
            const int ok0 = ix0 >= 0 && ix0 < w;
            const int ok1 = ox0 + 1 < ow && ix1 >= 0 && ix1 < w;
            const int ok2 = ox0 + 2 < ow && ix2 >= 0 && ix2 < w;
            const int ok3 = ox0 + 3 < ow && ix3 >= 0 && ix3 < w;
            if (!(ok0 | ok1 | ok2 | ok3)) continue;
            const int any = ok0 ? ix0 : ok1 ? ix1 : ok2 ? ix2 : ix3;
            const float* a0 = xrow + (long)(ok0 ? ix0 : any) * k;
            const float* a1 = xrow + (long)(ok1 ? ix1 : any) * k;
            const float* a2 = xrow + (long)(ok2 ? ix2 : any) * k;
            const float* a3 = xrow + (long)(ok3 ? ix3 : any) * k;
            const float* b = f + ((long)(i * kw + j) * k) * m + m0;
            if (ok0 & ok1 & ok2 & ok3) {
              if (wide) {
                for (int kk = 0; kk < k; kk++, b += m) {
                  const f4 b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
                  f4 s = SPLAT(a0 + kk);
                  FMA(c00, s, b0); FMA(c01, s, b1);
                  s = SPLAT(a1 + kk);
                  FMA(c10, s, b0); FMA(c11, s, b1);
                  s = SPLAT(a2 + kk);
                  FMA(c20, s, b0); FMA(c21, s, b1);
                  s = SPLAT(a3 + kk);
                  FMA(c30, s, b0); FMA(c31, s, b1);
                }
              } else {
                for (int kk = 0; kk < k; kk++, b += m) {
                  const f4 b0 = wasm_v128_load(b);
                  FMA(c00, SPLAT(a0 + kk), b0);
                  FMA(c10, SPLAT(a1 + kk), b0);
                  FMA(c20, SPLAT(a2 + kk), b0);
                  FMA(c30, SPLAT(a3 + kk), b0);
                }
              }
            } else {
              const v128_t k0 = ok0 ? all : zero, k1 = ok1 ? all : zero, k2 = ok2 ? all : zero, k3 = ok3 ? all : zero;
              for (int kk = 0; kk < k; kk++, b += m) {
                const f4 b0 = wasm_v128_load(b), b1 = wide ? wasm_v128_load(b + 4) : zero;
                f4 s = wasm_v128_and(SPLAT(a0 + kk), k0);
                FMA(c00, s, b0); FMA(c01, s, b1);
                s = wasm_v128_and(SPLAT(a1 + kk), k1);
                FMA(c10, s, b0); FMA(c11, s, b1);
                s = wasm_v128_and(SPLAT(a2 + kk), k2);
                FMA(c20, s, b0); FMA(c21, s, b1);
                s = wasm_v128_and(SPLAT(a3 + kk), k3);
                FMA(c30, s, b0); FMA(c31, s, b1);
              }
            }
          }
        }
        const int px = ow - ox0 < 4 ? ow - ox0 : 4;
        float* o = yr + (long)ox0 * m + m0;
        wasm_v128_store(o, c00);
        if (wide) wasm_v128_store(o + 4, c01);
        if (px > 1) { wasm_v128_store(o + m, c10); if (wide) wasm_v128_store(o + m + 4, c11); }
        if (px > 2) { wasm_v128_store(o + 2 * m, c20); if (wide) wasm_v128_store(o + 2 * m + 4, c21); }
        if (px > 3) { wasm_v128_store(o + 3 * m, c30); if (wide) wasm_v128_store(o + 3 * m + 4, c31); }
      }
    }
  }
}

/*
 * dst [cols][rows] = srcᵀ for src [rows][cols] (one tap of a filter, for the input
 * gradient's flipped filters): 4x4 blocks by shuffles where both sizes are multiples of 4,
 * else one value at a time.
 */
__attribute__((export_name("transpose_matrix")))
void transpose_matrix(const float* src, int rows, int cols, float* dst) {
  if (rows % 4 == 0 && cols % 4 == 0) {
    for (int r = 0; r < rows; r += 4) {
      for (int c = 0; c < cols; c += 4) {
        const float* s = src + (long)r * cols + c;
        const f4 a = wasm_v128_load(s), b = wasm_v128_load(s + cols);
        const f4 e = wasm_v128_load(s + 2 * cols), g = wasm_v128_load(s + 3 * cols);
        const f4 ab0 = wasm_i32x4_shuffle(a, b, 0, 4, 1, 5), ab1 = wasm_i32x4_shuffle(a, b, 2, 6, 3, 7);
        const f4 eg0 = wasm_i32x4_shuffle(e, g, 0, 4, 1, 5), eg1 = wasm_i32x4_shuffle(e, g, 2, 6, 3, 7);
        float* d = dst + (long)c * rows + r;
        wasm_v128_store(d, wasm_i32x4_shuffle(ab0, eg0, 0, 1, 4, 5));
        wasm_v128_store(d + rows, wasm_i32x4_shuffle(ab0, eg0, 2, 3, 6, 7));
        wasm_v128_store(d + 2 * rows, wasm_i32x4_shuffle(ab1, eg1, 0, 1, 4, 5));
        wasm_v128_store(d + 3 * rows, wasm_i32x4_shuffle(ab1, eg1, 2, 3, 6, 7));
      }
    }
    return;
  }
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++) dst[(long)c * rows + r] = src[(long)r * cols + c];
}

/* A z for four values z0..z3 (A = (Aᵀ)ᵀ of F(4x4, 3x3)): six outputs. */
#define A6(z0, z1, z2, z3, o0, o1, o2, o3, o4, o5)                        \
  do {                                                                    \
    const f4 p_ = ADD(z0, z2), q_ = ADD(z1, z3);                          \
    const f4 p4_ = ADD(z0, MUL(four, z2)), q4_ = ADD(MUL(two, z1), MUL(eight, z3)); \
    o0 = z0; o1 = ADD(p_, q_); o2 = SUB(p_, q_);                          \
    o3 = ADD(p4_, q4_); o4 = SUB(p4_, q4_); o5 = z3;                      \
  } while (0)

/*
 * For the F(4x4, 3x3) filter gradient. dy [n, oh, ow, c] → dm [36][tiles][c] = A dY Aᵀ per
 * 4x4 tile (zeros past oh/ow). The range is of images.
 */
__attribute__((export_name("winograd4_output_gradient")))
void winograd4_output_gradient(const float* dy, int n, int oh, int ow, int c, int tiles_h, int tiles_w, float* dm, int img_begin, int img_end) {
  const int tiles = n * tiles_h * tiles_w;
  const long plane = (long)tiles * c;
  const f4 zero = wasm_f32x4_splat(0.0f);
  const f4 two = wasm_f32x4_splat(2.0f), four = wasm_f32x4_splat(4.0f), eight = wasm_f32x4_splat(8.0f);
  int t = img_begin * tiles_h * tiles_w;
  for (int img = img_begin; img < img_end; img++) {
    for (int ty = 0; ty < tiles_h; ty++) {
      for (int tx = 0; tx < tiles_w; tx++, t++) {
        const int rows = oh - 4 * ty < 4 ? oh - 4 * ty : 4;
        const int cols = ow - 4 * tx < 4 ? ow - 4 * tx : 4;
        const float* in = dy + (((long)img * oh + 4 * ty) * ow + 4 * tx) * c;
        float* out = dm + (long)t * c;
        for (int ch = 0; ch < c; ch += 4) {
          /* A dY over rows, per column j: a[i][j], i = 0..5. */
          f4 a[6][4];
#pragma clang loop unroll(full)
          for (int j = 0; j < 4; j++) {
            f4 z[4];
#pragma clang loop unroll(full)
            for (int r = 0; r < 4; r++) z[r] = r < rows && j < cols ? wasm_v128_load(in + ((long)r * ow + j) * c + ch) : zero;
            A6(z[0], z[1], z[2], z[3], a[0][j], a[1][j], a[2][j], a[3][j], a[4][j], a[5][j]);
          }
#pragma clang loop unroll(full)
          for (int i = 0; i < 6; i++) {
            f4 o0, o1, o2, o3, o4, o5;
            A6(a[i][0], a[i][1], a[i][2], a[i][3], o0, o1, o2, o3, o4, o5);
            float* p = out + (long)(6 * i) * plane + ch;
            wasm_v128_store(p, o0);
            wasm_v128_store(p + plane, o1);
            wasm_v128_store(p + 2 * plane, o2);
            wasm_v128_store(p + 3 * plane, o3);
            wasm_v128_store(p + 4 * plane, o4);
            wasm_v128_store(p + 5 * plane, o5);
          }
        }
      }
    }
  }
}

/* Gᵀ v for six values: three outputs. */
#define GT6(v0, v1, v2, v3, v4, v5, o0, o1, o2)                                       \
  do {                                                                                \
    const f4 s12_ = ADD(v1, v2), d12_ = SUB(v2, v1), s34_ = ADD(v3, v4), d34_ = SUB(v3, v4); \
    o0 = ADD(SUB(MUL(v0, quarter), MUL(s12_, sixth)), MUL(s34_, twentyfourth));      \
    o1 = ADD(MUL(d12_, sixth), MUL(d34_, twelfth));                                   \
    o2 = ADD(MUL(SUB(s34_, s12_), sixth), v5);                                        \
  } while (0)

/* For the F(4x4, 3x3) filter gradient. du [36][k][m] → dw [3][3][k][m] = Gᵀ dU G. k · m is a multiple of 4. */
__attribute__((export_name("winograd4_filter_gradient")))
void winograd4_filter_gradient(const float* du, int k, int m, float* dw) {
  const long plane = (long)k * m;
  const f4 quarter = wasm_f32x4_splat(0.25f), sixth = wasm_f32x4_splat(1.0f / 6.0f);
  const f4 twelfth = wasm_f32x4_splat(1.0f / 12.0f), twentyfourth = wasm_f32x4_splat(1.0f / 24.0f);
  for (long at = 0; at < plane; at += 4) {
    f4 r[3][6];
#pragma clang loop unroll(full)
    for (int j = 0; j < 6; j++) {
      const float* p = du + (long)j * plane + at;
      GT6(wasm_v128_load(p), wasm_v128_load(p + 6 * plane), wasm_v128_load(p + 12 * plane), wasm_v128_load(p + 18 * plane),
          wasm_v128_load(p + 24 * plane), wasm_v128_load(p + 30 * plane), r[0][j], r[1][j], r[2][j]);
    }
#pragma clang loop unroll(full)
    for (int i = 0; i < 3; i++) {
      f4 o0, o1, o2;
      GT6(r[i][0], r[i][1], r[i][2], r[i][3], r[i][4], r[i][5], o0, o1, o2);
      wasm_v128_store(dw + (3 * i) * plane + at, o0);
      wasm_v128_store(dw + (3 * i + 1) * plane + at, o1);
      wasm_v128_store(dw + (3 * i + 2) * plane + at, o2);
    }
  }
}

/*
 * The first level of BatchNorm's statistics as `channelSum` (../src/batch-norm-training.ts)
 * forms them: out[g][j] = Σ over rows [g·block, (g+1)·block) of x[·][j] (centre NULL) or of
 * (x[·][j] − centre[j])² (one float32 difference and product each, as SquaredDifference),
 * in row order and in blocks of SUM_BLOCK rows exactly as sum_columns, so the forward kernel's
 * mean and variance are the tf-op path's to the bit. The range is of groups.
 */
__attribute__((export_name("bn_group_sums")))
void bn_group_sums(const float* x, const float* centre, long block, int c, float* out, int g_begin, int g_end) {
  const f4 zero = wasm_f32x4_splat(0.0f);
  const int centred = centre != 0;
  for (int g = g_begin; g < g_end; g++) {
    const float* xg = x + (long)g * block * c;
    int j = 0;
    for (; j + 4 <= c; j += 4) {
      const f4 m = centred ? wasm_v128_load(centre + j) : zero;
      f4 t = zero;
      for (long r0 = 0; r0 < block; r0 += SUM_BLOCK) {
        const long r1 = r0 + SUM_BLOCK < block ? r0 + SUM_BLOCK : block;
        f4 s = zero;
        for (long r = r0; r < r1; r++) {
          f4 v = wasm_v128_load(xg + r * c + j);
          if (centred) { v = SUB(v, m); v = MUL(v, v); }
          s = ADD(s, v);
        }
        t = r0 == 0 ? s : ADD(t, s);
      }
      wasm_v128_store(out + (long)g * c + j, t);
    }
    for (; j < c; j++) {
      float t = 0.0f;
      for (long r0 = 0; r0 < block; r0 += SUM_BLOCK) {
        const long r1 = r0 + SUM_BLOCK < block ? r0 + SUM_BLOCK : block;
        float s = 0.0f;
        for (long r = r0; r < r1; r++) {
          float v = xg[r * c + j];
          if (centred) { v = v - centre[j]; v = v * v; }
          s += v;
        }
        t = r0 == 0 ? s : t + s;
      }
      out[(long)g * c + j] = t;
    }
  }
}

/*
 * BatchNorm's backward sums (see ../src/wasm-kernels/batch-norm-training.ts). Per channel j
 * of u, v [rows][c]:
 *   acc[j] = Σ u',  acc[c + j] = Σ u'·v',  u' = u masked where mask ≤ 0, v' = v − vc[j]
 * (vc: one value per channel; mask: NULL for none, else [rows][c]); the backward pass takes
 * u = dy masked by the ReLU's output, v = x, vc = the mean. Runs of BN_RUN rows are
 * summed in float32 (u'·v' one float32 product), then added in row order to float64 sums
 * (acc, 8-byte aligned), so the error no longer grows with the rows. Rows go in blocks of
 * ~32 KB that each channel strip reads from cache; acc carries the sums between blocks. The
 * range is of channels (multiples of 4 but for the last), so each sum is one thread's and
 * does not depend on the thread count.
 */
#define BN_BLOCK_FLOATS 8192
#define BN_RUN 16
#define PROMOTE_LO(v) wasm_f64x2_promote_low_f32x4(v)
#define PROMOTE_HI(v) wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3))
#define ADD64(lo, hi, v) do { lo = wasm_f64x2_add(lo, PROMOTE_LO(v)); hi = wasm_f64x2_add(hi, PROMOTE_HI(v)); } while (0)
/* u' for the four channels at row offset p. */
#define BN_U(p) (masked ? wasm_v128_and(wasm_v128_load(u + (p)), wasm_f32x4_gt(wasm_v128_load(mask + (p)), zero)) \
                        : wasm_v128_load(u + (p)))

__attribute__((export_name("bn_sums")))
void bn_sums(const float* u, const float* mask, const float* v, const float* vc, long rows, int c, double* acc, int c_begin, int c_end) {
  const f4 zero = wasm_f32x4_splat(0.0f);
  const v128_t zero2 = wasm_f64x2_splat(0.0);
  const int masked = mask != 0;
  long block = (BN_BLOCK_FLOATS / c) / BN_RUN * BN_RUN;
  if (block < BN_RUN) block = BN_RUN;
  for (long r0 = 0; r0 < rows; r0 += block) {
    const long r1 = r0 + block < rows ? r0 + block : rows;
    int j = c_begin;
    for (; j + 8 <= c_end; j += 8) {
      const f4 vc0 = wasm_v128_load(vc + j), vc1 = wasm_v128_load(vc + j + 4);
      v128_t s0 = zero2, s1 = zero2, s2 = zero2, s3 = zero2, q0 = zero2, q1 = zero2, q2 = zero2, q3 = zero2;
      if (r0 > 0) {
        s0 = wasm_v128_load(acc + j); s1 = wasm_v128_load(acc + j + 2);
        s2 = wasm_v128_load(acc + j + 4); s3 = wasm_v128_load(acc + j + 6);
        q0 = wasm_v128_load(acc + c + j); q1 = wasm_v128_load(acc + c + j + 2);
        q2 = wasm_v128_load(acc + c + j + 4); q3 = wasm_v128_load(acc + c + j + 6);
      }
      for (long ra = r0; ra < r1; ra += BN_RUN) {
        const long rb = ra + BN_RUN < r1 ? ra + BN_RUN : r1;
        f4 su0 = zero, su1 = zero, sp0 = zero, sp1 = zero;
        for (long r = ra; r < rb; r++) {
          const long p = r * c + j;
          const f4 a0 = BN_U(p), a1 = BN_U(p + 4);
          su0 = ADD(su0, a0); su1 = ADD(su1, a1);
          sp0 = ADD(sp0, MUL(a0, SUB(wasm_v128_load(v + p), vc0)));
          sp1 = ADD(sp1, MUL(a1, SUB(wasm_v128_load(v + p + 4), vc1)));
        }
        ADD64(s0, s1, su0); ADD64(s2, s3, su1); ADD64(q0, q1, sp0); ADD64(q2, q3, sp1);
      }
      wasm_v128_store(acc + j, s0); wasm_v128_store(acc + j + 2, s1);
      wasm_v128_store(acc + j + 4, s2); wasm_v128_store(acc + j + 6, s3);
      wasm_v128_store(acc + c + j, q0); wasm_v128_store(acc + c + j + 2, q1);
      wasm_v128_store(acc + c + j + 4, q2); wasm_v128_store(acc + c + j + 6, q3);
    }
    for (; j + 4 <= c_end; j += 4) {
      const f4 vc0 = wasm_v128_load(vc + j);
      v128_t s0 = zero2, s1 = zero2, q0 = zero2, q1 = zero2;
      if (r0 > 0) {
        s0 = wasm_v128_load(acc + j); s1 = wasm_v128_load(acc + j + 2);
        q0 = wasm_v128_load(acc + c + j); q1 = wasm_v128_load(acc + c + j + 2);
      }
      for (long ra = r0; ra < r1; ra += BN_RUN) {
        const long rb = ra + BN_RUN < r1 ? ra + BN_RUN : r1;
        f4 su0 = zero, sp0 = zero;
        for (long r = ra; r < rb; r++) {
          const long p = r * c + j;
          const f4 a0 = BN_U(p);
          su0 = ADD(su0, a0);
          sp0 = ADD(sp0, MUL(a0, SUB(wasm_v128_load(v + p), vc0)));
        }
        ADD64(s0, s1, su0); ADD64(q0, q1, sp0);
      }
      wasm_v128_store(acc + j, s0); wasm_v128_store(acc + j + 2, s1);
      wasm_v128_store(acc + c + j, q0); wasm_v128_store(acc + c + j + 2, q1);
    }
    for (; j < c_end; j++) {
      double s = r0 > 0 ? acc[j] : 0.0, q = r0 > 0 ? acc[c + j] : 0.0;
      for (long ra = r0; ra < r1; ra += BN_RUN) {
        const long rb = ra + BN_RUN < r1 ? ra + BN_RUN : r1;
        float su = 0.0f, sp = 0.0f;
        for (long r = ra; r < rb; r++) {
          const long p = r * c + j;
          const float a = masked && !(mask[p] > 0.0f) ? 0.0f : u[p];
          su += a;
          sp += a * (v[p] - vc[j]);
        }
        s += (double)su;
        q += (double)sp;
      }
      acc[j] = s;
      acc[c + j] = q;
    }
  }
}

/*
 * Per channel j of [rows][c], with coef [5][c] = a, b, d, vc, i and xc = v − vc:
 *   out = (u'·a + d) + (xc·i)·b, u' = u masked where mask ≤ 0 (u NULL: the u'·a term left out)
 * then ReLU if `relu`. The forward pass: u NULL, i the scale, b = 1, d the bias; the backward
 * pass's dx: u = dy, mask the ReLU's output, a = weight·invStd, d = −a·Σu'/n, i = invStd,
 * b = −a·Σu'·x̂/n (the order of the tf-op path). NULL mask: no masking. The range is of rows.
 */
__attribute__((export_name("bn_apply")))
void bn_apply(const float* u, const float* mask, const float* v, int c, const float* coef, int relu, float* out, long r_begin, long r_end) {
  const f4 zero = wasm_f32x4_splat(0.0f);
  const int with_u = u != 0, masked = mask != 0;
  for (long r = r_begin; r < r_end; r++) {
    int j = 0;
    for (; j + 4 <= c; j += 4) {
      const long p = r * c + j;
      const f4 xn = MUL(SUB(wasm_v128_load(v + p), wasm_v128_load(coef + 3 * c + j)), wasm_v128_load(coef + 4 * c + j));
      f4 o = wasm_v128_load(coef + 2 * c + j);
      if (with_u) {
        f4 g = wasm_v128_load(u + p);
        if (masked) g = wasm_v128_and(g, wasm_f32x4_gt(wasm_v128_load(mask + p), zero));
        o = ADD(MUL(g, wasm_v128_load(coef + j)), o);
      }
      o = ADD(o, MUL(xn, wasm_v128_load(coef + c + j)));
      if (relu) o = wasm_f32x4_max(o, zero);
      wasm_v128_store(out + p, o);
    }
    for (; j < c; j++) {
      const long p = r * c + j;
      const float xn = (v[p] - coef[3 * c + j]) * coef[4 * c + j];
      float o = coef[2 * c + j];
      if (with_u) o = (masked && !(mask[p] > 0.0f) ? 0.0f : u[p]) * coef[j] + o;
      o = o + xn * coef[c + j];
      if (relu && !(o > 0.0f)) o = 0.0f;
      out[p] = o;
    }
  }
}
