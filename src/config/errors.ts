/**
 * A configuration value is missing, malformed or still a placeholder.
 * The message names the key and how to fix it, and never contains a secret.
 */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  readonly key: string;

  constructor(key: string, message: string) {
    super(message);
    this.name = 'ConfigError';
    this.key = key;
  }
}
