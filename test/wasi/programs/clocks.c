/*
 * clocks.c - clocks (realtime near argv[1] seconds since the epoch, monotonic never going back,
 * CPU time advancing), sleeping through poll_oneoff, randomness, and sched_yield.
 */
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

#include "check.h"

static int64_t ns(clockid_t id) {
  struct timespec ts;
  if (clock_gettime(id, &ts) != 0) return -1;
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* poll_oneoff with two clock subscriptions: the earlier one must fire alone. */
static int two_timers(void) {
  __wasi_subscription_t subs[2];
  memset(subs, 0, sizeof subs);
  for (int i = 0; i < 2; i++) {
    subs[i].userdata = 100 + i;
    subs[i].u.tag = __WASI_EVENTTYPE_CLOCK;
    subs[i].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  }
  subs[0].u.u.clock.timeout = 2000000000; /* 2 s */
  subs[1].u.u.clock.timeout = 5000000;    /* 5 ms */
  __wasi_event_t ev[2];
  __wasi_size_t n = 0;
  if (__wasi_poll_oneoff(subs, ev, 2, &n) != 0) return 0;
  return n == 1 && ev[0].userdata == 101 && ev[0].type == __WASI_EVENTTYPE_CLOCK && ev[0].error == 0;
}

/* An absolute realtime deadline 5 ms ahead. */
static int absolute_timer(void) {
  __wasi_timestamp_t now;
  if (__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &now) != 0) return 0;
  __wasi_subscription_t sub;
  memset(&sub, 0, sizeof sub);
  sub.userdata = 7;
  sub.u.tag = __WASI_EVENTTYPE_CLOCK;
  sub.u.u.clock.id = __WASI_CLOCKID_REALTIME;
  sub.u.u.clock.timeout = now + 5000000;
  sub.u.u.clock.flags = __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME;
  __wasi_event_t ev;
  __wasi_size_t n = 0;
  if (__wasi_poll_oneoff(&sub, &ev, 1, &n) != 0) return 0;
  /* It returned no earlier than the deadline (however long the process was descheduled before
     the call), with a millisecond for the clock's granularity. */
  __wasi_timestamp_t after;
  if (__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &after) != 0) return 0;
  return n == 1 && ev.userdata == 7 && after + 1000000 >= now + 5000000;
}

int main(int argc, char **argv) {
  int64_t host_now = argc > 1 ? atoll(argv[1]) : 0;
  struct timespec res;
  CHECK(clock_getres(CLOCK_REALTIME, &res) == 0 && (res.tv_sec > 0 || res.tv_nsec > 0), "realtime has a resolution");
  CHECK(clock_getres(CLOCK_MONOTONIC, &res) == 0 && (res.tv_sec > 0 || res.tv_nsec > 0), "monotonic has a resolution");
  int64_t rt = ns(CLOCK_REALTIME) / 1000000000;
  CHECK(host_now == 0 || (rt > host_now - 60 && rt < host_now + 60), "realtime is the host's time");
  CHECK(time(NULL) >= rt, "time() agrees");

  int64_t prev = ns(CLOCK_MONOTONIC), backwards = 0;
  for (int i = 0; i < 1000; i++) {
    int64_t t = ns(CLOCK_MONOTONIC);
    if (t < prev) backwards++;
    prev = t;
  }
  CHECK(backwards == 0, "monotonic never goes back");

  int64_t cpu0 = ns(CLOCK_PROCESS_CPUTIME_ID);
  volatile uint32_t x = 1;
  for (int i = 0; i < 3000000; i++) x = x * 1664525u + 1013904223u;
  int64_t cpu1 = ns(CLOCK_PROCESS_CPUTIME_ID);
  CHECK(cpu0 >= 0 && cpu1 > cpu0, "process CPU time advances while computing");

  int64_t t0 = ns(CLOCK_MONOTONIC);
  struct timespec nap = {0, 20000000};
  CHECK(nanosleep(&nap, NULL) == 0, "nanosleep 20 ms");
  int64_t slept = ns(CLOCK_MONOTONIC) - t0;
  CHECK(slept >= 20000000 && slept < 2000000000, "it slept at least 20 ms");
  CHECK(two_timers(), "poll_oneoff: the earlier of two timers fires alone");
  CHECK(absolute_timer(), "poll_oneoff: an absolute realtime deadline");
  __wasi_event_t ev;
  __wasi_size_t n;
  CHECK(__wasi_poll_oneoff(NULL, &ev, 0, &n) == __WASI_ERRNO_INVAL, "poll_oneoff without subscriptions: EINVAL");

  unsigned char a[32], b[32], zero[32] = {0};
  CHECK(getentropy(a, sizeof a) == 0 && getentropy(b, sizeof b) == 0, "getentropy twice");
  CHECK(memcmp(a, b, sizeof a) != 0 && memcmp(a, zero, sizeof a) != 0, "two random buffers differ");
  static unsigned char big[100000];
  int seen[256] = {0}, distinct = 0;
  arc4random_buf(big, sizeof big);
  for (size_t i = 0; i < sizeof big; i++) seen[big[i]]++;
  for (int i = 0; i < 256; i++) distinct += seen[i] > 0;
  CHECK(distinct == 256, "100000 random bytes take all 256 values");
  CHECK(sched_yield() == 0, "sched_yield");

  printf("%d failures\n", failures);
  return failures;
}
