import { Command, CommandRunner } from 'nest-commander';
import { DEMO_PASSWORD, DemoDataLoader } from '#porch/core';
import { say } from '../output.js';

@Command({
  name: 'load-demo',
  description: "Load the party app's demo data (hosts, parties, guests, invites); idempotent",
})
export class LoadDemoCommand extends CommandRunner {
  constructor(private readonly loader: DemoDataLoader) {
    super();
  }

  async run(): Promise<void> {
    const { created, password } = await this.loader.load();
    const lines = Object.entries(created).map(([entity, n]) => `  ${entity}: ${n}`);
    if (!lines.length) {
      say('Demo data already present: nothing to do.');
      return;
    }
    say(`Loaded demo data:\n${lines.join('\n')}`);
    if (!created.User) return;
    say(
      password === DEMO_PASSWORD
        ? `Demo accounts (host1@demo.porch.test, guest1@demo.porch.test, …) log in with "${password}".`
        : `Demo accounts' password (shown once): ${password}`,
    );
  }
}
