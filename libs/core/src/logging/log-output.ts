import { createRequire } from 'node:module';
import pino from 'pino';
import type { PrettyOptions } from 'pino-pretty';
import type { AppConfig } from '../config/app-config.js';
import { redact } from './redact.js';

export type LogFormat = 'pretty' | 'json';

/**
 * Pretty (pino-pretty: one coloured line per event) for a person at a terminal in development;
 * JSON lines for everything else — production, pipes, files, log collectors. pino-pretty is a
 * devDependency, so an image installed without dev packages always logs JSON.
 */
export function chooseLogFormat(
  setting: AppConfig['LOG_FORMAT'],
  nodeEnv: AppConfig['NODE_ENV'],
  stdoutIsTTY: boolean,
  prettyInstalled: boolean,
): LogFormat {
  if (setting === 'json' || !prettyInstalled) return 'json';
  if (setting === 'pretty') return 'pretty';
  return stdoutIsTTY && nodeEnv === 'development' ? 'pretty' : 'json';
}

interface LogOutput {
  format: LogFormat;
  stream: pino.DestinationStream;
}

type PinoPretty = (options: PrettyOptions) => pino.DestinationStream;

function loadPinoPretty(): PinoPretty | undefined {
  try {
    return createRequire(import.meta.url)('pino-pretty') as PinoPretty;
  } catch {
    return undefined;
  }
}

interface LineFields {
  msg?: string;
  context?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
}

/** `GET /api/v1/fsa/K1A 200 3 ms` for a request, `[Context] message` for the rest. */
export const prettyMessage: NonNullable<Exclude<PrettyOptions['messageFormat'], string | false>> = (
  log,
  _messageKey,
  _levelLabel,
  { colors },
) => {
  const line = log as LineFields;
  if (line.req && line.res && typeof line.responseTime === 'number') {
    const status = line.res.statusCode ?? 0;
    const paint = status >= 500 ? colors.red : status >= 400 ? colors.yellow : colors.green;
    return `${line.req.method} ${line.req.url} ${paint(String(status))} ${colors.gray(`${line.responseTime} ms`)}`;
  }
  const context = line.context ? `${colors.cyan(`[${line.context}]`)} ` : '';
  return `${context}${line.msg ?? ''}`;
};

function createOutput(config: Pick<AppConfig, 'LOG_FORMAT' | 'NODE_ENV'>): LogOutput {
  const tty = process.stdout.isTTY === true;
  // Loaded only where it would be used.
  const pretty =
    chooseLogFormat(config.LOG_FORMAT, config.NODE_ENV, tty, true) === 'pretty'
      ? loadPinoPretty()
      : undefined;
  const format = chooseLogFormat(config.LOG_FORMAT, config.NODE_ENV, tty, pretty !== undefined);
  if (format === 'pretty' && pretty) {
    return {
      format,
      stream: pretty({
        colorize: process.stdout.isTTY === true,
        // A terminal in development: ordered with what else writes to stdout, nothing to flush.
        sync: true,
        translateTime: 'SYS:HH:MM:ss.l',
        singleLine: true,
        ignore: 'pid,hostname,context,req,res,responseTime,reqId',
        messageFormat: prettyMessage,
      }),
    };
  }
  // Asynchronous writes: under load, lines written while one write is in flight go out
  // together in the next. Nothing waits for a size threshold, so a quiet server's lines
  // still appear at once; pending lines are flushed synchronously at shutdown. Jest, which
  // boots many apps in one process, keeps plain synchronous writes.
  return { format, stream: pino.destination({ dest: 1, sync: config.NODE_ENV === 'test' }) };
}

let output: LogOutput | undefined;

/**
 * Where this process's log lines go: one stream on stdout for the whole process (the boot
 * logger, the app's loggers and the request logs share it), chosen on first use.
 */
export function logOutput(config: Pick<AppConfig, 'LOG_FORMAT' | 'NODE_ENV'>): LogOutput {
  return (output ??= createOutput(config));
}

/**
 * A logger on this process's output, at LOG_LEVEL, with errors serialized with their stack and
 * without their secrets (argon2 strings, bearer tokens, codes: `redact`).
 */
export function createLogger(
  config: Pick<AppConfig, 'LOG_FORMAT' | 'NODE_ENV' | 'LOG_LEVEL'>,
): pino.Logger {
  return pino(
    {
      level: config.LOG_LEVEL,
      serializers: {
        err: (err: unknown) => redact(err instanceof Error ? pino.stdSerializers.err(err) : err),
      },
    },
    logOutput(config).stream,
  );
}

/** Writes out what an asynchronous destination still holds (a no-op for the others). */
export function flushLogOutput(): void {
  const stream = output?.stream as
    | (pino.DestinationStream & { flushSync?: () => void })
    | undefined;
  try {
    stream?.flushSync?.();
  } catch {
    // Not ready yet (nothing written) or already closed: nothing to flush.
  }
}
