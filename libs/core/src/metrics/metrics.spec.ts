import { PorchMetrics } from './metrics.js';

describe('PorchMetrics', () => {
  it('reads the CDC lag at each scrape, once for both gauges', async () => {
    const metrics = new PorchMetrics();
    let reads = 0;
    let lag = { slot: 'porch', bytes: 4096, seconds: 1.5 };
    metrics.cdcLag(async () => (reads++, lag));
    let text = await metrics.registry.metrics();
    expect(text).toMatch(/^cdc_lag_bytes\{slot="porch"\} 4096$/m);
    expect(text).toMatch(/^cdc_lag_seconds\{slot="porch"\} 1\.5$/m);
    expect(reads).toBe(1);
    lag = { slot: 'porch', bytes: 0, seconds: 0 };
    await new Promise((done) => setImmediate(done));
    text = await metrics.registry.metrics();
    expect(text).toMatch(/^cdc_lag_bytes\{slot="porch"\} 0$/m);
    expect(reads).toBe(2);
  });

  it('leaves the CDC gauges out of a scrape whose read fails, and still answers', async () => {
    const metrics = new PorchMetrics();
    metrics.cdcLag(() => Promise.reject(new Error('slot gone')));
    const text = await metrics.registry.metrics();
    expect(text).toContain('# TYPE cdc_lag_bytes gauge');
    expect(text).not.toMatch(/^cdc_lag_bytes[{ ]/m);
    expect(text).toMatch(/^process_cpu_seconds_total /m);
  });

  it('has no CDC gauges unless the worker registers them', async () => {
    expect(await new PorchMetrics().registry.metrics()).not.toContain('cdc_lag');
  });

  it('reports a pool from its source, and nothing for a closed pool', async () => {
    const metrics = new PorchMetrics();
    let open = true;
    metrics.dbPool('primary', () =>
      open ? { used: 3, free: 1, pendingAcquires: 2, pendingCreates: 0, max: 4 } : undefined,
    );
    let text = await metrics.registry.metrics();
    expect(text).toContain('db_pool_connections{pool="primary",state="used"} 3');
    expect(text).toContain('db_pool_connections{pool="primary",state="free"} 1');
    expect(text).toContain('db_pool_pending_acquires{pool="primary"} 2');
    open = false;
    text = await metrics.registry.metrics();
    expect(text).not.toContain('db_pool_connections{');
  });
});
