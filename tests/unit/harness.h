/* harness.h - header-only unit test harness for vanban (after pdfio's
 * test-internal.h): check(), check_str(), check_int() and summary(). */
#ifndef VB_TESTS_HARNESS_H
#define VB_TESTS_HARNESS_H

#include <stdio.h>
#include <string.h>

static int harness_passed, harness_failed;

#define check(cond) check_at(__FILE__, __LINE__, (cond), #cond)
#define check_str(got, want) check_str_at(__FILE__, __LINE__, (got), (want), #got)
#define check_int(got, want) check_int_at(__FILE__, __LINE__, (long long)(got), (long long)(want), #got)

static inline int check_at(const char *file, int line, int ok, const char *what) {
  if (ok) {
    harness_passed++;
  } else {
    harness_failed++;
    fprintf(stderr, "%s:%d: FAIL: %s\n", file, line, what);
  }
  return ok;
}

static inline int check_str_at(const char *file, int line, const char *got, const char *want,
                               const char *what) {
  int ok = (got == NULL && want == NULL) || (got && want && strcmp(got, want) == 0);
  if (!check_at(file, line, ok, what))
    fprintf(stderr, "    got:      \"%s\"\n    expected: \"%s\"\n", got ? got : "(null)",
            want ? want : "(null)");
  return ok;
}

static inline int check_int_at(const char *file, int line, long long got, long long want,
                               const char *what) {
  int ok = got == want;
  if (!check_at(file, line, ok, what))
    fprintf(stderr, "    got: %lld, expected: %lld\n", got, want);
  return ok;
}

/** Prints "name: N passed, N failed" and returns the exit status. */
static inline int summary(const char *name) {
  printf("%s: %d passed, %d failed\n", name, harness_passed, harness_failed);
  return harness_failed ? 1 : 0;
}

#endif
