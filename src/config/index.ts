export type { AuthEndpoints, AuthorityType, Config, RawSettings } from './types.ts';
export { ConfigError } from './errors.ts';
export { readSettings } from './source.ts';
export { buildConfig, isPlaceholder, wantsDevTenant } from './validate.ts';
