export type { AuthEndpoints, AuthorityType, ClientCredential, Config, RawSettings, RoleTenants, SettingOrigin, UserFlow, UserFlows } from './types.ts';
export { ConfigError } from './errors.ts';
export { readSettings } from './source.ts';
export { isPlaceholder } from './parse.ts';
export { buildConfig, collectConfigProblems, wantsDevTenant } from './validate.ts';
