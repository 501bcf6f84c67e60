import pg from 'pg';
const pool = new pg.Pool({ connectionString: process.env.DB, max: 10 });
async function run(label, fn) {
  const N = 20000; let i = 0; const t0 = performance.now(); const c0 = process.cpuUsage();
  await Promise.all(Array.from({ length: 64 }, async () => { while (i++ < N) await fn(); }));
  const cpu = process.cpuUsage(c0); const ms = performance.now() - t0;
  console.log(label, Math.round(N / ms * 1000), 'q/s', 'cpu µs/q', Math.round((cpu.user + cpu.system) / N), 'sys µs/q', Math.round(cpu.system / N));
}
const id = 'ff1cbc2f-f2e0-42cd-a237-dbc148a8183d';
for (let k = 0; k < 2; k++) {
await run('simple  ', () => pool.query(`select id, name from users where id = '${id}'`));
await run('extended', () => pool.query('select id, name from users where id = $1', [id]));
}
await pool.end();
