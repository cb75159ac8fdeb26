// What the tools that run in JS engines' shells need from their host, whichever it is:
// JavaScriptCore's `jsc` (read, arguments), SpiderMonkey's `js102` (os.file, os.getenv, scriptArgs)
// or Node.

/* global read, print, scriptArgs, arguments, os */
export const inNode = typeof process !== 'undefined' && process.versions?.node !== undefined;
const fs = inNode ? await import('node:fs') : null;
const shellOs = typeof os === 'undefined' ? undefined : os;

/** The script's arguments (in the shells, those after `--`). */
export const args = inNode ? process.argv.slice(2)
  : typeof scriptArgs !== 'undefined' ? [...scriptArgs] : typeof arguments !== 'undefined' ? [...arguments] : [];
/** An environment variable, where the host can read them (jsc cannot). */
export const getenv = (name) => (inNode ? process.env[name] : shellOs?.getenv?.(name));
export const readText = (path) => (fs !== null ? fs.readFileSync(path, 'utf8') : shellOs?.file ? shellOs.file.readFile(path) : read(path));
export const readBytes = (path) => new Uint8Array(fs !== null ? fs.readFileSync(path) : shellOs?.file ? shellOs.file.readFile(path, 'binary') : read(path, 'binary'));
/** Prints a line. */
export const out = inNode ? (line) => process.stdout.write(`${line}\n`) : print;
export const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
