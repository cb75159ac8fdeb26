// The name generated code uses for the runtime helper of a SIMD instruction (src/runtime/simd.ts
// binds one helper under each such name): the mnemonic with '_' for '.'.

export function simdHelperName(mnemonic: string): string {
  return mnemonic.replace('.', '_');
}
