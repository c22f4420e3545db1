/**
 * The clients of the tenant's oidc-provider: the main app registration and the extra ones
 * (DevTenantOptions.extraClients), all confidential web apps with the same authentication method.
 */
import type { Configuration } from 'oidc-provider';

import { clientAuthMetadata } from './client-auth.ts';
import { CLIENT_NAME } from './context.ts';
import type { FrontChannelUrls } from './front-channel.ts';
import type { ProviderInput } from './provider.ts';

type ClientMetadata = NonNullable<Configuration['clients']>[number];

interface Registration {
  clientId: string;
  clientSecret: string;
  name: string;
  redirectUris: readonly string[];
  postLogoutRedirectUris: readonly string[];
}

function metadata(input: ProviderInput, registration: Registration): ClientMetadata {
  return {
    client_id: registration.clientId,
    client_secret: registration.clientSecret,
    client_name: registration.name,
    application_type: 'web',
    token_endpoint_auth_method: 'client_secret_post',
    ...(input.clientAuth ? clientAuthMetadata(input.clientAuth.method, registration.clientSecret, input.clientAuth.certificate) : {}),
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: [...registration.redirectUris],
    post_logout_redirect_uris: [...registration.postLogoutRedirectUris],
    ...input.shape?.clientMetadata,
  };
}

/** oidc-provider's `clients`: the main client first, then the extra registrations in order. */
export function providerClients(input: ProviderInput): ClientMetadata[] {
  const { clientId, clientSecret } = input.secrets;
  const main = { clientId, clientSecret, name: CLIENT_NAME, redirectUris: input.redirectUris, postLogoutRedirectUris: input.postLogoutRedirectUris };
  return [main, ...input.extraClients ?? []].map((registration) => metadata(input, registration));
}

/** Every client id the provider knows (for checks keyed by client). */
export function providerClientIds(input: ProviderInput): string[] {
  return [input.secrets.clientId, ...(input.extraClients ?? []).map((c) => c.clientId)];
}

/** The registered Front-channel logout URLs by client id. */
export function frontChannelUrls(input: ProviderInput): FrontChannelUrls {
  const urls = new Map<string, string>();
  if (input.frontChannelLogoutUri !== undefined) urls.set(input.secrets.clientId, input.frontChannelLogoutUri);
  for (const extra of input.extraClients ?? []) if (extra.frontChannelLogoutUri !== undefined) urls.set(extra.clientId, extra.frontChannelLogoutUri);
  return urls;
}
