/*
 * The libFuzzer entry point of a fuzz target, shared by the fuzzer build
 * (-Dfuzzing=true, clang) and the corpus replay unit test (every build).
 */
#ifndef TESTS_FUZZ_FUZZ_TARGET_H
#define TESTS_FUZZ_FUZZ_TARGET_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
