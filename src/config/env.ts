/**
 * The one reader of settings from the environment. Every setting goes through these functions so
 * a value means the same in every variable: switches are on/true/1 or off/false/0 (any case),
 * whole numbers are decimal digits only, and an unset or blank variable takes its default.
 * Anything else throws ConfigError naming the variable: a typo must stop the start, not be read
 * as some default (`MIGRATE_ON_START=false` used to migrate, `OUTBOX_POLL_MS=1e3` to poll at once).
 */

export type Env = NodeJS.ProcessEnv;

/** A setting the process cannot start with; the message names the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

const ON = ['on', 'true', '1'];
const OFF = ['off', 'false', '0'];
export const SWITCH_VALUES = `${ON.join(', ')} or ${OFF.join(', ')}`;

/** The value, or undefined when unset or blank. Not trimmed: secrets are taken byte for byte. */
export function envString(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw;
}

/** A switch word as a boolean, undefined for anything else. */
export function parseSwitch(raw: string): boolean | undefined {
  const word = raw.trim().toLowerCase();
  if (ON.includes(word)) return true;
  if (OFF.includes(word)) return false;
  return undefined;
}

/** Decimal digits only: `Number()` would also take '1e3', '0x10', '1.0' and ' '. */
export function parseWholeNumber(raw: string): number | undefined {
  const digits = raw.trim();
  if (!/^\d+$/.test(digits)) return undefined;
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : undefined;
}

export function envSwitch(env: Env, name: string, fallback: boolean): boolean {
  const raw = envString(env, name);
  if (raw === undefined) return fallback;
  const value = parseSwitch(raw);
  if (value === undefined) {
    throw new ConfigError(name, `${name} must be ${SWITCH_VALUES} (got "${raw}")`);
  }
  return value;
}

export interface IntRange {
  min?: number;
  max?: number;
}

export function envInt(
  env: Env,
  name: string,
  fallback: number,
  { min = 1, max = Number.MAX_SAFE_INTEGER }: IntRange = {},
): number {
  const raw = envString(env, name);
  if (raw === undefined) return fallback;
  const value = parseWholeNumber(raw);
  if (value === undefined || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `${min} to ${max}`;
    throw new ConfigError(name, `${name} must be a whole number, ${range} (got "${raw}")`);
  }
  return value;
}

/** One of `values`, compared in lower case. */
export function envEnum<T extends string>(
  env: Env,
  name: string,
  values: readonly T[],
  fallback: T,
): T {
  const raw = envString(env, name);
  if (raw === undefined) return fallback;
  const value = values.find((v) => v === raw.trim().toLowerCase());
  if (value === undefined) {
    throw new ConfigError(name, `${name} must be one of ${values.join(', ')} (got "${raw}")`);
  }
  return value;
}

/** A URL with one of `protocols` (e.g. 'redis:'); the value is not echoed, it may hold a password. */
export function envUrl(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = envString(env, name)?.trim();
  if (raw === undefined) return undefined;
  let protocol: string | undefined;
  try {
    protocol = new URL(raw).protocol;
  } catch {
    protocol = undefined;
  }
  if (!protocol || !protocols.includes(protocol)) {
    const accepted = protocols.map((p) => `${p}//`).join(' or ');
    throw new ConfigError(name, `${name} must be a ${accepted} URL`);
  }
  return raw;
}
