import type { SignedInUser } from '../auth/signed-in-user.ts';

declare module 'express-session' {
  interface SessionData {
    /** Set at sign-in; the session id is regenerated at that moment. */
    user: SignedInUser;
    /** When the user signed in (ms since epoch): the absolute lifetime counts from here. */
    signedInAt: number;
    /** Last request of the signed-in user, to a minute: the idle timeout counts from here. */
    lastSeenAt: number;
    /** Synchronizer token for state-changing forms (sign-out). */
    csrfToken: string;
    /** Claims a resource asked for (a claims challenge), sent with the next sign-in, then dropped. */
    claimsChallenge: string;
    /** Scopes a page needs that the user has not consented to: asked at the next sign-in, then dropped. */
    consentScopes: string[];
    /** Consecutive sign-ins forced by interaction-required errors, to stop redirect loops. */
    interactionRedirects: { count: number; since: number };
  }
}
