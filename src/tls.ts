import tls from 'node:tls';

/**
 * Adds a certificate authority to the ones this process trusts for every outgoing https
 * request (global fetch used by MSAL and jose, and axios). Certificate checks stay on.
 * Needs Node ≥ 24.5 (`tls.setDefaultCACertificates`).
 */
export function trustCertificateAuthority(pem: string): void {
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), pem]);
}
