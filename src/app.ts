import { resolve } from 'node:path';
import express from 'express';
import type session from 'express-session';
import type { Config } from './config/index.ts';
import { Authorities } from './auth/authorities.ts';
import { frontChannelLogout } from './auth/front-channel-logout.ts';
import { Identity } from './auth/identity.ts';
import { fetchAuthorityMetadata, MetadataSource } from './auth/metadata.ts';
import { authRouter } from './auth/routes.ts';
import { sessionLifetime } from './auth/session-lifetime.ts';
import { GraphClient } from './graph/client.ts';
import { graphRouter } from './graph/routes.ts';
import { canonicalLoopbackHost } from './http/canonical-host.ts';
import { errorHandler, notFound } from './http/errors.ts';
import { healthRouter } from './http/health.ts';
import { sessionLocals, staticLocals } from './http/locals.ts';
import { noStore, securityHeaders } from './http/security.ts';
import { sessions } from './http/session.ts';
import { createLogger, requestLogging } from './log.ts';
import type { Logger } from './log.ts';
import { pagesRouter } from './pages/routes.ts';
import { MemorySessionStore } from './stores/memory-sessions.ts';
import { MemorySignInIndex } from './stores/sign-in-index.ts';
import type { SignInIndex } from './stores/sign-in-index.ts';
import { MemoryTokenCacheStore } from './stores/token-cache.ts';
import type { TokenCacheStore } from './stores/token-cache.ts';

const ROOT = resolve(import.meta.dirname, '..');

/** What createApp can be given instead of its defaults (tests pass their own). */
export interface AppDeps {
  readonly logger?: Logger;
  /** The sign-in authority's metadata (the other user flows' are fetched by the app). */
  readonly metadata?: MetadataSource;
  /** Every user flow's authority; built from `metadata` when absent. */
  readonly authorities?: Authorities;
  readonly tokenCaches?: TokenCacheStore;
  readonly sessionStore?: session.Store;
  /** The sid → sessions index front-channel logout reads; default: in memory. */
  readonly signIns?: SignInIndex;
  /** Readiness probe of the stores; default: always ready (in-memory stores). */
  readonly storePing?: () => Promise<void>;
}

/** The authority metadata source for a config: fetched once, shared by every request. */
export function metadataSourceFor(config: Config): MetadataSource {
  return new MetadataSource(() => fetchAuthorityMetadata(config.authority, config.httpTimeoutMs));
}

/** Builds the Express app. It never listens: server.ts does. */
export function createApp(config: Config, deps: AppDeps = {}): express.Express {
  const logger = deps.logger ?? createLogger();
  const authorities = deps.authorities ?? new Authorities(config, deps.metadata ?? metadataSourceFor(config));
  const tokenCaches = deps.tokenCaches ?? new MemoryTokenCacheStore();
  const identity = new Identity(config, { authorities, tokenCaches, logger });
  // In-process default (tests): a MemoryStore that, like the SQLite and Redis stores, never recreates a destroyed session.
  const sessionStore = deps.sessionStore ?? new MemorySessionStore(config.sessionMaxAgeSeconds * 1000);
  const signIns = deps.signIns ?? new MemorySignInIndex();
  const graph = new GraphClient(config.graphEndpoint, config.httpTimeoutMs);

  const app = express();
  app.disable('x-powered-by');
  app.set('views', resolve(ROOT, 'views'));
  app.set('view engine', 'ejs');
  app.set('view cache', true);
  app.set('trust proxy', config.trustProxy);
  Object.assign(app.locals, staticLocals(config));

  app.use(requestLogging(logger));
  app.use(securityHeaders(config));
  app.use(healthRouter(authorities, deps.storePing ?? (async () => {})));
  app.use(canonicalLoopbackHost(config));
  // Static files only under their own prefixes, so page requests never pay for a file-system miss.
  // public/vendor holds the one Bootstrap stylesheet the views link, copied with its licence: production installs no bootstrap package.
  app.use('/vendor', express.static(resolve(ROOT, 'public', 'vendor'), { maxAge: '1d', index: false }));
  for (const folder of ['css', 'images']) {
    app.use(`/${folder}`, express.static(resolve(ROOT, 'public', folder), { maxAge: '1h', index: false }));
  }
  app.use(noStore);
  // Before the sessions: the authority's logout iframe comes without the session cookie (front-channel-logout.ts).
  app.get(`/${config.authEndpoints.prefix}/${config.authEndpoints.frontChannelLogout}`,
    frontChannelLogout({ config, sessionStore, tokenCaches, signIns, logger }));
  app.use(sessions(config, sessionStore));
  app.use(sessionLifetime(config, identity, logger));
  app.use(sessionLocals(config));

  app.use(pagesRouter(config));
  app.use(`/${config.authEndpoints.prefix}`, authRouter(config, identity, logger, signIns));
  app.use(graphRouter(config, identity, graph));
  app.use(notFound);
  app.use(errorHandler(config, logger));
  return app;
}
