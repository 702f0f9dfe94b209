// Measured fp32 peak of this machine's cores: independent FMA chains in registers, nothing else.
// Prints GFLOP/s for AVX2 (8 lanes) and, where the CPU has it, AVX-512 (16 lanes), on 1 and on
// all threads. bench/train.ts compiles and runs it to state "% of peak" against a measured figure.
//   g++ -O2 -mavx2 -mfma -mavx512f -pthread fma-peak.cc -o fma-peak && ./fma-peak [threads]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

constexpr long kIterations = 200'000'000;
constexpr int kChains = 12;  // > FMA latency x ports, so the FMA units never wait

// GCC vector types, so one body serves both widths; inlined into callers that enable the ISA, where
// acc * a + b contracts to one FMA.
template <typename V>
__attribute__((always_inline)) inline float chains() {
  V acc[kChains];
  for (int i = 0; i < kChains; i++) acc[i] = V{} + float(i);
  const V a = V{} + 0.999999f, b = V{} + 1e-7f;
  for (long it = 0; it < kIterations; it++)
#pragma GCC unroll 12
    for (int i = 0; i < kChains; i++) acc[i] = acc[i] * a + b;
  float sum = 0;
  for (int i = 0; i < kChains; i++) sum += acc[i][0];
  return sum;
}

typedef float Avx2 __attribute__((vector_size(32)));
typedef float Avx512 __attribute__((vector_size(64)));
__attribute__((target("avx2,fma"))) float avx2Chains() { return chains<Avx2>(); }
__attribute__((target("avx512f"))) float avx512Chains() { return chains<Avx512>(); }

double gflops(float (*chains)(), int lanes, int threads) {
  std::vector<std::thread> pool;
  std::vector<float> sink(threads);
  const auto t0 = std::chrono::steady_clock::now();
  for (int t = 0; t < threads; t++) pool.emplace_back([&, t] { sink[t] = chains(); });
  for (auto& th : pool) th.join();
  const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  float keep = 0;
  for (float s : sink) keep += s;
  if (keep == 12345.0f) std::puts("");  // keeps the loops from being optimised away
  return 2.0 * lanes * kChains * double(kIterations) * threads / sec / 1e9;
}

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : int(std::thread::hardware_concurrency());
  std::printf("{\"avx2\": [%.1f, %.1f]", gflops(avx2Chains, 8, 1), gflops(avx2Chains, 8, threads));
  if (__builtin_cpu_supports("avx512f"))
    std::printf(", \"avx512\": [%.1f, %.1f]", gflops(avx512Chains, 16, 1), gflops(avx512Chains, 16, threads));
  std::printf(", \"threads\": %d}\n", threads);
}
