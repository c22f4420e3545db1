/**
 * Helpers for the single sign-out tests: a development tenant with two app registrations that both
 * have a Front-channel logout URL, an app for each, and the calls the tenant's sign-out page makes.
 */
import assert from 'node:assert/strict';
import type { RawSettings } from '../../src/config/index.ts';
import type { DevTenant } from '@contoso/dev-tenant';
import { freePort } from './processes.ts';
import { startApp, startTenant } from './stack.ts';
import type { AppUnderTest } from './stack.ts';

/** The session id inside a signed `sid` cookie (`s:<sid>.<signature>`). */
export function sessionIdOf(cookie: string | undefined): string {
  const id = /^s:([^.]+)\./.exec(decodeURIComponent(cookie ?? ''))?.[1];
  assert.ok(id, `a signed session cookie: ${cookie}`);
  return id;
}

/** The app's front-channel logout URL at `origin` with these query parameters. */
export function frontChannelUrl(origin: string, params: Record<string, string>): string {
  const url = new URL('/auth/front_channel_logout', origin);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.href;
}

export interface TwoApps {
  readonly tenant: DevTenant;
  /** The app of the tenant's main registration (tenant.clientId), at http://localhost:<port>. */
  readonly first: AppUnderTest;
  /**
   * The app of a second registration (tenant.extraClients[0]), at http://127.0.0.1:<port>: a browser
   * keeps cookies per host, not per port, so two apps on `localhost` would overwrite each other's `sid`.
   */
  readonly second: AppUnderTest;
}

/**
 * A tenant with two app registrations, each with a Front-channel logout URL, and the real app
 * (startApp) for each, with its own client id and secret and `settings`, on ports chosen before the tenant starts.
 */
export async function startTwoApps(settings: (tenant: DevTenant) => Partial<RawSettings> = () => ({})): Promise<TwoApps> {
  const [firstPort, secondPort] = [await freePort(), await freePort()];
  const firstOrigin = `http://localhost:${firstPort}`;
  const secondOrigin = `http://127.0.0.1:${secondPort}`;
  const uris = (origin: string) => ({
    redirectUris: [`${origin}/auth/redirect`], postLogoutRedirectUris: [`${origin}/auth/post_sign_out`],
    frontChannelLogoutUri: `${origin}/auth/front_channel_logout`,
  });
  const tenant = await startTenant({ ...uris(firstOrigin), extraClients: [{ name: 'Second app', ...uris(secondOrigin) }] });
  const extra = tenant.extraClients[0]!;
  const first = await startApp(tenant, { ...settings(tenant), port: String(firstPort) });
  const second = await startApp(tenant, {
    ...settings(tenant), port: String(secondPort), redirectUri: `${secondOrigin}/auth/redirect`, clientId: extra.clientId, clientSecret: extra.clientSecret,
  });
  await Promise.all([first.metadata.get(), second.metadata.get()]);
  return { tenant, first, second: { ...second, origin: secondOrigin } };
}

/** The iframe URLs on the tenant's sign-out page. */
export function frontChannelFrames(html: string): string[] {
  return [...html.matchAll(/<iframe\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
}
