// The version of the code generator's output and of its contract with the runtime (the names and
// shapes generated code reads from its context). Serialized modules record it (Engine.fingerprint),
// so a module compiled by a tswasm whose generated code differs is refused, not evaluated, even
// when both carry the same release version.

/**
 * Bumped whenever generated code changes. test/compile/code-version.test.ts compiles a fixed
 * sample of modules and fails, printing the new digest, when their code no longer matches the
 * digest recorded for this version.
 */
export const CODE_VERSION = 32;
