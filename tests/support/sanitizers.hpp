#pragma once
// Whether this build runs under AddressSanitizer or ThreadSanitizer (KFRUN_SANITIZE, KFRUN_FUZZ;
// GCC or clang). Their shadow memory reserves terabytes of address space, so a test that caps
// RLIMIT_AS to stop a runaway allocation cannot cap it there.
namespace kfrun::test_support {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool k_sanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool k_sanitized = true;
#else
inline constexpr bool k_sanitized = false;
#endif
#else
inline constexpr bool k_sanitized = false;
#endif

}  // namespace kfrun::test_support
