// Exit 0 when this CPU has the instruction set named by the argument (avx2, avx512f), else 1.
// Compiled at the baseline, so it runs anywhere; tests/CMakeLists.txt runs it before a SIMD test
// built for a wider target and reports that test skipped (77) when the CPU lacks it.
#include <cstring>

int main(int argc, char** argv) {
    if (argc != 2) return 2;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (std::strcmp(argv[1], "avx2") == 0) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? 0 : 1;
    if (std::strcmp(argv[1], "avx512f") == 0) return __builtin_cpu_supports("avx512f") ? 0 : 1;
#endif
    return 1;
}
