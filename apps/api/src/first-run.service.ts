import { randomBytes } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PasswordHasher, User } from '#porch/accounts';
import { AppConfig, DEMO_LOCK_KEY, DEMO_PASSWORD, DemoDataLoader } from '#porch/core';

export interface FirstRunResult {
  /** The superuser created (CREATE_SUPERUSER), if any. */
  email?: string;
  /** The generated password; undefined when it came from ADMIN_PASSWORD. */
  generatedPassword?: string;
  /** Rows of demo data inserted (DEMO_DATA); undefined when none were asked for. */
  demo?: Record<string, number>;
  demoPassword?: string;
}

/** Where a production first start leaves a generated superuser password (under DATA_DIR). */
export const SUPERUSER_PASSWORD_FILE = 'superuser-password';

export interface FirstRunWork {
  demo: boolean;
  superuser: boolean;
}

/**
 * The first start on an empty database (no users at all, deleted ones included): loads the demo
 * data (DEMO_DATA) and creates a superuser (CREATE_SUPERUSER: ADMIN_EMAIL, with ADMIN_PASSWORD or
 * a generated password: printed once in development, and in production written to
 * `DATA_DIR/superuser-password`, mode 0600, never to the log). `npm start` does both; the compose
 * file only the superuser;
 * the tests neither. Several instances starting at once queue on the demo advisory lock; the
 * first does the work, the others then see users and skip.
 */
@Injectable()
export class FirstRunService implements OnApplicationBootstrap {
  private readonly logger = new Logger('FirstRun');

  constructor(
    private readonly orm: MikroORM,
    private readonly config: AppConfig,
    private readonly demo: DemoDataLoader,
    private readonly hasher: PasswordHasher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const work = { demo: this.config.DEMO_DATA, superuser: this.config.CREATE_SUPERUSER };
    if (!work.demo && !work.superuser) return;
    const result = await this.run(work);
    if (result) await this.announce(result);
  }

  /** Does the first-run set-up if the database has no users; null when it had some. */
  run(work: FirstRunWork = { demo: true, superuser: true }): Promise<FirstRunResult | null> {
    return this.orm.em.fork().transactional(async (em) => {
      // The demo loader takes the same (re-entrant) lock: take it first, then look.
      await em.execute('select pg_advisory_xact_lock(?)', [DEMO_LOCK_KEY]);
      if ((await em.count(User, {}, { filters: false })) > 0) return null;
      const demo = work.demo ? await this.demo.loadIn(em) : undefined;
      if (!work.superuser)
        return { demo: demo?.created, demoPassword: demo?.password } satisfies FirstRunResult;
      const generatedPassword = this.config.ADMIN_PASSWORD
        ? undefined
        : randomBytes(18).toString('base64url');
      const admin = new User(
        this.config.ADMIN_EMAIL,
        'Administrator',
        await this.hasher.hash(this.config.ADMIN_PASSWORD ?? generatedPassword!),
      );
      admin.isStaff = true;
      admin.isSuperuser = true;
      admin.emailVerifiedAt = new Date(); // an address the operator chose
      await em.persistAndFlush(admin);
      return {
        email: admin.email,
        generatedPassword,
        demo: demo?.created,
        demoPassword: demo?.password,
      };
    });
  }

  /**
   * Printed once, outside the JSON log lines, so a person sees it. In production stdout is the
   * log (container logs are kept and shipped), so a generated password goes to a private file
   * instead and the box says where.
   */
  private async announce(result: FirstRunResult): Promise<void> {
    const lines = [
      `Empty database: created ${[result.email && 'a superuser', result.demo && 'the demo data']
        .filter(Boolean)
        .join(' and ')}.`,
    ];
    if (result.email) {
      lines.push(
        `superuser ${result.email}`,
        !result.generatedPassword
          ? 'password: the value of ADMIN_PASSWORD'
          : this.config.isProduction
            ? await this.savePassword(result.email, result.generatedPassword)
            : `password: ${result.generatedPassword}   (shown only now: write it down)`,
      );
    }
    if (result.demo) {
      const demo = Object.entries(result.demo)
        .map(([entity, n]) => `${n} ${entity}`)
        .join(', ');
      lines.push(
        `demo data: ${demo || 'none'}; demo accounts log in with ${
          result.demoPassword === DEMO_PASSWORD ? `"${DEMO_PASSWORD}"` : result.demoPassword
        } (the README lists them)`,
      );
    }
    const width = Math.max(...lines.map((l) => l.length));
    const rule = `+${'-'.repeat(width + 2)}+`;
    process.stdout.write(
      `\n${rule}\n${lines.map((l) => `| ${l.padEnd(width)} |`).join('\n')}\n${rule}\n\n`,
    );
    this.logger.log(
      `first run: ${[result.email && `created superuser ${result.email}`, result.demo && 'loaded the demo data'].filter(Boolean).join(', ')}`,
    );
  }

  /** Writes a generated password where only this user can read it; the line saying where. */
  private async savePassword(email: string, password: string): Promise<string> {
    const dir = resolve(this.config.DATA_DIR);
    const file = join(dir, SUPERUSER_PASSWORD_FILE);
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(file, `${password}\n`, { mode: 0o600 });
      await chmod(file, 0o600); // an older file keeps its mode otherwise
      return `password: generated, in ${file} (mode 600: read it, then delete the file)`;
    } catch (e) {
      this.logger.warn(`could not write ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`);
      return `password: generated, not shown; set one: npm run manage -- changepassword ${email}`;
    }
  }
}
