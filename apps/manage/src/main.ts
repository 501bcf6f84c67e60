// The manage CLI: Porch's `python manage.py`. Run as `npm run manage -- <command> [options]`.
const command = process.argv[2];
// Commands that manage migrations themselves must not have them applied on start.
if (command === 'migrate' || command === 'makemigrations') process.env.MIGRATE_ON_START = 'false';
await import('../../api/src/preload.js');
const { CommandFactory } = await import('nest-commander');
const { ManageModule } = await import('./manage.module.js');

await CommandFactory.run(ManageModule, {
  logger: ['error', 'warn'],
  errorHandler: (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
  serviceErrorHandler: (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
});
