// Native convolution kernels for training in Node: stride-1 convolutions with odd square kernels
// and 'same' padding (every conv in model/networks.ts), NHWC activations, HWIO filters, fp32.
// tfjs's WASM backend reaches ~7-17 GFLOP/s per core on these shapes (docs/benchmarks.md); WASM
// SIMD has 4 lanes and no FMA, so the rest of the machine's AVX2 FMA peak is out of its reach.
// These kernels work in place on the WASM backend's heap (typed-array views passed in by
// model/node/native-conv.ts), so nothing is copied in or out. Single-threaded: training already
// runs one worker thread per core (model/node/parallel.ts).
//
// Forward:       out[m, o]   = sum_{a,b,i} xp[m + (a, b), i] * w[a, b, i, o]   (+ bias, activation)
// Filter grad:   dw[a,b,i,o] = sum_m xp[m + (a, b), i] * dy[m, o]
// Input grad:    the forward conv of dy with the filter flipped in space and in/out swapped.
// xp is the input with a zero border of (k-1)/2 pixels, so the inner loops have no bounds checks.
#include <node_api.h>
#include <immintrin.h>

#include <cstdint>
#include <algorithm>
#include <cstring>
#include <type_traits>
#include <vector>

namespace {

struct Shape {
  int n, h, w, cin, cout, k;
  int pad() const { return (k - 1) / 2; }
  int hp() const { return h + 2 * pad(); }
  int wp() const { return w + 2 * pad(); }
  int64_t pixels() const { return int64_t(n) * h * w; }
};

enum Activation { kLinear = 0, kRelu = 1, kLeaky = 2 };

thread_local std::vector<float> padded;
thread_local std::vector<float> flipped;

const float* padInput(const float* x, const Shape& s, int channels) {
  const int p = s.pad();
  if (p == 0) return x;
  padded.assign(size_t(s.n) * s.hp() * s.wp() * channels, 0.0f);
  const size_t row = size_t(s.w) * channels;
  for (int n = 0; n < s.n; n++)
    for (int y = 0; y < s.h; y++)
      std::memcpy(&padded[((size_t(n) * s.hp() + y + p) * s.wp() + p) * channels],
                  x + (size_t(n) * s.h + y) * row, row * sizeof(float));
  return padded.data();
}

// Offsets (in floats) of each output pixel's top-left input pixel in the padded input.
std::vector<int64_t> pixelBases(const Shape& s, int channels) {
  std::vector<int64_t> bases(s.pixels());
  int64_t m = 0;
  for (int n = 0; n < s.n; n++)
    for (int y = 0; y < s.h; y++)
      for (int x = 0; x < s.w; x++) bases[m++] = ((int64_t(n) * s.hp() + y) * s.wp() + x) * channels;
  return bases;
}

inline __m256 activate(__m256 v, Activation act, float alpha) {
  if (act == kRelu) return _mm256_max_ps(v, _mm256_setzero_ps());
  if (act == kLeaky) return _mm256_max_ps(v, _mm256_mul_ps(v, _mm256_set1_ps(alpha)));
  return v;
}

// TX output pixels x CB vectors of 8 output channels, accumulated in registers.
template <int CB, int TX>
void forwardTile(const float* xp, const int64_t* bases, const float* w, const float* bias, float* out,
                 const Shape& s, int co, Activation act, float alpha, const int64_t* outPixels) {
  __m256 acc[TX][CB];
  for (int c = 0; c < CB; c++) {
    __m256 b = bias ? _mm256_loadu_ps(bias + co + 8 * c) : _mm256_setzero_ps();
    for (int t = 0; t < TX; t++) acc[t][c] = b;
  }
  const int span = s.k * s.cin;  // one filter row (b, i) is contiguous in xp and in w
  const int64_t rowStride = int64_t(s.wp()) * s.cin;
  for (int a = 0; a < s.k; a++) {
    const float* wa = w + int64_t(a) * span * s.cout + co;
    const float* xa[TX];
    for (int t = 0; t < TX; t++) xa[t] = xp + bases[t] + a * rowStride;
    for (int j = 0; j < span; j++) {
      __m256 wv[CB];
      for (int c = 0; c < CB; c++) wv[c] = _mm256_loadu_ps(wa + int64_t(j) * s.cout + 8 * c);
      for (int t = 0; t < TX; t++) {
        const __m256 xv = _mm256_broadcast_ss(xa[t] + j);
        for (int c = 0; c < CB; c++) acc[t][c] = _mm256_fmadd_ps(xv, wv[c], acc[t][c]);
      }
    }
  }
  for (int t = 0; t < TX; t++)
    for (int c = 0; c < CB; c++)
      _mm256_storeu_ps(out + outPixels[t] * s.cout + co + 8 * c, activate(acc[t][c], act, alpha));
}

template <int CB, int TX>
void forwardBlocks(const float* xp, const std::vector<int64_t>& bases, const float* w, const float* bias,
                   float* out, const Shape& s, Activation act, float alpha) {
  const int64_t pixels = s.pixels();
  int64_t idx[TX];
  int64_t m = 0;
  for (; m + TX <= pixels; m += TX) {
    for (int t = 0; t < TX; t++) idx[t] = m + t;
    for (int co = 0; co < s.cout; co += 8 * CB) forwardTile<CB, TX>(xp, &bases[m], w, bias, out, s, co, act, alpha, idx);
  }
  for (; m < pixels; m++)
    for (int co = 0; co < s.cout; co += 8 * CB) forwardTile<CB, 1>(xp, &bases[m], w, bias, out, s, co, act, alpha, &m);
}

// Output channel counts that are not a multiple of 8 (the generator's 1-channel output). COUT = 1 is
// compiled separately so the sums over the contiguous filter row vectorize.
template <int COUT>
void forwardScalar(const float* xp, const std::vector<int64_t>& bases, const float* w, const float* bias,
                   float* out, const Shape& s, Activation act, float alpha) {
  const int cout = COUT ? COUT : s.cout;
  const int span = s.k * s.cin;
  const int64_t rowStride = int64_t(s.wp()) * s.cin;
  for (int64_t m = 0; m < s.pixels(); m++)
    for (int o = 0; o < cout; o++) {
      float sum = bias ? bias[o] : 0.0f;
      for (int a = 0; a < s.k; a++) {
        const float* xa = xp + bases[m] + a * rowStride;
        const float* wa = w + int64_t(a) * span * cout + o;
        for (int j = 0; j < span; j++) sum += xa[j] * wa[int64_t(j) * cout];
      }
      if (act == kRelu && sum < 0) sum = 0;
      if (act == kLeaky && sum < 0) sum *= alpha;
      out[m * cout + o] = sum;
    }
}

void forward(const float* x, const float* w, const float* bias, float* out, const Shape& s, Activation act,
             float alpha) {
  const float* xp = padInput(x, s, s.cin);
  const std::vector<int64_t> bases = pixelBases(s, s.cin);
  if (s.cout % 16 == 0) forwardBlocks<2, 6>(xp, bases, w, bias, out, s, act, alpha);
  else if (s.cout % 8 == 0) forwardBlocks<1, 12>(xp, bases, w, bias, out, s, act, alpha);
  else if (s.cout == 1) forwardScalar<1>(xp, bases, w, bias, out, s, act, alpha);
  else forwardScalar<0>(xp, bases, w, bias, out, s, act, alpha);
}

// TJ filter rows (b, i) x CB vectors of 8 output channels, summed over output pixels [m0, m1) and
// added to what dwRow holds.
template <int CB, int TJ>
void filterGradTile(const float* xp, const int64_t* bases, const float* dy, const Shape& s, int64_t m0,
                    int64_t m1, int64_t offset, int co, float* dwRow) {
  __m256 acc[TJ][CB];
  for (int r = 0; r < TJ; r++)
    for (int c = 0; c < CB; c++) acc[r][c] = _mm256_loadu_ps(dwRow + int64_t(r) * s.cout + co + 8 * c);
  for (int64_t m = m0; m < m1; m++) {
    const float* xm = xp + bases[m] + offset;
    __m256 g[CB];
    for (int c = 0; c < CB; c++) g[c] = _mm256_loadu_ps(dy + m * s.cout + co + 8 * c);
    for (int r = 0; r < TJ; r++) {
      const __m256 xv = _mm256_broadcast_ss(xm + r);
      for (int c = 0; c < CB; c++) acc[r][c] = _mm256_fmadd_ps(xv, g[c], acc[r][c]);
    }
  }
  for (int r = 0; r < TJ; r++)
    for (int c = 0; c < CB; c++) _mm256_storeu_ps(dwRow + int64_t(r) * s.cout + co + 8 * c, acc[r][c]);
}

// Pixels go in chunks small enough that a chunk's inputs and output gradients stay in L1 while
// every filter tile passes over them.
template <int CB, int TJ>
void filterGradBlocks(const float* xp, const std::vector<int64_t>& bases, const float* dy, float* dw,
                      const Shape& s) {
  const int span = s.k * s.cin;
  const int64_t rowStride = int64_t(s.wp()) * s.cin;
  const int64_t chunk = 256;
  std::memset(dw, 0, sizeof(float) * size_t(s.k) * span * s.cout);
  for (int64_t m0 = 0; m0 < s.pixels(); m0 += chunk) {
    const int64_t m1 = std::min(m0 + chunk, s.pixels());
    for (int a = 0; a < s.k; a++) {
      float* dwa = dw + int64_t(a) * span * s.cout;
      int j = 0;
      for (; j + TJ <= span; j += TJ)
        for (int co = 0; co < s.cout; co += 8 * CB)
          filterGradTile<CB, TJ>(xp, bases.data(), dy, s, m0, m1, a * rowStride + j, co, dwa + int64_t(j) * s.cout);
      for (; j + 4 <= span; j += 4)
        for (int co = 0; co < s.cout; co += 8 * CB)
          filterGradTile<CB, 4>(xp, bases.data(), dy, s, m0, m1, a * rowStride + j, co, dwa + int64_t(j) * s.cout);
      for (; j < span; j++)
        for (int co = 0; co < s.cout; co += 8 * CB)
          filterGradTile<CB, 1>(xp, bases.data(), dy, s, m0, m1, a * rowStride + j, co, dwa + int64_t(j) * s.cout);
    }
  }
}

template <int COUT>
void filterGradScalar(const float* xp, const std::vector<int64_t>& bases, const float* dy, float* dw,
                      const Shape& s) {
  const int cout = COUT ? COUT : s.cout;
  const int span = s.k * s.cin;
  const int64_t rowStride = int64_t(s.wp()) * s.cin;
  std::memset(dw, 0, sizeof(float) * size_t(s.k) * span * cout);
  for (int64_t m = 0; m < s.pixels(); m++)
    for (int a = 0; a < s.k; a++) {
      const float* xa = xp + bases[m] + a * rowStride;
      float* dwa = dw + int64_t(a) * span * cout;
      for (int j = 0; j < span; j++)
        for (int o = 0; o < cout; o++) dwa[int64_t(j) * cout + o] += xa[j] * dy[m * cout + o];
    }
}

void filterGrad(const float* x, const float* dy, float* dw, const Shape& s) {
  const float* xp = padInput(x, s, s.cin);
  const std::vector<int64_t> bases = pixelBases(s, s.cin);
  if (s.cout % 16 == 0) filterGradBlocks<2, 6>(xp, bases, dy, dw, s);
  else if (s.cout % 8 == 0) filterGradBlocks<1, 12>(xp, bases, dy, dw, s);
  else if (s.cout == 1) filterGradScalar<1>(xp, bases, dy, dw, s);
  else filterGradScalar<0>(xp, bases, dy, dw, s);
}

void inputGrad(const float* dy, const float* w, float* dx, const Shape& s) {
  const int k = s.k;
  flipped.resize(size_t(k) * k * s.cin * s.cout);
  for (int a = 0; a < k; a++)
    for (int b = 0; b < k; b++)
      for (int i = 0; i < s.cin; i++)
        for (int o = 0; o < s.cout; o++)
          flipped[((size_t(a) * k + b) * s.cout + o) * s.cin + i] =
              w[((size_t(k - 1 - a) * k + (k - 1 - b)) * s.cin + i) * s.cout + o];
  const Shape back{s.n, s.h, s.w, s.cout, s.cin, k};
  forward(dy, flipped.data(), nullptr, dx, back, kLinear, 0.0f);  // forward() scratch is `padded` only
}

// The other per-pixel kernels a training step spends its time in once the convs are native (see
// bench/profile-step.ts): tfjs's WASM versions go element by element, or transpose first.

// 2x2 average pooling with stride 2, backwards: each input pixel gets a quarter of its window's gradient.
void avgPool2x2Grad(const float* dy, float* dx, int n, int h, int w, int c) {
  const __m256 quarter = _mm256_set1_ps(0.25f);
  for (int b = 0; b < n; b++)
    for (int y = 0; y < h; y++)
      for (int x = 0; x < w; x++) {
        const float* g = dy + ((int64_t(b) * h + y) * w + x) * c;
        for (int a = 0; a < 2; a++)
          for (int e = 0; e < 2; e++) {
            float* d = dx + ((int64_t(b) * 2 * h + 2 * y + a) * 2 * w + 2 * x + e) * c;
            int i = 0;
            for (; i + 8 <= c; i += 8) _mm256_storeu_ps(d + i, _mm256_mul_ps(_mm256_loadu_ps(g + i), quarter));
            for (; i < c; i++) d[i] = g[i] * 0.25f;
          }
      }
}

// 2x nearest-neighbour upsampling, backwards: each source pixel sums the gradients of its 2x2 copies.
void upsample2xGrad(const float* dy, float* dx, int n, int h, int w, int c) {
  for (int b = 0; b < n; b++)
    for (int y = 0; y < h; y++)
      for (int x = 0; x < w; x++) {
        float* d = dx + ((int64_t(b) * h + y) * w + x) * c;
        const float* g[4];
        for (int a = 0; a < 2; a++)
          for (int e = 0; e < 2; e++) g[2 * a + e] = dy + ((int64_t(b) * 2 * h + 2 * y + a) * 2 * w + 2 * x + e) * c;
        int i = 0;
        for (; i + 8 <= c; i += 8)
          _mm256_storeu_ps(d + i, _mm256_add_ps(_mm256_add_ps(_mm256_loadu_ps(g[0] + i), _mm256_loadu_ps(g[1] + i)),
                                                _mm256_add_ps(_mm256_loadu_ps(g[2] + i), _mm256_loadu_ps(g[3] + i))));
        for (; i < c; i++) d[i] = g[0][i] + g[1][i] + g[2][i] + g[3][i];
      }
}

// The leaky ReLU the discriminators use, and its gradient's mask and select: tfjs's WASM Greater
// against a scalar goes through its general broadcasting path, ~1 ms per activation tensor.
void leakyRelu(const float* x, float* out, size_t n, float alpha) {
  for (size_t i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : x[i] * alpha;
}

void greaterThan(const float* x, uint8_t* out, size_t n, float threshold) {
  for (size_t i = 0; i < n; i++) out[i] = x[i] > threshold;
}

void select(const uint8_t* cond, const float* a, const float* b, float* out, size_t n) {
  for (size_t i = 0; i < n; i++) out[i] = cond[i] ? a[i] : b[i];
}

// Column sums of a [rows, cols] matrix: the bias gradient, summed over every pixel of a batch.
void sumRows(const float* x, float* out, int64_t rows, int cols) {
  std::memset(out, 0, sizeof(float) * cols);
  for (int64_t r = 0; r < rows; r++) {
    const float* row = x + r * cols;
    for (int i = 0; i < cols; i++) out[i] += row[i];
  }
}

// ---- N-API glue: every argument is checked, a wrong call throws instead of reading out of bounds.

struct Args {
  napi_env env;
  napi_value argv[10];
  size_t argc = 10;
  bool ok = true;

  Args(napi_env e, napi_callback_info info) : env(e) { napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr); }

  void fail(const char* message) {
    if (ok) napi_throw_type_error(env, nullptr, message);
    ok = false;
  }

  template <typename T>
  T* array(size_t i, size_t expected, napi_typedarray_type want, const char* name, bool optional = false) {
    if (!ok) return nullptr;
    if (i >= argc) { fail("missing argument"); return nullptr; }
    napi_valuetype type;
    napi_typeof(env, argv[i], &type);
    if (optional && (type == napi_null || type == napi_undefined)) return nullptr;
    bool isTyped = false;
    napi_is_typedarray(env, argv[i], &isTyped);
    napi_typedarray_type kind = napi_int8_array;
    size_t length = 0;
    void* data = nullptr;
    if (isTyped) napi_get_typedarray_info(env, argv[i], &kind, &length, &data, nullptr, nullptr);
    if (!isTyped || kind != want) { fail(name); return nullptr; }
    if (length != expected) { fail("array length does not match the shape"); return nullptr; }
    return static_cast<T*>(data);
  }

  float* floats(size_t i, size_t expected, bool optional = false) {
    return array<float>(i, expected, napi_float32_array, "expected a Float32Array", optional);
  }

  uint8_t* bytes(size_t i, size_t expected) {
    return array<uint8_t>(i, expected, napi_uint8_array, "expected a Uint8Array");
  }

  size_t length(size_t i) {
    uint32_t n = 0;
    if (ok && (i >= argc || napi_get_value_uint32(env, argv[i], &n) != napi_ok)) fail("expected a length");
    return n;
  }

  // argv[i] is an array of `count` positive integers.
  bool ints(size_t i, int* values, uint32_t count, const char* message) {
    if (!ok) return false;
    for (uint32_t d = 0; d < count; d++) {
      napi_value v;
      if (i >= argc || napi_get_element(env, argv[i], d, &v) != napi_ok ||
          napi_get_value_int32(env, v, &values[d]) != napi_ok || values[d] <= 0) {
        fail(message);
        return false;
      }
    }
    return true;
  }

  // argv[i] is [n, h, w, cin, cout, k]
  Shape shape(size_t i) {
    int v[6];
    if (!ints(i, v, 6, "shape must be [n, h, w, cin, cout, k] of positive integers")) return Shape{};
    const Shape s{v[0], v[1], v[2], v[3], v[4], v[5]};
    if (s.k % 2 == 0) fail("kernel size must be odd");
    return s;
  }

  double number(size_t i) {
    double v = 0;
    if (ok && (i >= argc || napi_get_value_double(env, argv[i], &v) != napi_ok)) fail("expected a number");
    return v;
  }
};

size_t pixelsOf(const Shape& s, int channels) { return size_t(s.pixels()) * channels; }
size_t filterOf(const Shape& s) { return size_t(s.k) * s.k * s.cin * s.cout; }

// conv2d(shape, x, w, bias | null, out, activation, alpha)
napi_value Conv2d(napi_env env, napi_callback_info info) {
  Args args(env, info);
  const Shape s = args.shape(0);
  const float* x = args.floats(1, pixelsOf(s, s.cin));
  const float* w = args.floats(2, filterOf(s));
  const float* bias = args.floats(3, s.cout, true);
  float* out = args.floats(4, pixelsOf(s, s.cout));
  const int act = int(args.number(5));
  const float alpha = float(args.number(6));
  if (args.ok && (act < kLinear || act > kLeaky)) args.fail("unknown activation");
  if (args.ok) forward(x, w, bias, out, s, Activation(act), alpha);
  return nullptr;
}

// conv2dFilterGrad(shape, x, dy, dw)
napi_value Conv2dFilterGrad(napi_env env, napi_callback_info info) {
  Args args(env, info);
  const Shape s = args.shape(0);
  const float* x = args.floats(1, pixelsOf(s, s.cin));
  const float* dy = args.floats(2, pixelsOf(s, s.cout));
  float* dw = args.floats(3, filterOf(s));
  if (args.ok) filterGrad(x, dy, dw, s);
  return nullptr;
}

// conv2dInputGrad(shape, dy, w, dx)
napi_value Conv2dInputGrad(napi_env env, napi_callback_info info) {
  Args args(env, info);
  const Shape s = args.shape(0);
  const float* dy = args.floats(1, pixelsOf(s, s.cout));
  const float* w = args.floats(2, filterOf(s));
  float* dx = args.floats(3, pixelsOf(s, s.cin));
  if (args.ok) inputGrad(dy, w, dx, s);
  return nullptr;
}

// fn([n, h, w, c], dy, dx) for the 2x2 pooling and upsampling gradients: one of the two arrays has
// 4x the pixels of [n, h, w, c] (dx for pooling, dy for upsampling).
template <void (*fn)(const float*, float*, int, int, int, int), bool pooling>
napi_value Resample2xGrad(napi_env env, napi_callback_info info) {
  Args args(env, info);
  int d[4] = {1, 1, 1, 1};
  args.ints(0, d, 4, "shape must be [n, h, w, c] of positive integers");
  const size_t size = size_t(d[0]) * d[1] * d[2] * d[3];
  const float* dy = args.floats(1, pooling ? size : size * 4);
  float* dx = args.floats(2, pooling ? size * 4 : size);
  if (args.ok) fn(dy, dx, d[0], d[1], d[2], d[3]);
  return nullptr;
}

// leakyRelu(n, x, out, alpha) and greaterThan(n, x, out, threshold): n floats in, n outputs
// (floats or bytes) out, one scalar.
template <typename Out, void (*fn)(const float*, Out*, size_t, float)>
napi_value MapWithScalar(napi_env env, napi_callback_info info) {
  Args args(env, info);
  const size_t n = args.length(0);
  const float* x = args.floats(1, n);
  Out* out = args.template array<Out>(2, n, std::is_same_v<Out, float> ? napi_float32_array : napi_uint8_array,
                                      std::is_same_v<Out, float> ? "expected a Float32Array" : "expected a Uint8Array");
  const float scalar = float(args.number(3));
  if (args.ok) fn(x, out, n, scalar);
  return nullptr;
}

// select(n, cond, a, b, out)
napi_value Select(napi_env env, napi_callback_info info) {
  Args args(env, info);
  const size_t n = args.length(0);
  const uint8_t* cond = args.bytes(1, n);
  const float* a = args.floats(2, n);
  const float* b = args.floats(3, n);
  float* out = args.floats(4, n);
  if (args.ok) select(cond, a, b, out, n);
  return nullptr;
}

// sumRows([rows, cols], x, out)
napi_value SumRows(napi_env env, napi_callback_info info) {
  Args args(env, info);
  int d[2] = {1, 1};
  args.ints(0, d, 2, "shape must be [rows, cols] of positive integers");
  const float* x = args.floats(1, size_t(d[0]) * d[1]);
  float* out = args.floats(2, size_t(d[1]));
  if (args.ok) sumRows(x, out, d[0], d[1]);
  return nullptr;
}

}  // namespace

NAPI_MODULE_INIT() {
  const napi_property_descriptor methods[] = {
      {"conv2d", nullptr, Conv2d, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dFilterGrad", nullptr, Conv2dFilterGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dInputGrad", nullptr, Conv2dInputGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"avgPool2x2Grad", nullptr, Resample2xGrad<avgPool2x2Grad, true>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"upsample2xGrad", nullptr, Resample2xGrad<upsample2xGrad, false>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sumRows", nullptr, SumRows, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"leakyRelu", nullptr, MapWithScalar<float, leakyRelu>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"greaterThan", nullptr, MapWithScalar<uint8_t, greaterThan>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"select", nullptr, Select, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(methods) / sizeof(methods[0]), methods);
  return exports;
}
