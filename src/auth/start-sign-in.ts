import type { Request, Response } from 'express';
import type { Config, UserFlow } from '../config/index.ts';
import { save } from '../http/session-async.ts';
import type { Identity } from './identity.ts';
import { beginTransaction, TRANSACTION_TTL_MS } from './transactions.ts';

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
 */
export function signInStarter(config: Config, identity: Identity): StartSignIn {
  return async (req, res, { returnTo, flow, prompt }) => {
    const scopes = [...new Set([...config.signInScopes, ...(req.session.consentScopes ?? [])])];
    const claims = req.session.claimsChallenge;
    delete req.session.consentScopes;
    delete req.session.claimsChallenge;
    const tx = beginTransaction(req.session, { returnTo, scopes, flow });
    // A session made only to carry sign-ins lives no longer than they do.
    if (!req.session.user) req.session.cookie.maxAge = TRANSACTION_TTL_MS;
    const url = await identity.signInUrl({ ...tx, scopes, claims, flow, prompt });
    await save(req.session);
    res.redirect(303, url);
  };
}
