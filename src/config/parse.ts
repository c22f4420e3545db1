/** Small parsers shared by the validators: each throws a ConfigError naming the key and the fix. */
import { ConfigError } from './errors.ts';

/** For the sample's `{enter-...}` placeholders, in whole or in part of a value. */
export function isPlaceholder(value: string | undefined): boolean {
  return value === undefined || /\{[^}]*\}/.test(value);
}

/** A value that must be set and must not be a placeholder; a secret is never echoed. */
export function required(key: string, value: string | undefined, secret = false): string {
  if (value === undefined) throw new ConfigError(key, `${key} is not set: set it in .env (see .env.sample)`);
  if (isPlaceholder(value)) {
    const shown = secret ? 'still a placeholder' : `"${value}"`;
    throw new ConfigError(key, `${key} is ${shown}: set it in .env (see .env.sample)`);
  }
  return value;
}

/** An absolute URL, or a ConfigError naming the key with `hint`. */
export function parseUrl(key: string, value: string, hint: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new ConfigError(key, `${key} "${value}" is not an absolute URL: ${hint}`);
  }
}

/** A whole number in [min, max], or `fallback` when unset. */
export function integer(key: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new ConfigError(key, `${key} "${value}" must be a whole number from ${min} to ${max}`);
  }
  return n;
}

/**
 * Runs validation steps one by one, keeping every ConfigError instead of stopping at the first:
 * a failed step yields `fallback` so the steps after it still run. `buildConfig` throws the first
 * problem, `collectConfigProblems` (check-config) reports them all, from the same steps.
 */
export class Problems {
  readonly list: ConfigError[] = [];

  check<T>(step: () => T, fallback: T): T {
    try {
      return step();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      if (!this.list.some((p) => p.key === error.key && p.message === error.message)) this.list.push(error);
      return fallback;
    }
  }
}
