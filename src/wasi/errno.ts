// WASI preview1 error numbers (the witx `errno` enum, in order) and the one place where host
// errors become them: WasiError carries an errno out of a syscall; Node's error codes map by name.

/** The `errno` values of wasi_snapshot_preview1 (same numbers in wasi_unstable). */
export const Errno = {
  SUCCESS: 0,
  E2BIG: 1,
  EACCES: 2,
  EADDRINUSE: 3,
  EADDRNOTAVAIL: 4,
  EAFNOSUPPORT: 5,
  EAGAIN: 6,
  EALREADY: 7,
  EBADF: 8,
  EBADMSG: 9,
  EBUSY: 10,
  ECANCELED: 11,
  ECHILD: 12,
  ECONNABORTED: 13,
  ECONNREFUSED: 14,
  ECONNRESET: 15,
  EDEADLK: 16,
  EDESTADDRREQ: 17,
  EDOM: 18,
  EDQUOT: 19,
  EEXIST: 20,
  EFAULT: 21,
  EFBIG: 22,
  EHOSTUNREACH: 23,
  EIDRM: 24,
  EILSEQ: 25,
  EINPROGRESS: 26,
  EINTR: 27,
  EINVAL: 28,
  EIO: 29,
  EISCONN: 30,
  EISDIR: 31,
  ELOOP: 32,
  EMFILE: 33,
  EMLINK: 34,
  EMSGSIZE: 35,
  EMULTIHOP: 36,
  ENAMETOOLONG: 37,
  ENETDOWN: 38,
  ENETRESET: 39,
  ENETUNREACH: 40,
  ENFILE: 41,
  ENOBUFS: 42,
  ENODEV: 43,
  ENOENT: 44,
  ENOEXEC: 45,
  ENOLCK: 46,
  ENOLINK: 47,
  ENOMEM: 48,
  ENOMSG: 49,
  ENOPROTOOPT: 50,
  ENOSPC: 51,
  ENOSYS: 52,
  ENOTCONN: 53,
  ENOTDIR: 54,
  ENOTEMPTY: 55,
  ENOTRECOVERABLE: 56,
  ENOTSOCK: 57,
  ENOTSUP: 58,
  ENOTTY: 59,
  ENXIO: 60,
  EOVERFLOW: 61,
  EOWNERDEAD: 62,
  EPERM: 63,
  EPIPE: 64,
  EPROTO: 65,
  EPROTONOSUPPORT: 66,
  EPROTOTYPE: 67,
  ERANGE: 68,
  EROFS: 69,
  ESPIPE: 70,
  ESRCH: 71,
  ESTALE: 72,
  ETIMEDOUT: 73,
  ETXTBSY: 74,
  EXDEV: 75,
  ENOTCAPABLE: 76,
} as const;
export type Errno = (typeof Errno)[keyof typeof Errno];

/** Thrown inside a syscall to return `errno` to the guest (never escapes to wasm). */
export class WasiError extends Error {
  constructor(readonly errno: Errno, message?: string) {
    super(message ?? `WASI errno ${errno}`);
  }
}

/** Host error codes whose name differs from the WASI one. */
const ALIASES: Readonly<Record<string, Errno>> = {
  EWOULDBLOCK: Errno.EAGAIN,
  EOPNOTSUPP: Errno.ENOTSUP,
  EDEADLOCK: Errno.EDEADLK,
};

/**
 * The errno for an exception thrown by a Node fs call (its `code`, e.g. 'ENOENT'), or null when it
 * is not a host error (a bug in the runtime, which must not be hidden behind an errno).
 */
export function errnoOfHostError(e: unknown): Errno | null {
  if (e instanceof WasiError) return e.errno;
  const code = (e as { code?: unknown } | null)?.code;
  // Node's own ERR_* codes are argument errors, i.e. bugs here, not host failures.
  if (typeof code !== 'string' || !/^E[A-Z0-9]+$/.test(code)) return null;
  const direct = (Errno as Record<string, Errno>)[code];
  if (direct !== undefined && code !== 'SUCCESS') return direct;
  return ALIASES[code] ?? Errno.EIO;
}
