/**
 * A query parameter sent exactly once and not empty, or undefined: Express's query parser makes a
 * repeated parameter an array and a bracketed one an object, neither of which a callback may carry.
 */
export function single(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
