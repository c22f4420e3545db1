/**
 * Continuous Access Evaluation at the Graph emulator: after a critical event (here Graph's
 * `revokeSignInSessions`), Graph refuses the user's tokens issued before it — but only tokens of
 * clients that declared the `CP1` capability (`xms_cc`), with a claims challenge asking for a token
 * issued after the event. Tokens of other clients stay valid until they expire.
 * https://learn.microsoft.com/entra/identity/conditional-access/concept-continuous-access-evaluation,
 * https://learn.microsoft.com/entra/identity-platform/app-resilience-continuous-access-evaluation
 */
import type { TenantContext } from './context.ts';
import type { GraphCaller } from './graph-auth.ts';
import { bearerChallenge } from './graph-errors.ts';

/**
 * Graph's message (and the challenge's `errorDescription`) for a token issued before the user's
 * sessions were revoked, as Graph sends it
 * (https://github.com/microsoftgraph/msgraph-sdk-dotnet/issues/1416, msgraph-sdk-powershell#1741).
 */
export const CAE_REVOKED_MESSAGE = 'Continuous access evaluation resulted in claims challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp';

/** A refusal: the `WWW-Authenticate` header and the error message of Graph's 401 InvalidAuthenticationToken. */
export interface CaeRefusal {
  header: string;
  message: string;
}

/**
 * The 401 challenge for a CAE-capable caller whose token was issued before the user's sessions
 * were revoked: `error="insufficient_claims"` and `claims` = base64 of
 * `{"access_token":{"nbf":{"essential":true,"value":"<revocation time>"}}}`; undefined when Graph
 * accepts the token.
 */
export function caeRefusal(tenant: TenantContext, caller: GraphCaller): CaeRefusal | undefined {
  const validFrom = tenant.access?.validFrom(caller.oid);
  const capable = caller.capabilities.some((c) => c.toLowerCase() === 'cp1');
  if (validFrom === undefined || !capable || !tenant.access?.revoked(caller.oid, caller.iat)) return undefined;
  const claims = JSON.stringify({ access_token: { nbf: { essential: true, value: String(validFrom) } } });
  return {
    header: bearerChallenge(tenant.issuer, 'insufficient_claims', {
      claims: Buffer.from(claims).toString('base64'), errorDescription: CAE_REVOKED_MESSAGE,
    }),
    message: CAE_REVOKED_MESSAGE,
  };
}
