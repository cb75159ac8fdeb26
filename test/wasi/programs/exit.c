/*
 * exit.c - ends in the way argv[1] says: "return N" from main, "exit N" through libc (atexit
 * handlers and stdio flushing run), "proc_exit N" straight to WASI, or "trap" (unreachable).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

static void at_exit(void) { printf("atexit handler ran\n"); }

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: exit.wasm return|exit|proc_exit N | trap\n");
    return 2;
  }
  atexit(at_exit);
  int code = argc > 2 ? atoi(argv[2]) : 0;
  printf("mode %s %d\n", argv[1], code);
  if (strcmp(argv[1], "return") == 0) return code;
  if (strcmp(argv[1], "exit") == 0) exit(code);
  if (strcmp(argv[1], "proc_exit") == 0) {
    fflush(stdout);
    /* Unbuffered: proc_exit skips libc's exit path, so nothing else would be flushed. */
    write(1, "calling proc_exit\n", 18);
    __wasi_proc_exit(code);
  }
  if (strcmp(argv[1], "trap") == 0) {
    fflush(stdout);
    __builtin_trap();
  }
  fprintf(stderr, "unknown mode %s\n", argv[1]);
  return 2;
}
