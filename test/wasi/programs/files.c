/*
 * files.c - file I/O inside the preopened directory named by argv[1]: mkdir, create, write, read
 * back, seek, stat, pread/pwrite, truncate, append, readdir, rename, links, times, unlink, rmdir.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static const char *root;

/* root/name, in one of two buffers so that two paths can be used in one call. */
static const char *P(const char *name) {
  static char bufs[2][512];
  static int which;
  which ^= 1;
  snprintf(bufs[which], sizeof bufs[which], "%s/%s", root, name);
  return bufs[which];
}

static int compare(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists a directory, sorted, on one line. */
static void list(const char *dir) {
  DIR *d = opendir(P(dir));
  CHECK(d != NULL, "opendir");
  if (!d) return;
  char *names[64];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL && n < 64) names[n++] = strdup(e->d_name);
  closedir(d);
  qsort(names, n, sizeof names[0], compare);
  printf("readdir %s:", dir);
  for (int i = 0; i < n; i++) {
    printf(" %s", names[i]);
    free(names[i]);
  }
  printf("\n");
}

static int write_file(const char *name, const char *text, int flags) {
  int fd = open(P(name), O_WRONLY | flags, 0644);
  if (fd < 0) return -1;
  ssize_t n = write(fd, text, strlen(text));
  close(fd);
  return n == (ssize_t)strlen(text) ? 0 : -1;
}

