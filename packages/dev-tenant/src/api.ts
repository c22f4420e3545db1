/** The DevTenant object handed to callers: read-only facts plus the run-time controls tests use. */
import { accessPolicyControls } from './access-policies.ts';
import { adminConsentControls } from './admin-consent.ts';
import { DEV_TENANT_ERROR_CODES, DevTenantError } from './errors.ts';
import { checkTtl } from './options.ts';
import { GUEST_TENANT_ID } from './organizations.ts';
import { rotate } from './running.ts';
import type { Running } from './running.ts';
import type { DevTenant } from './types.ts';

type Controls = Pick<DevTenant, 'setAccessTokenTtl' | 'injectFault' | 'tamperIdToken' | 'clearFaults' | 'rotateSigningKey'>;

/** What tests switch at run time: token lifetime, faults, hostile ID tokens, key rotation. */
function controls(running: Running): Controls {
  const { faults, tampers, ttl } = running;
  let rotation: Promise<void> = Promise.resolve();
  return {
    setAccessTokenTtl: (seconds) => {
      ttl.seconds = checkTtl(seconds);
    },
    injectFault: (target, fault) => faults.inject(target, fault),
    tamperIdToken: (tamper) => tampers.inject(tamper),
    clearFaults: () => {
      faults.clear();
      tampers.clear();
      running.responseTampers.clear();
    },
    rotateSigningKey: (options) => {
      // One rotation at a time: each builds on the keys the previous one left.
      rotation = rotation.catch(() => undefined).then(() => rotate(running, options?.keepOld ?? true));
      return rotation;
    },
  };
}

/** Malformed token responses, B2C's "Require ID Token in logout requests" and front-channel `iss` (RealTenantControls). */
function responseControls(running: Running): Pick<DevTenant, 'tamperTokenResponse' | 'requireIdTokenHint' | 'frontChannelLogoutIss'> {
  return {
    tamperTokenResponse: (tamper) => running.responseTampers.inject(tamper),
    requireIdTokenHint: (required) => {
      if (running.settings.shape !== 'b2c') throw new DevTenantError(DEV_TENANT_ERROR_CODES.invalidOption, "requireIdTokenHint is for shape 'b2c' only");
      running.logout.requireIdTokenHint = required === true;
    },
    frontChannelLogoutIss: (send) => {
      running.logout.frontChannelIss = send !== false;
    },
  };
}

export function publicApi(running: Running): DevTenant {
  const { tenant, secrets, tls, listeners, log, abort } = running;
  let closed: Promise<void> | undefined;
  const guest = tenant.organizations?.byTenantId(GUEST_TENANT_ID);
  return {
    tenantId: tenant.tenantId,
    authority: `${tenant.origin}${tenant.mountPath}`,
    authorities: {
      tenant: `${tenant.origin}${tenant.mountPath}`,
      organizations: `${tenant.origin}/organizations`,
      common: `${tenant.origin}/common`,
    },
    guestTenant: { tenantId: GUEST_TENANT_ID, issuer: guest?.issuer ?? '', users: guest?.users ?? [] },
    clientCertificate: Object.freeze({ ...running.clientCertificate }),
    issuer: tenant.issuer,
    graphEndpoint: tenant.graphEndpoint,
    clientId: secrets.clientId,
    clientSecret: secrets.clientSecret,
    extraClients: Object.freeze(running.extraClients.map(({ clientId, clientSecret }) => Object.freeze({ clientId, clientSecret }))),
    caPem: tls.caPem,
    caFile: tls.caFile,
    get users() {
      return tenant.users.users;
    },
    findUser: (upn) => tenant.users.users.find((u) => u.userPrincipalName.toLowerCase() === upn.toLowerCase()),
    groups: tenant.groups?.groups ?? [],
    groupsOf: (oid) => tenant.groups?.of(oid) ?? [],
    shape: running.settings.shape,
    ...running.shape?.api(),
    counts: () => log.counts(),
    timings: () => log.timings(),
    resetCounts: () => log.reset(),
    get graphCalls() {
      return log.graphCalls();
    },
    ...controls(running),
    ...responseControls(running),
    ...adminConsentControls(tenant),
    ...accessPolicyControls(tenant),
    close: () => {
      abort.abort();
      closed ??= listeners.close();
      return closed;
    },
  };
}
