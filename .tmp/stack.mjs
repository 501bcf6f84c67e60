process.env.LOG_LEVEL='warn';
const { NestFactory } = await import('@nestjs/core');
const { configureApp } = await import('../dist/libs/core/src/index.js');
const { AppModule } = await import('../dist/apps/api/src/app.module.js');
const app = await NestFactory.create(AppModule, { bodyParser: false, bufferLogs: true, logger: false });
configureApp(app);
await app.init();
const stack = app.getHttpAdapter().getInstance().router.stack;
console.log('layers', stack.length);
let i = 0;
for (const l of stack) { i++; const r = l.route; console.log(i, l.name, r ? Object.keys(r.methods).join(',') + ' ' + r.path : (l.matchers?.length ? '' : ''), l.regexp ?? '', l.keys?.map?.(k=>k.name).join(',') ?? ''); if (r?.path?.includes('fsa/:')) break; }
await app.close();
process.exit(0);