static int file_is(const char *name, const char *text) {
  char buf[256];
  int fd = open(P(name), O_RDONLY);
  if (fd < 0) return 0;
  ssize_t n = read(fd, buf, sizeof buf);
  close(fd);
  return n == (ssize_t)strlen(text) && memcmp(buf, text, n) == 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: files.wasm DIR\n");
    return 2;
  }
  root = argv[1];
  char buf[256];
  struct stat st;

  CHECK(mkdir(P("d"), 0755) == 0, "mkdir d");
  CHECK(mkdir(P("d"), 0755) == -1 && errno == EEXIST, "mkdir d again: EEXIST");

  int fd = open(P("d/a.txt"), O_CREAT | O_WRONLY | O_TRUNC, 0644);
  CHECK(fd >= 0, "create d/a.txt");
  CHECK(write(fd, "hello, world\n", 13) == 13, "write 13 bytes");
  CHECK(write(fd, "second line\n", 12) == 12, "write 12 more");
  CHECK(close(fd) == 0, "close");
  CHECK(open(P("d/a.txt"), O_CREAT | O_EXCL | O_WRONLY, 0644) == -1 && errno == EEXIST, "O_EXCL on an existing file: EEXIST");

  fd = open(P("d/a.txt"), O_RDONLY);
  CHECK(fd >= 0, "open for reading");
  ssize_t n = read(fd, buf, sizeof buf);
  CHECK(n == 25 && memcmp(buf, "hello, world\nsecond line\n", 25) == 0, "read back 25 bytes");
  CHECK(read(fd, buf, sizeof buf) == 0, "read at end of file returns 0");
  CHECK(lseek(fd, 7, SEEK_SET) == 7, "lseek SEEK_SET 7");
  CHECK(read(fd, buf, 5) == 5 && memcmp(buf, "world", 5) == 0, "read 'world' at 7");
  CHECK(lseek(fd, 0, SEEK_CUR) == 12, "lseek SEEK_CUR 0 tells 12");
  CHECK(lseek(fd, -5, SEEK_END) == 20, "lseek SEEK_END -5 is 20");
  CHECK(read(fd, buf, sizeof buf) == 5 && memcmp(buf, "line\n", 5) == 0, "read the last 5 bytes");
  CHECK(lseek(fd, -100, SEEK_SET) == -1 && errno == EINVAL, "seek before the start: EINVAL");
  CHECK(write(fd, "x", 1) == -1, "write to a read-only descriptor fails");
  printf("  (errno %s)\n", strerror(errno));
  CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 25 && st.st_nlink == 1, "fstat: regular file, 25 bytes, 1 link");
  CHECK(close(fd) == 0, "close");
  CHECK(close(fd) == -1 && errno == EBADF, "close again: EBADF");

  fd = open(P("d/a.txt"), O_RDWR);
  CHECK(fd >= 0, "open read-write");
  CHECK(pwrite(fd, "HELLO", 5, 0) == 5, "pwrite at 0");
  CHECK(pread(fd, buf, 5, 0) == 5 && memcmp(buf, "HELLO", 5) == 0, "pread at 0");
  CHECK(pread(fd, buf, 10, 20) == 5, "pread past the end is short");
  CHECK(lseek(fd, 0, SEEK_CUR) == 0, "pread and pwrite leave the offset alone");
  CHECK(ftruncate(fd, 5) == 0, "ftruncate to 5");
  CHECK(fstat(fd, &st) == 0 && st.st_size == 5, "size is now 5");
  CHECK(lseek(fd, 10, SEEK_SET) == 10 && write(fd, "!", 1) == 1, "write past the end");
  CHECK(fstat(fd, &st) == 0 && st.st_size == 11, "the gap counts: size 11");
  CHECK(ftruncate(fd, 5) == 0, "ftruncate back to 5");
  struct timespec times[2] = {{1000000000, 0}, {1234567890, 0}};
  CHECK(futimens(fd, times) == 0, "futimens");
  CHECK(fstat(fd, &st) == 0 && st.st_mtim.tv_sec == 1234567890 && st.st_atim.tv_sec == 1000000000, "times were set");
  CHECK(close(fd) == 0, "close");

  CHECK(write_file("d/a.txt", " more", O_APPEND) == 0, "append");
  CHECK(file_is("d/a.txt", "HELLO more"), "appended at the end");
  CHECK(stat(P("d/a.txt"), &st) == 0 && st.st_size == 10, "stat by path: 10 bytes");
  CHECK(stat(P("d/missing"), &st) == -1 && errno == ENOENT, "stat a missing file: ENOENT");
  CHECK(open(P("d/a.txt/x"), O_RDONLY) == -1 && errno == ENOTDIR, "a file used as a directory: ENOTDIR");
  CHECK(open(P("d"), O_WRONLY) == -1 && errno == EISDIR, "open a directory for writing: EISDIR");
  CHECK(open(P("d/a.txt"), O_RDONLY | O_DIRECTORY) == -1 && errno == ENOTDIR, "O_DIRECTORY on a file: ENOTDIR");

  CHECK(write_file("d/b.txt", "bee", O_CREAT) == 0, "create d/b.txt");
  CHECK(mkdir(P("d/c"), 0755) == 0, "mkdir d/c");
  list("d");

  CHECK(rename(P("d/a.txt"), P("d/renamed.txt")) == 0, "rename a.txt to renamed.txt");
  CHECK(stat(P("d/a.txt"), &st) == -1 && errno == ENOENT, "the old name is gone");
  CHECK(file_is("d/renamed.txt", "HELLO more"), "the new name has the content");
  CHECK(rename(P("d/b.txt"), P("d/c/b.txt")) == 0, "move b.txt into c");
  CHECK(rename(P("d/c"), P("d/renamed.txt")) == -1 && errno == ENOTDIR, "rename a directory over a file: ENOTDIR");

  CHECK(symlink("renamed.txt", P("d/link")) == 0, "symlink link -> renamed.txt");
  n = readlink(P("d/link"), buf, sizeof buf);
  CHECK(n == 11 && memcmp(buf, "renamed.txt", 11) == 0, "readlink");
  CHECK(lstat(P("d/link"), &st) == 0 && S_ISLNK(st.st_mode), "lstat sees a symlink");
  CHECK(stat(P("d/link"), &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 10, "stat follows it");
  CHECK(file_is("d/link", "HELLO more"), "open follows it");
  CHECK(open(P("d/link"), O_RDONLY | O_NOFOLLOW) == -1 && errno == ELOOP, "O_NOFOLLOW on a symlink: ELOOP");
  CHECK(link(P("d/renamed.txt"), P("d/hard")) == 0, "hard link");
  CHECK(stat(P("d/hard"), &st) == 0 && st.st_nlink == 2, "two links now");
  list("d");
  list("d/c");

  CHECK(rmdir(P("d")) == -1 && errno == ENOTEMPTY, "rmdir a non-empty directory: ENOTEMPTY");
  CHECK(unlink(P("d/c")) == -1 && errno == EISDIR, "unlink a directory: EISDIR");
  CHECK(rmdir(P("d/hard")) == -1 && errno == ENOTDIR, "rmdir a file: ENOTDIR");
  CHECK(unlink(P("d/hard")) == 0 && unlink(P("d/link")) == 0 && unlink(P("d/renamed.txt")) == 0, "unlink the files");
  CHECK(unlink(P("d/c/b.txt")) == 0 && rmdir(P("d/c")) == 0, "empty and remove c");
  CHECK(unlink(P("d/renamed.txt")) == -1 && errno == ENOENT, "unlink a missing file: ENOENT");
  list("d");
  CHECK(rmdir(P("d")) == 0, "rmdir d");

  printf("%d failures\n", failures);
  return failures;
}
