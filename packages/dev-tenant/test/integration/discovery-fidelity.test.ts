/**
 * The development tenant's discovery documents against real ones recorded from Microsoft's
 * documentation (test/fixtures/discovery, sources in its README.md): same fields, same types, the
 * same URL structure relative to the authority. Known differences: discovery-known-differences.ts.
 */

import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { DevTenant, DevTenantOptions } from '../../src/index.ts';
import { B2C_DIFFERENCES, ENTRA_DIFFERENCES, EXTERNAL_ID_DIFFERENCES } from './discovery-known-differences.ts';
import { fixture, relativeUrl, served, shapeDifferences } from './discovery-shape.ts';
import type { Metadata, Place } from './discovery-shape.ts';
import { startTestTenant } from './helpers.ts';

/** Kept across runs, so the certificate authority and keys are made once. */
const DATA_DIR = join(tmpdir(), 'contoso-dev-tenant-tests');

async function startTenant(options: DevTenantOptions = {}): Promise<DevTenant> {
  return (await startTestTenant({ ...options, dataDir: DATA_DIR })).tenant;
}

/** The places the fixtures were recorded at (placeholder tenant ids and names). */
const REAL = {
  tenant: { authority: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001', tenantId: '00000000-0000-0000-0000-000000000001' },
  organizations: { authority: 'https://login.microsoftonline.com/organizations', tenantId: '00000000-0000-0000-0000-000000000001' },
  common: { authority: 'https://login.microsoftonline.com/common', tenantId: '00000000-0000-0000-0000-000000000001' },
  externalId: { authority: 'https://contoso.ciamlogin.com/00000000-0000-0000-0000-000000000002', tenantId: '00000000-0000-0000-0000-000000000002' },
  b2c: { authority: 'https://contoso.b2clogin.com/contoso.onmicrosoft.com/b2c_1_susi', tenantId: '00000000-0000-0000-0000-000000000003' },
} as const satisfies Record<string, Place>;

/** Claims the app reads that both the real and the dev tenant's `claims_supported` name. */
const ENTRA_CLAIMS = ['sub', 'iss', 'tid', 'ver', 'name', 'preferred_username', 'email', 'auth_time'];
const B2C_CLAIMS = ['sub', 'oid', 'tfp', 'name', 'emails', 'idp', 'iss', 'auth_time'];

function assertClaims(metadata: Metadata, claims: readonly string[]): void {
  const supported = metadata['claims_supported'] as string[];
  for (const claim of claims) assert.ok(supported.includes(claim), `claims_supported lacks ${claim}`);
}

describe('discovery fidelity: Entra ID (workforce)', () => {
  let tenant: DevTenant;
  before(async () => { tenant = await startTenant(); });
  after(async () => { await tenant?.close(); });

  it('should serve the fields of a workforce tenant document in the same shapes when /{tenant-id} is fetched', async () => {
    const mine = await served(tenant.authorities.tenant);
    const places = { real: REAL.tenant, mine: { authority: tenant.authorities.tenant, tenantId: tenant.tenantId } };
    assert.deepEqual(shapeDifferences(fixture('entra-tenant.json'), mine, places, ENTRA_DIFFERENCES), []);
    assert.equal(relativeUrl(String(mine['jwks_uri']), places.mine), '{authority}/discovery/v2.0/keys');
    assert.equal(typeof mine['tenant_region_scope'], 'string');
    assert.deepEqual(mine['subject_types_supported'], ['pairwise']);
    assertClaims(mine, ENTRA_CLAIMS);
  });

  for (const authority of ['organizations', 'common'] as const) {
    it(`should serve the {tenantid} issuer template and no region when /${authority} is fetched`, async () => {
      const mine = await served(tenant.authorities[authority]);
      const places = { real: REAL[authority], mine: { authority: tenant.authorities[authority], tenantId: tenant.tenantId } };
      assert.deepEqual(shapeDifferences(fixture(`entra-${authority}.json`), mine, places, ENTRA_DIFFERENCES), []);
      assert.equal(relativeUrl(String(mine['issuer']), places.mine), '{origin}/{tenantid}/v2.0');
      assert.equal(mine['tenant_region_scope'], null);
      assert.equal('authorization_response_iss_parameter_supported' in mine, false);
    });
  }

  it('should answer with keys at the jwks_uri of every authority', async () => {
    for (const authority of Object.values(tenant.authorities)) {
      const { keys } = await (await fetch(String((await served(authority))['jwks_uri']))).json() as { keys: unknown[] };
      assert.ok(keys.length > 0, authority);
    }
  });
});

describe('discovery fidelity: External ID', () => {
  let tenant: DevTenant;
  before(async () => { tenant = await startTenant({ shape: 'external_id' }); });
  after(async () => { await tenant?.close(); });

  it('should serve the fields of an external tenant document in the same shapes when /{tenant-id} is fetched', async () => {
    const authority = tenant.externalId!.authorities.tenantId;
    const mine = await served(authority);
    const places = { real: REAL.externalId, mine: { authority, tenantId: tenant.tenantId } };
    assert.deepEqual(shapeDifferences(fixture('external-id.json'), mine, places, EXTERNAL_ID_DIFFERENCES), []);
    // The issuer's path is /{tid}/v2.0 in both; the real one is on the host {tid}.ciamlogin.com.
    const path = (issuer: unknown, place: Place) => new URL(String(issuer)).pathname.split(place.tenantId).join('{tid}');
    assert.equal(path(mine['issuer'], places.mine), path(fixture('external-id.json')['issuer'], REAL.externalId));
    assertClaims(mine, ENTRA_CLAIMS);
  });

  it('should publish an issuer outside the authority when the tenant domain authority is fetched', async () => {
    const { domain, tenantId } = tenant.externalId!.authorities;
    const [byDomain, byId] = [await served(domain), await served(tenantId)];
    assert.equal(byDomain['issuer'], byId['issuer']);
    assert.equal(String(byDomain['issuer']).startsWith(`${domain}/`), false);
    assert.deepEqual(Object.keys(byDomain).sort(), Object.keys(byId).sort());
    assert.equal(relativeUrl(String(byDomain['jwks_uri']), { authority: domain, tenantId: tenant.tenantId }), '{authority}/discovery/v2.0/keys');
  });
});

describe('discovery fidelity: Azure AD B2C', () => {
  let tenant: DevTenant;
  before(async () => { tenant = await startTenant({ shape: 'b2c' }); });
  after(async () => { await tenant?.close(); });

  it('should serve the fields of a user flow document in the same shapes when a user flow is fetched', async () => {
    const authority = tenant.b2c!.authorities.susi;
    const mine = await served(authority);
    const places = { real: REAL.b2c, mine: { authority, tenantId: tenant.tenantId } };
    assert.deepEqual(shapeDifferences(fixture('b2c-user-flow.json'), mine, places, B2C_DIFFERENCES), []);
    assert.equal(relativeUrl(String(mine['issuer']), places.mine), '{origin}/{tid}/v2.0/');
    assertClaims(mine, B2C_CLAIMS);
  });

  it('should publish one issuer with a trailing slash for every user flow', async () => {
    const issuers = new Set<unknown>();
    for (const authority of Object.values(tenant.b2c!.authorities)) issuers.add((await served(authority))['issuer']);
    assert.equal(issuers.size, 1);
    assert.match(String([...issuers][0]), /\/v2\.0\/$/);
  });
});
