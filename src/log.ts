import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { pino } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFields = Record<string, string | number | boolean | undefined>;

/** A structured logger: one JSON line per event. Callers pass codes and ids, never tokens. */
export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

const requestIds = new AsyncLocalStorage<string>();

/**
 * Field names whose values are never written: a second line of defence behind callers that only
 * log codes and ids. Log fields are flat, so top-level names are what matters. (`code` is not in
 * the list: it carries the stable error codes; authorization codes are never logged at all.)
 */
const REDACT = ['token', 'accessToken', 'access_token', 'idToken', 'id_token', 'refresh_token',
  'authorization_code', 'client_secret', 'clientSecret', 'cookie', 'authorization', 'password', 'secret'];

/**
 * JSON lines through pino at or above `level`, to stdout or `write`. Each line carries the
 * `req_id` of the request it belongs to.
 */
export function createLogger(level: LogLevel = 'info', write?: (line: string) => void): Logger {
  const base = pino({
    level,
    base: null,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT, censor: '[redacted]' },
    mixin: () => {
      const id = requestIds.getStore();
      return id ? { req_id: id } : {};
    },
  }, write ? { write } : pino.destination({ sync: false }));
  const at = (lvl: Exclude<LogLevel, 'silent'>) => (event: string, fields: LogFields = {}) => base[lvl]({ event, ...fields });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

const REQUEST_ID = /^[\w.-]{8,64}$/;

/**
 * Gives every request an id (the incoming X-Request-Id when it is well-formed, else a new UUID),
 * echoes it in X-Request-Id, and logs one `request` line with method, path (never the query,
 * which can hold codes), status and duration.
 */
export function requestLogging(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const id = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.set('X-Request-Id', id);
    const started = process.hrtime.bigint();
    // Read now: inside a mounted router `req.path` is relative to the mount point.
    const path = req.path;
    requestIds.run(id, () => {
      res.on('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        logger.info('request', { method: req.method, path, status: res.statusCode, ms: Math.round(ms * 10) / 10 });
      });
      next();
    });
  };
}
