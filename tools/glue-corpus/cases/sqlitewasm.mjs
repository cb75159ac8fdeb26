// SQLite's official wasm build (emscripten): 20,000 inserts in a transaction, JSON, FTS5, errors.
export default async function () {
  const { default: init } = await import('@sqlite.org/sqlite-wasm');
  const sqlite3 = await init({ print: () => {}, printErr: () => {} });
  const db = new sqlite3.oo1.DB(':memory:', 'c');
  const out = [sqlite3.version.libVersion];
  const q = (sql) => { try { out.push(JSON.stringify(db.exec({ sql, rowMode: 'array', returnValue: 'resultRows' }))); } catch (e) { out.push('ERR ' + e.message); } };
  q('create table t(a integer primary key, b text, c real, d blob)');
  db.transaction(() => { const st = db.prepare('insert into t(b, c, d) values (?, ?, ?)'); for (let i = 0; i < 20000; i++) st.bind([`row ${i}`, i / 7, new Uint8Array([i & 255, i >> 8])]).stepReset(); st.finalize(); });
  q('select count(*), sum(c), min(b), max(length(d)) from t');
  q("select json_group_array(a) from (select a from t where b like '%99' order by a limit 5)");
  q('select printf("%.6f|%e|%d", 1.0/3, 12345.6789, 1 << 40)');
  q("with recursive r(n) as (select 1 union all select n + 1 from r where n < 2000) select sum(n), avg(n) from r");
  q('select * from missing');
  q("select hex(zeroblob(2)), typeof(1e400), 9223372036854775807 + 1");
  q("create virtual table f using fts5(body); insert into f values ('the quick brown fox'), ('jumps over'), ('the lazy dog'); select rowid, body from f where f match 'the' order by rank");
  db.close();
  return out.join('\n');
}
