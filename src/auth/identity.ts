import { ConfidentialClientApplication } from '@azure/msal-node';
import type { Configuration } from '@azure/msal-node';
import type { Config, UserFlow } from '../config/index.ts';
import { AppError, ErrorCode } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { TokenCacheStore } from '../stores/token-cache.ts';
import type { Authorities } from './authorities.ts';
import { usernameOf } from './account-name.ts';
import { UserCachePlugin } from './cache-plugin.ts';
import { checkRefreshedIdToken, verifyIdToken } from './id-token.ts';
import type { IdTokenExpectations } from './id-token.ts';
import { issuerMatches } from './metadata.ts';
import type { AuthorityMetadata } from './metadata.ts';
import { fromMsalError } from './msal-errors.ts';
import { credentialOptions, msalOptions } from './msal-options.ts';
import { TimeoutNetworkClient } from './network.ts';
import type { AcquiredToken } from './refreshed-claims.ts';
import { logoutUrl } from './sign-out-url.ts';
import { newCacheKey } from './signed-in-user.ts';
import type { SignedInUser } from './signed-in-user.ts';
import type { LoginTransaction } from './transactions.ts';

export type { SignedInUser } from './signed-in-user.ts';

export interface IdentityDeps {
  readonly authorities: Authorities;
  readonly tokenCaches: TokenCacheStore;
  readonly logger: Logger;
}

/** An ID token issued longer ago than this is refused even if unexpired. */
const ID_TOKEN_MAX_AGE_SECONDS = 60 * 60;

/**
 * The one wrapper around MSAL's ConfidentialClientApplication. Each operation builds a
 * short-lived client bound to one user's token cache (no cache is shared between users),
 * from metadata fetched once per process, so MSAL makes no discovery request.
 */
export class Identity {
  readonly #config: Config;
  readonly #deps: IdentityDeps;
  readonly #network: TimeoutNetworkClient;
  /** Token acquisitions under way, per user and scopes: concurrent requests share one refresh. */
  readonly #inflight = new Map<string, Promise<AcquiredToken>>();
  readonly #credential: ReturnType<typeof credentialOptions>;
  /** MSAL options per user flow for its loaded metadata, built once; each client adds only its cache plugin. */
  readonly #options = new Map<UserFlow, { metadata: AuthorityMetadata; value: Configuration }>();

  constructor(config: Config, deps: IdentityDeps) {
    this.#config = config;
    this.#deps = deps;
    this.#network = new TimeoutNetworkClient(config.httpTimeoutMs);
    this.#credential = credentialOptions(config.credential);
  }

