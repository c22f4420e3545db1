import { createHash, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

/** Where Debian puts Chromium; CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for headless Chromium on a machine with no outside network (see shared notes). */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * Why the browser tests cannot run, or undefined when they can. Under CI=true a missing
 * Chromium is a failure, not a skip.
 */
export function chromiumUnavailable(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  const reason = `Chromium not found at ${CHROMIUM_PATH}: install it with "apt-get install -y chromium" or set CHROMIUM_PATH`;
  if (process.env.CI === 'true') throw new Error(`${reason} (required when CI=true)`);
  return reason;
}

/**
 * The Chromium flag that trusts exactly one server key (the development tenant's certificate),
 * leaving every other certificate check on: Chromium does not read NODE_EXTRA_CA_CERTS.
 */
export function trustCertificateFlag(certFile: string): string {
  const spki = createPublicKey(readFileSync(certFile)).export({ type: 'spki', format: 'der' });
  return `--ignore-certificate-errors-spki-list=${createHash('sha256').update(spki).digest('base64')}`;
}
