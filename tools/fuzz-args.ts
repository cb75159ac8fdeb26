// The command-line options the fuzzers share.

/** `flag`'s value in `args` as a non-negative integer; undefined when the flag is absent. */
export function integerOption(args: readonly string[], flag: string): number | undefined {
  const i = args.indexOf(flag);
  if (i < 0) return undefined;
  const v = Number(args[i + 1]);
  if (!Number.isInteger(v) || v < 0) throw new Error(`${flag} needs a non-negative integer`);
  return v;
}
