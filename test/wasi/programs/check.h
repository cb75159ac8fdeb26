/*
 * check.h - the one helper the WASI test programs share: CHECK prints "ok   WHAT" or
 * "FAIL WHAT (errno N: text)" and counts failures; main returns the count as its exit code.
 */
#ifndef CHECK_H
#define CHECK_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int failures;

#define CHECK(cond, what)                                                        \
  do {                                                                           \
    errno = 0;                                                                   \
    if (cond) {                                                                  \
      printf("ok   %s\n", (what));                                               \
    } else {                                                                     \
      printf("FAIL %s (errno %d: %s)\n", (what), errno, strerror(errno));        \
      failures++;                                                                \
    }                                                                            \
  } while (0)

#endif
