const { startEmbeddedPostgres } = await import('../dist/libs/core/src/index.js');
const pg = await startEmbeddedPostgres({ dataDir: '.data/bench', database: 'porch_bench' });
console.log(pg.url);
process.on('SIGTERM', async () => { await pg.stop(); process.exit(0); });
setInterval(() => {}, 1e6);
