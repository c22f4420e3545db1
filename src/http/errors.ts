import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Config } from '../config/index.ts';
import { AppError, ErrorCode } from '../errors.ts';
import type { Logger } from '../log.ts';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Sign-in required',
  403: 'Access denied',
  404: 'Page not found',
  429: 'Too many requests',
  500: 'Something went wrong',
  502: 'A service the app depends on failed',
  503: 'Service unavailable',
};

/** Failed sign-ins: the page offers to sign in again (from the start, not from the failed URL). */
const SIGN_IN_AGAIN = new Set<string>([
  ErrorCode.STATE_MISSING, ErrorCode.STATE_UNKNOWN, ErrorCode.BAD_CALLBACK, ErrorCode.IDP_ERROR,
  ErrorCode.CODE_REJECTED, ErrorCode.ID_TOKEN_INVALID, ErrorCode.INTERACTION_LOOP,
  // Once the named setting is fixed and the app restarted, a fresh sign-in is the next step.
  ErrorCode.IDP_CONFIGURATION,
]);

/** Where the error page's Sign In button goes, if it has one. */
function signInLink(error: AppError, signInPath: string, originalUrl: string): string | undefined {
  if (error.status === 401 && error.code === ErrorCode.NOT_SIGNED_IN) return `${signInPath}?${new URLSearchParams({ next: originalUrl })}`;
  if (error.status === 401 || SIGN_IN_AGAIN.has(error.code)) return signInPath;
  return undefined;
}

/** The last route: anything unmatched is a 404 page. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(new AppError(ErrorCode.NOT_FOUND, 404, `no route for ${req.method} ${req.path}`, {
    detail: 'There is no page at this address.',
  }));
};

/** Errors thrown by libraries (body parser, etc.) carry a 4xx `status`; anything else is a 500. */
function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const status = (err as { status?: unknown })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError(ErrorCode.BAD_REQUEST, status, 'client error', { cause: err, detail: 'The request could not be handled.' });
  }
  return new AppError(ErrorCode.INTERNAL, 500, 'unexpected error', { cause: err, detail: 'The app hit an unexpected problem. Please try again.' });
}

/**
 * One error handler for the whole app: picks the status and a friendly page, logs one line with
 * the stable code, and never sends a stack trace, an MSAL internal or a token.
 */
export function errorHandler(config: Config, logger: Logger): ErrorRequestHandler {
  const signInPath = `/${config.authEndpoints.prefix}/${config.authEndpoints.signIn}`;
  return (err, req, res, _next) => {
    const error = toAppError(err);
    const cause = error.cause instanceof Error ? error.cause.name : undefined;
    const log = error.status >= 500 ? logger.error : logger.warn;
    const reasonCode = typeof error.facts.reason === 'string' ? error.facts.reason : undefined;
    log('request.failed', {
      code: error.code, reason_code: reasonCode, status: error.status, method: req.method, path: req.path, reason: error.message, cause,
    });
    if (res.headersSent) return;
    res.status(error.status).set('Cache-Control', 'no-store');
    res.render('error', {
      title: TITLES[error.status] ?? 'Error',
      status: error.status,
      code: error.code,
      detail: error.detail,
      facts: error.facts,
      signInUrl: signInLink(error, signInPath, req.originalUrl),
    }, (renderError, html) => {
      if (renderError) res.type('text/plain').send(`${error.status} ${TITLES[error.status] ?? 'Error'}`);
      else res.send(html);
    });
  };
}
