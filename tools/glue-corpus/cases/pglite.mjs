// PGlite (PostgreSQL, emscripten): initdb, then SQL with arrays, jsonb, numerics, errors and
// recursion.
export default async function () {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = new PGlite();
  const out = [];
  const q = async (sql) => { try { const r = await db.query(sql); out.push(JSON.stringify(r.rows, (k, v) => typeof v === 'bigint' ? String(v) : v)); } catch (e) { out.push('ERR ' + e.message); } };
  await q('select version() ~ \'PostgreSQL\' as ok, 1 + 1 as two');
  await db.exec('create table t (id serial primary key, name text, score numeric(10,2), tags text[], doc jsonb)');
  await db.exec("insert into t (name, score, tags, doc) select 'n' || g, g * 1.25, array['a','b' || g % 3], jsonb_build_object('g', g, 'sq', g * g) from generate_series(1, 5000) g");
  await q('select count(*), sum(score), avg(score)::numeric(10,3), max(doc->>\'sq\') from t');
  await q("select tags[2], count(*) from t group by 1 order by 1");
  await q("select name, score from t where doc @> '{\"g\": 77}'");
  await q("select regexp_replace('hello world', 'o', '0', 'g'), md5('abc'), to_char(timestamp '2026-11-27 08:00', 'YYYY/MM/DD HH24')");
  await q('with recursive r(n) as (select 1 union all select n + 1 from r where n < 1000) select sum(n) from r');
  await q('select * from nope');
  await q("select 1/0");
  await q("select string_agg(x::text, ',' order by x desc) from generate_series(1, 20) x");
  await q("select (random() * 0)::int, pi()::numeric(20,15), 2::numeric ^ 100");
  await db.close();
  return out.join('\n');
}
