import type { Server } from 'node:http';
import type { Express } from 'express';
import type { Logger } from './log.ts';

/** Starts listening; resolves once the port is bound (port 0 picks a free one). */
export function listen(app: Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}

/** Closes the server: stops accepting, lets in-flight requests finish, cuts the rest after `graceMs`. */
export function shutdown(server: Server, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** On SIGTERM or SIGINT: close the server, then `also` (e.g. the development tenant), then exit. */
export function exitOnSignals(server: Server, logger: Logger, also: () => Promise<void> = async () => {}): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutdown', { signal });
    shutdown(server).then(also).finally(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
