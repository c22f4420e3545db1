/** Stable error codes thrown by the development tenant. */
export const DEV_TENANT_ERROR_CODES = {
  /** startDevTenant was called with nodeEnv "production". */
  inProduction: 'DEV_TENANT_IN_PRODUCTION',
  /** An option has an invalid value (port, TTL, redirect URI...). */
  invalidOption: 'DEV_TENANT_INVALID_OPTION',
  /** A file in the data directory exists but cannot be used. */
  badDataDir: 'DEV_TENANT_BAD_DATA_DIR',
  /** The HTTPS server could not listen (port in use...). */
  listenFailed: 'DEV_TENANT_LISTEN_FAILED',
} as const;

/** The one error class of the development tenant: compare `code`, not the message. */
export class DevTenantError extends Error {
  code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DevTenantError';
    this.code = code;
  }
}
