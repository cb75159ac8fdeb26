/*
 * wc.c - counts lines, words and bytes like wc(1): of each file named on the command line (which
 * must lie in a directory given with --dir), or of standard input. Exits 1 if a file cannot be read.
 *
 *   clang --target=wasm32-wasi -Os -Wl,--strip-debug wc.c -o wc.wasm
 *   tswasm run --dir .::/work wc.wasm /work/wc.c
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int count(FILE *f, const char *name) {
  unsigned long lines = 0, words = 0, bytes = 0;
  int c, in_word = 0;
  while ((c = getc(f)) != EOF) {
    bytes++;
    if (c == '\n') lines++;
    if (isspace(c)) in_word = 0;
    else if (!in_word) {
      in_word = 1;
      words++;
    }
  }
  printf("%7lu %7lu %7lu %s\n", lines, words, bytes, name);
  return ferror(f) ? 1 : 0;
}

int main(int argc, char **argv) {
  if (argc < 2) return count(stdin, "");
  int status = 0;
  for (int i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "r");
    if (!f) {
      fprintf(stderr, "wc: %s: %s\n", argv[i], strerror(errno));
      status = 1;
      continue;
    }
    status |= count(f, argv[i]);
    fclose(f);
  }
  return status;
}
