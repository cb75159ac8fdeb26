// The shared harness's sql.js workload (run-realworld.mjs): a new database, 20,000 inserts through a
// prepared statement in one transaction, an index, then three queries; a failing query's message
// stands in its result. Used by the tools that run it outside the harness (JS engines' shells, a
// browser page), which print the result's digest so that runs can be compared.

/** One run on an initialised sql.js module; returns the digest of the queries' results. */
export function runSqlWorkload(SQL) {
  const db = new SQL.Database();
  db.run('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, grp INTEGER, val REAL)');
  const stmt = db.prepare('INSERT INTO t (name, grp, val) VALUES (?, ?, ?)');
  db.run('BEGIN');
  for (let i = 0; i < 20000; i++) stmt.run([`name${i}`, i % 37, ((i * 7919) % 1000) / 10]);
  db.run('COMMIT');
  stmt.free();
  db.run('CREATE INDEX t_grp ON t (grp, val)');
  const out = [];
  for (const sql of [
    'SELECT grp, COUNT(*), SUM(val), AVG(LENGTH(name)) FROM t GROUP BY grp ORDER BY SUM(val) DESC LIMIT 5',
    "SELECT COUNT(*), MAX(id) FROM t WHERE name LIKE '%77%'",
    'SELECT grp, SUM(val) FROM t WHERE grp = 5 AND val > 50 GROUP BY grp',
  ]) {
    try {
      out.push(db.exec(sql)[0].values);
    } catch (e) {
      out.push(String(e.message));
    }
  }
  db.close();
  return digest(JSON.stringify(out));
}

/** FNV-1a of a string, with its length. */
function digest(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return `${s.length}:${(h >>> 0).toString(16)}`;
}