  async #client(flow: UserFlow, plugin?: UserCachePlugin): Promise<ConfidentialClientApplication> {
    const base = this.#baseOptions(flow, await this.#deps.authorities.metadata(flow));
    return new ConfidentialClientApplication(plugin ? { ...base, cache: { cachePlugin: plugin } } : base);
  }

  #baseOptions(flow: UserFlow, metadata: AuthorityMetadata): Configuration {
    const cached = this.#options.get(flow);
    if (cached?.metadata === metadata) return cached.value;
    const value = msalOptions({
      clientId: this.#config.clientId, credential: this.#credential, authority: this.#deps.authorities.authority(flow),
      metadata, network: this.#network, logger: this.#deps.logger,
    });
    this.#options.set(flow, { metadata, value });
    return value;
  }

  async #expectations(flow: UserFlow, nonce: string | undefined): Promise<IdTokenExpectations> {
    const metadata = await this.#deps.authorities.metadata(flow);
    return {
      issuer: metadata.issuer, clientId: this.#config.clientId, nonce, allowedTenants: this.#config.allowedTenants,
      clockSkewSeconds: this.#config.clockSkewSeconds, maxAgeSeconds: ID_TOKEN_MAX_AGE_SECONDS,
      userFlow: this.#deps.authorities.policy(flow),
    };
  }

  /**
   * Mix-up defence (RFC 9207 §2.4): an `iss` on the authorization response must be this authority's
   * issuer, and must be there when the metadata promises it. Entra sends none, so it is optional there.
   */
  async checkResponseIssuer(iss: unknown, flow: UserFlow = 'signIn'): Promise<void> {
    const metadata = await this.#deps.authorities.metadata(flow);
    if (iss === undefined && !metadata.authorization_response_iss_parameter_supported) return;
    if (typeof iss !== 'string' || !issuerMatches(metadata.issuer, iss)) {
      throw new AppError(ErrorCode.BAD_CALLBACK, 400, 'authorization response from another issuer', {
        detail: 'This sign-in response did not come from the configured identity provider. Please sign in again.',
        facts: { reason: 'iss_mismatch' },
      });
    }
  }

  /**
   * The authorization request URL: code flow with PKCE S256, state and nonce (OIDC Core §3.1.2.1).
   * `prompt: 'create'` opens External ID's sign-up page; B2C user flows get no prompt.
   */
  async signInUrl(params: {
    state: string; nonce: string; codeChallenge: string; scopes: readonly string[]; claims?: string | undefined;
    flow?: UserFlow | undefined; prompt?: 'create' | undefined;
  }): Promise<string> {
    const flow = params.flow ?? 'signIn';
    const client = await this.#client(flow);
    const prompt = params.prompt ?? (this.#config.authorityType === 'B2C' ? undefined : 'select_account');
    try {
      return await client.getAuthCodeUrl({
        scopes: [...params.scopes],
        redirectUri: this.#config.redirectUri,
        state: params.state,
        nonce: params.nonce,
        codeChallenge: params.codeChallenge,
        codeChallengeMethod: 'S256',
        responseMode: 'query',
        ...(prompt ? { prompt } : {}),
        ...(params.claims ? { claims: params.claims } : {}),
      });
    } catch (error) {
      throw fromMsalError(error, 'authorize');
    }
  }

  /** Redeems an authorization code, verifies the ID token, then stores the tokens in a new cache of this session's own. */
  async redeemCode(code: string, tx: LoginTransaction): Promise<SignedInUser> {
    const flow = tx.flow ?? 'signIn';
    const plugin = new UserCachePlugin(this.#deps.tokenCaches);
    const client = await this.#client(flow, plugin);
    let result;
    try {
      result = await client.acquireTokenByCode({
        code, redirectUri: this.#config.redirectUri, scopes: [...tx.scopes], codeVerifier: tx.codeVerifier, nonce: tx.nonce,
      });
    } catch (error) {
      throw fromMsalError(error, 'redeem');
    }
    const claims = await verifyIdToken(result.idToken, await this.#deps.authorities.keySet(flow), await this.#expectations(flow, tx.nonce));
    const account = result.account;
    if (!account || plugin.serialized === undefined) {
      throw new AppError(ErrorCode.IDP_UNAVAILABLE, 502, 'token response had no account');
    }
    const cacheKey = newCacheKey();
    await this.#deps.tokenCaches.set(cacheKey, plugin.serialized, 0);
    const username = usernameOf(claims, account.username);
    const name = typeof claims.name === 'string' ? claims.name : account.name ?? username;
    return { homeAccountId: account.homeAccountId, cacheKey, name, username, claims: { ...claims }, flow };
  }

  /**
   * An access token for `scopes` from the user's cache: no network call while the cached token is
   * valid; a refresh when due, with its verified ID token's claims. Throws INTERACTION_REQUIRED when only a
   * new sign-in can help; SESSION_REVOKED (grant revoked/expired) or ID_TOKEN_INVALID (another user): end the session.
   * Concurrent calls for the same session and scopes share one acquisition (one refresh, not one each).
   */
  acquireToken(user: SignedInUser, scopes: readonly string[]): Promise<AcquiredToken> {
    const key = `${user.cacheKey} ${scopes.join(' ')}`;
    const pending = this.#inflight.get(key);
    if (pending) return pending;
    const work = this.#acquire(user, scopes).finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, work);
    return work;
  }

  async #acquire(user: SignedInUser, scopes: readonly string[]): Promise<AcquiredToken> {
    const flow = user.flow ?? 'signIn';
    const client = await this.#client(flow, new UserCachePlugin(this.#deps.tokenCaches, user.cacheKey));
    const account = await client.getTokenCache().getAccountByHomeId(user.homeAccountId);
    if (!account) throw new AppError(ErrorCode.INTERACTION_REQUIRED, 401, 'no cached account for this session');
    let result;
    try {
      result = await client.acquireTokenSilent({ account, scopes: [...scopes] });
    } catch (error) {
      throw fromMsalError(error, 'silent');
    }
    const claims = !result.fromCache && result.idToken
      ? await checkRefreshedIdToken(result.idToken, user.claims, await this.#deps.authorities.keySet(flow), await this.#expectations(flow, undefined))
      : undefined;
    return { accessToken: result.accessToken, claims };
  }

  /** Deletes this session's token cache (at sign-out); the user's other sessions keep theirs. */
  async forget(user: SignedInUser): Promise<void> {
    await this.#deps.tokenCaches.delete(user.cacheKey);
  }

  /** The authority's logout URL for `user`; `idTokenHint` only where the authority requires it (sign-out-url.ts). */
  async signOutUrl(user: SignedInUser, idTokenHint?: string): Promise<string> {
    const metadata = await this.#deps.authorities.metadata(user.flow ?? 'signIn');
    return logoutUrl(metadata.end_session_endpoint, this.#config, user.claims, idTokenHint);
  }

  /** The ID token `user` signed in with, from their token cache (never the session or a log); read it before forget(). */
  async idToken(user: SignedInUser): Promise<string | undefined> {
    const client = await this.#client(user.flow ?? 'signIn', new UserCachePlugin(this.#deps.tokenCaches, user.cacheKey));
    return (await client.getTokenCache().getAccountByHomeId(user.homeAccountId))?.idToken;
  }
}
