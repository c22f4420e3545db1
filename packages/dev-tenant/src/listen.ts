import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { DEV_TENANT_ERROR_CODES, DevTenantError } from './errors.ts';

/** A request handler that can be installed after the servers listen (the issuer needs the port). */
export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** The tenant's HTTPS listeners: 127.0.0.1 always, ::1 on the same port when the host has IPv6. */
export interface Listeners {
  readonly port: number;
  setHandler(handler: Handler): void;
  close(): Promise<void>;
}

function listenOn(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Listens with TLS on 127.0.0.1:`port` (0 = ephemeral), then on [::1] with the same port so
 * `localhost` works whichever address it resolves to. IPv6 failures are ignored.
 */
export async function listenTls(tls: { certPem: string; keyPem: string }, port: number): Promise<Listeners> {
  let handler: Handler = (_req, res) => {
    res.statusCode = 503;
    res.end('starting');
  };
  const make = (): Server => createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => handler(req, res));
  const v4 = make();
  try {
    await listenOn(v4, port, '127.0.0.1');
  } catch (cause) {
    throw new DevTenantError(DEV_TENANT_ERROR_CODES.listenFailed, `cannot listen on 127.0.0.1:${port}: ${(cause as Error).message}`, { cause });
  }
  const actualPort = (v4.address() as { port: number }).port;
  const servers = [v4];
  const v6 = make();
  try {
    await listenOn(v6, actualPort, '::1');
    servers.push(v6);
  } catch {
    // no IPv6 loopback here, or the port is taken on ::1: 127.0.0.1 is enough
  }
  return {
    port: actualPort,
    setHandler: (next) => {
      handler = next;
    },
    close: async () => {
      await Promise.all(servers.map(closeServer));
    },
  };
}
