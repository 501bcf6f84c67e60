import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Express } from 'express';
import { PorchExpressAdapter } from './express-adapter.js';

describe('PorchExpressAdapter', () => {
  it("creates requests and responses with the Express app's prototypes already set", async () => {
    const adapter = new PorchExpressAdapter();
    adapter.initHttpServer({});
    const app = adapter.getInstance() as Express;
    app.get('/probe/:id', (req, res) => res.json({ id: req.params.id, ip: req.ip }));
    const server = adapter.getHttpServer() as Server;
    // As the server made them, before Express (which sets the same prototypes) sees them.
    const made: boolean[] = [];
    server.prependListener('request', (req: object, res: object) => {
      made.push(Object.getPrototypeOf(req) === app.request);
      made.push(Object.getPrototypeOf(res) === app.response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/probe/42`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ id: '42', ip: '127.0.0.1' });
      expect(made).toEqual([true, true]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
