import type AdminJS from 'adminjs';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { AdminAuthService } from './admin-auth.service.js';

/** The login form's fields (AdminJS's page posts a plain urlencoded form). */
const parseForm = express.urlencoded({ extended: false, limit: '16kb' });

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.regenerate((err: unknown) => (err ? reject(err) : resolve())),
  );
}

function save(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.save((err: unknown) => (err ? reject(err) : resolve())),
  );
}

/**
 * `POST <root>/login`, in place of @adminjs/express's handler, which can only answer a refusal
 * with 400 and keeps its own per-process retry counter. Here an attempt over the (email, IP)
 * limit is a 429 with `Retry-After` (the login page, saying so) before any password is checked,
 * and a success starts a new session (so a session id known before the login is worth nothing)
 * and goes to the dashboard, as AdminJS's does.
 */
export function adminLoginHandler(admin: AdminJS, auth: AdminAuthService) {
  const { loginPath, rootPath } = admin.options;
  const page = (errorMessage: string) => admin.renderLogin({ action: loginPath, errorMessage });
  const handle = async (req: Request, res: Response): Promise<void> => {
    const fields = (req.body ?? {}) as Record<string, unknown>;
    const outcome = await auth.login(fields.email, fields.password, req.ip);
    if (outcome.kind === 'throttled') {
      res.status(429).set('Retry-After', String(outcome.retryAfter));
      res.send(await page('tooManyRequests'));
      return;
    }
    if (outcome.kind === 'refused') {
      res.send(await page('invalidCredentials'));
      return;
    }
    await regenerate(req);
    req.session.adminUser = outcome.admin as { id: string; email: string };
    await save(req);
    res.redirect(302, rootPath);
  };
  return [
    parseForm,
    (req: Request, res: Response, next: NextFunction) => void handle(req, res).catch(next),
  ];
}
