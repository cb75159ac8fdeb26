// A command whose start-up work (a prime sieve into a table on the heap) can be done ahead of time
// by `tswasm wizer`: wizer.initialize does it once; main does it only if nobody has.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIMIT 3000000

static unsigned *primes;
static int count;
static int initialized;

static void init(void) {
  unsigned char *composite = calloc(LIMIT, 1);
  primes = malloc(sizeof(unsigned) * 220000);
  for (unsigned i = 2; i < LIMIT; i++) {
    if (composite[i]) continue;
    primes[count++] = i;
    for (unsigned long long j = (unsigned long long)i * i; j < LIMIT; j += i) composite[j] = 1;
  }
  // Zero the sieve before freeing it, so that a snapshot does not carry it (through a volatile
  // pointer: a plain memset before free is removed by the compiler).
  volatile unsigned char *wipe = composite;
  for (unsigned i = 0; i < LIMIT; i++) wipe[i] = 0;
  free(composite);
  initialized = 1;
}

__attribute__((export_name("wizer.initialize"))) void wizer_initialize(void) {
  init();
}

int main(int argc, char **argv) {
  if (!initialized) init();
  int n = argc > 1 ? atoi(argv[1]) : 0;
  if (n < 0 || n >= count) {
    fprintf(stderr, "no prime #%d\n", n);
    return 1;
  }
  printf("%d primes below %d; prime #%d is %u\n", count, LIMIT, n, primes[n]);
  return 0;
}
