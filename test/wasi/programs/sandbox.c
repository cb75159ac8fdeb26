/*
 * sandbox.c - tries to leave the preopened directory named by argv[1] with raw WASI calls (so the
 * runtime's own errno shows, not libc's): `..`, absolute paths, and symlinks planted by the test.
 * Expects in the preopen: inside.txt, sub/, escape-abs -> /abs/outside.txt, escape-rel ->
 * ../outside.txt, sub/escape-deep -> ../../outside.txt, inside-link -> sub/../inside.txt, loop -> loop.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <wasi/api.h>

#include "check.h"

static __wasi_fd_t dir = (__wasi_fd_t)-1;

static const char *name(__wasi_errno_t e) {
  switch (e) {
    case __WASI_ERRNO_SUCCESS: return "success";
    case __WASI_ERRNO_NOTCAPABLE: return "ENOTCAPABLE";
    case __WASI_ERRNO_PERM: return "EPERM";
    case __WASI_ERRNO_NOENT: return "ENOENT";
    case __WASI_ERRNO_LOOP: return "ELOOP";
    case __WASI_ERRNO_BADF: return "EBADF";
    case __WASI_ERRNO_NOTDIR: return "ENOTDIR";
    case __WASI_ERRNO_EXIST: return "EEXIST";
    case __WASI_ERRNO_INVAL: return "EINVAL";
    default: {
      static char buf[32];
      snprintf(buf, sizeof buf, "errno %d", e);
      return buf;
    }
  }
}

static void open_path(const char *path, __wasi_lookupflags_t lookup) {
  __wasi_fd_t fd;
  __wasi_errno_t e = __wasi_path_open(dir, lookup, path, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd);
  printf("open %-26s %-8s -> %s\n", path, lookup ? "follow" : "nofollow", name(e));
  if (e == 0) (void)__wasi_fd_close(fd);
}

static void stat_path(const char *path, __wasi_lookupflags_t lookup) {
  __wasi_filestat_t st;
  __wasi_errno_t e = __wasi_path_filestat_get(dir, lookup, path, &st);
  printf("stat %-26s %-8s -> %s", path, lookup ? "follow" : "nofollow", name(e));
  if (e == 0) printf(" (filetype %d)", st.filetype);
  printf("\n");
}

/* The preopen whose name is `want`. */
static void find_preopen(const char *want) {
  for (__wasi_fd_t fd = 3; fd < 64; fd++) {
    __wasi_prestat_t ps;
    if (__wasi_fd_prestat_get(fd, &ps) != 0) continue;
    char buf[256];
    if (ps.u.dir.pr_name_len >= sizeof buf) continue;
    if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, ps.u.dir.pr_name_len) != 0) continue;
    buf[ps.u.dir.pr_name_len] = 0;
    if (strcmp(buf, want) == 0) dir = fd;
  }
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: sandbox.wasm PREOPEN\n");
    return 2;
  }
  find_preopen(argv[1]);
  if (dir == (__wasi_fd_t)-1) {
    printf("preopen %s not found\n", argv[1]);
    return 1;
  }
  __wasi_prestat_t ps;
  printf("prestat of stdout -> %s\n", name(__wasi_fd_prestat_get(1, &ps)));

  const __wasi_lookupflags_t F = __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW;
  open_path("inside.txt", F);
  open_path("sub/../inside.txt", F);
  open_path("./sub/./../inside.txt", F);
  open_path("inside-link", F);
  open_path("../outside.txt", F);
  open_path("sub/../../outside.txt", F);
  open_path("/etc/passwd", F);
  open_path("escape-abs", F);
  open_path("escape-abs", 0);
  open_path("escape-rel", F);
  open_path("sub/escape-deep", F);
  open_path("sub/escape-deep/x", 0);
  open_path("loop", F);
  open_path("missing/x", F);
  open_path("inside.txt/x", F);
  stat_path("escape-rel", F);
  stat_path("escape-rel", 0);
  stat_path("..", F);
  stat_path(".", F);

  printf("mkdir ../newdir -> %s\n", name(__wasi_path_create_directory(dir, "../newdir")));
  printf("unlink ../outside.txt -> %s\n", name(__wasi_path_unlink_file(dir, "../outside.txt")));
  printf("unlink escape-rel/. -> %s\n", name(__wasi_path_unlink_file(dir, "escape-rel/.")));
  printf("rename inside.txt ../moved -> %s\n", name(__wasi_path_rename(dir, "inside.txt", dir, "../moved")));
  printf("rename ../outside.txt stolen -> %s\n", name(__wasi_path_rename(dir, "../outside.txt", dir, "stolen")));
  printf("link ../outside.txt stolen -> %s\n", name(__wasi_path_link(dir, 0, "../outside.txt", dir, "stolen")));
  printf("link escape-rel (follow) stolen -> %s\n", name(__wasi_path_link(dir, F, "escape-rel", dir, "stolen")));
  printf("symlink ../x sub/../../made -> %s\n", name(__wasi_path_symlink("x", dir, "sub/../../made")));
  printf("rmdir .. -> %s\n", name(__wasi_path_remove_directory(dir, "..")));
  printf("rmdir . -> %s\n", name(__wasi_path_remove_directory(dir, ".")));

  uint8_t buf[256];
  __wasi_size_t n = 0;
  __wasi_errno_t e = __wasi_path_readlink(dir, "escape-rel", buf, sizeof buf, &n);
  printf("readlink escape-rel -> %s [%.*s]\n", name(e), (int)n, (char *)buf);

  /* Through libc: absolute paths are matched against preopen names by wasi-libc itself. */
  errno = 0;
  FILE *f = fopen("/etc/passwd", "r");
  printf("fopen /etc/passwd -> %s\n", f ? "opened" : strerror(errno));
  return 0;
}
