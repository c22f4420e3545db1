export type { AuthEndpoints, AuthorityType, Config, RawSettings } from './types.ts';
export { ConfigError } from './errors.ts';
export { readSettings } from './source.ts';
export { isPlaceholder } from './parse.ts';
export { buildConfig, wantsDevTenant } from './validate.ts';
