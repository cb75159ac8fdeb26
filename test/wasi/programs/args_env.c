/*
 * args_env.c - prints argv (each argument in brackets, so empty and spaced ones show) and the
 * environment, sorted, plus one getenv lookup; the test compares the output with what it passed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int compare(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; i++) printf("argv[%d]=[%s]\n", i, argv[i]);
  int n = 0;
  while (environ[n]) n++;
  char **sorted = malloc(sizeof(char *) * (n ? n : 1));
  memcpy(sorted, environ, sizeof(char *) * n);
  qsort(sorted, n, sizeof(char *), compare);
  printf("envc=%d\n", n);
  for (int i = 0; i < n; i++) printf("env[%d]=[%s]\n", i, sorted[i]);
  const char *greeting = getenv("GREETING");
  printf("getenv(GREETING)=%s\n", greeting ? greeting : "(null)");
  return 0;
}
