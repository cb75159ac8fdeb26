// DuckDB (C++, wasm exceptions, emscripten): SQL with aggregates, regexps, errors and recursion
// through the blocking Node bundle.
import path from 'node:path';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
export default async function () {
  const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
  const dist = path.dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
  const bundles = {
    mvp: { mainModule: path.join(dist, 'duckdb-mvp.wasm'), mainWorker: path.join(dist, 'duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: path.join(dist, 'duckdb-eh.wasm'), mainWorker: path.join(dist, 'duckdb-node-eh.worker.cjs') },
  };
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate(() => {});
  const conn = db.connect();
  const out = [];
  const q = (sql) => { try { const t = conn.query(sql); out.push(JSON.stringify(t.toArray().map((r) => r.toJSON()), (k, v) => typeof v === 'bigint' ? v.toString() : v)); } catch (e) { out.push('ERR ' + e.message); } };
  q('select 42 as x, version() as v');
  q('create table t as select range as i, range * 1.5 as f, (range % 7)::varchar as s from range(200000)');
  q('select s, count(*), sum(i), avg(f)::decimal(18,3) from t group by s order by s');
  q("select regexp_replace('hello world', 'o', '0', 'g'), md5('abc'), strftime(timestamp '2026-11-27 08:00:00', '%Y/%m/%d %H')");
  q('select * from t where i in (5, 99999) order by i');
  q('select nonexistent from t');
  q("select 1/0, 'x'::int");
  q('with recursive r(n) as (select 1 union all select n + 1 from r where n < 1000) select sum(n) from r');
  q('select list_sort([3,1,2]), struct_pack(a := 1, b := 2)');
  conn.close();
  return out.join('\n');
}
