import type { Request, Response } from 'express';
import type { Config, UserFlow } from '../config/index.ts';
import { save } from '../http/session-async.ts';
import type { Identity } from './identity.ts';
import type { LoginTransactions } from './transaction-cookie.ts';

/** Where a sign-in goes: back to `returnTo`, through `flow`'s authority, optionally straight to sign-up. */
export interface SignInRequest {
  readonly returnTo: string;
  readonly flow?: UserFlow | undefined;
  readonly prompt?: 'create' | undefined;
}

export type StartSignIn = (req: Request, res: Response, request: SignInRequest) => Promise<void>;

/**
 * Starts an authorization request and redirects the browser to it. The scopes are the sign-in
 * scopes plus any a page asked for (incremental consent); a pending claims challenge rides along
 * once. Both were put in the session by the server, never taken from the request.
 * The transaction goes into the browser's sealed cookie: no store row is written for it, and the
 * session is saved only when a signed-in user's consent scopes or claims challenge were used up.
 */
export function signInStarter(config: Config, identity: Identity, transactions: LoginTransactions): StartSignIn {
  return async (req, res, { returnTo, flow, prompt }) => {
    const scopes = [...new Set([...config.signInScopes, ...(req.session.consentScopes ?? [])])];
    const claims = req.session.claimsChallenge;
    const usedUp = req.session.consentScopes !== undefined || claims !== undefined;
    delete req.session.consentScopes;
    delete req.session.claimsChallenge;
    const started = transactions.start(req, res, { returnTo, scopes, flow });
    const url = await identity.signInUrl({ ...started, scopes, claims, flow, prompt });
    if (usedUp) await save(req.session);
    res.redirect(303, url);
  };
}
