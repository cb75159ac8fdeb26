/*
 * stdin.c - reads standard input to the end and prints its size, line count, an FNV-1a checksum
 * and its first line upper-cased. "poll MS" first waits for input with poll_oneoff (an fd_read
 * and a clock subscription of MS milliseconds) and prints which fired.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

static void wait_for_input(long ms) {
  __wasi_subscription_t subs[2];
  memset(subs, 0, sizeof subs);
  subs[0].userdata = 1;
  subs[0].u.tag = __WASI_EVENTTYPE_FD_READ;
  subs[0].u.u.fd_read.file_descriptor = 0;
  subs[1].userdata = 2;
  subs[1].u.tag = __WASI_EVENTTYPE_CLOCK;
  subs[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  subs[1].u.u.clock.timeout = (uint64_t)ms * 1000000u;
  __wasi_event_t events[2];
  __wasi_size_t n = 0;
  __wasi_errno_t e = __wasi_poll_oneoff(subs, events, 2, &n);
  if (e != 0) {
    printf("poll_oneoff failed: %d\n", e);
    exit(1);
  }
  for (__wasi_size_t i = 0; i < n; i++) {
    if (events[i].userdata == 1) printf("poll: stdin ready (error %d)\n", events[i].error);
    else printf("poll: timeout\n");
  }
  /* The test waits for this line before it sends any input. */
  fflush(stdout);
}

int main(int argc, char **argv) {
  if (argc > 2 && strcmp(argv[1], "poll") == 0) wait_for_input(atol(argv[2]));
  static char buf[4096];
  static char first[256];
  size_t firstlen = 0;
  int in_first = 1;
  uint64_t size = 0, lines = 0;
  uint32_t hash = 2166136261u;
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
    for (size_t i = 0; i < n; i++) {
      unsigned char c = (unsigned char)buf[i];
      hash = (hash ^ c) * 16777619u;
      if (c == '\n') {
        lines++;
        in_first = 0;
      } else if (in_first && firstlen < sizeof first - 1) {
        first[firstlen++] = (char)toupper(c);
      }
    }
    size += n;
  }
  if (ferror(stdin)) {
    perror("read stdin");
    return 1;
  }
  printf("bytes=%llu lines=%llu fnv=%08x first=[%s]\n", (unsigned long long)size,
         (unsigned long long)lines, hash, first);
  return 0;
}
