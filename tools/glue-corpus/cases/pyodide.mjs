// Pyodide (CPython 3.14, emscripten with wasm exceptions and dynamic linking): the standard
// library, exceptions, recursion limits, a call into JS.
export default async function () {
  const { loadPyodide } = await import('pyodide');
  const out = [];
  const py = await loadPyodide({ stdout: (s) => out.push('out: ' + s), stderr: (s) => out.push('err: ' + s) });
  const r = py.runPython(`
import sys, json, re, hashlib, decimal, fractions, itertools, collections, math, struct, zlib, datetime
print(sys.version.split()[0])
d = {"a": [1, 2.5, None, True], "b": "x" * 3}
print(json.dumps(d, sort_keys=True))
print(re.sub(r"(\\w)(\\d+)", lambda m: m.group(2) + m.group(1), "a12 b3 c456"))
print(hashlib.sha256(b"tswasm").hexdigest(), hashlib.md5(b"x").hexdigest())
decimal.getcontext().prec = 50
print(decimal.Decimal(1) / decimal.Decimal(7), fractions.Fraction(3, 7) ** 5)
print(sum(itertools.islice(itertools.count(1), 100000)), collections.Counter("mississippi").most_common(2))
print(math.factorial(200) % 1000000007, 2 ** 200, float.hex(math.pi), struct.pack("<dq", 1.5, -2).hex())
print(len(zlib.compress(b"abc" * 10000)), datetime.date(2026, 11, 27).isoformat())
def fib(n): return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(22))
try:
    raise ValueError("boom")
except ValueError as e:
    print("caught", e)
class C:
    def __init__(self): self.v = [i * i for i in range(10)]
print(C().v, sorted({3, 1, 2}), "{:.3e}".format(12345.678))
try:
    def rec(n): return rec(n + 1)
    rec(0)
except RecursionError as e:
    print("recursion", type(e).__name__)
"done"
`);
  out.push('result ' + r);
  out.push('js ' + py.runPython('import js; js.Math.max(3, 9)'));
  return out.join('\n');
}
