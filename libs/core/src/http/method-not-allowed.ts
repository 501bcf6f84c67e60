import type { OpenAPIObject } from '@nestjs/swagger';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { sendProblem } from '../errors/problem.filter.js';
import { problem } from '../errors/problem.js';

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);

/** A path of the API (a template such as `/api/v1/invites/{id}`) and the methods it answers. */
export interface KnownPath {
  pattern: RegExp;
  methods: ReadonlySet<string>;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The API's paths and methods, from its OpenAPI document (built from the controllers' own
 * metadata, so it lists exactly the routes Nest mapped). Matched as Express matches: any case,
 * an optional trailing slash, a parameter standing for one path segment.
 */
export function knownPaths(document: OpenAPIObject): KnownPath[] {
  return Object.entries(document.paths).map(([path, item]) => ({
    pattern: new RegExp(
      `^${path
        .split(/\{[^}]+\}/)
        .map(escape)
        .join('[^/]+')}/?$`,
      'i',
    ),
    methods: new Set(
      Object.keys(item)
        .filter((key) => HTTP_METHODS.has(key))
        .map((key) => key.toUpperCase()),
    ),
  }));
}

/**
 * RFC 9110 §15.5.6: a known path asked with a method it does not answer is a 405 with `Allow`,
 * not the 404 Express and Nest give it (neither tells the two apart). Unknown paths and allowed
 * methods go on untouched; OPTIONS stays Express's (it answers with `Allow` itself).
 */
export function methodNotAllowed(paths: () => readonly KnownPath[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'OPTIONS') return next();
    let known = false;
    const allowed = new Set<string>();
    for (const { pattern, methods } of paths()) {
      if (!pattern.test(req.path)) continue;
      if (methods.has(req.method)) return next();
      known = true;
      for (const method of methods) allowed.add(method);
    }
    if (!known) return next();
    if (allowed.has('GET')) {
      if (req.method === 'HEAD') return next(); // Express answers HEAD with the GET route
      allowed.add('HEAD');
    }
    const allow = [...allowed].sort().join(', ');
    res.setHeader('Allow', allow);
    sendProblem(
      res,
      problem(405, `${req.method} is not allowed on this path; it answers ${allow}`),
    );
  };
}
