/** How much the benchmark does: `--quick` (under a minute, only exact counts decide) or full. */
export interface Plan {
  readonly quick: boolean;
  /** Measured load rounds per target (app and baseline alternate), after one warm-up round each. */
  readonly rounds: number;
  readonly roundSeconds: number;
  /** autocannon connections for B1 and B2. */
  readonly connections: number;
  /** B4: timed sign-ins after the first one. */
  readonly signIns: number;
  /** B5: unmeasured sign-ins first (JIT, pools), then the sign-ins after which memory is read (cumulative), and how many run at once. */
  readonly memoryWarmup: number;
  readonly memoryCheckpoints: readonly number[];
  readonly memoryConcurrency: number;
  /** B6: cold starts, of which the median counts. */
  readonly coldStarts: number;
  /** B7: concurrent Graph calls with an expired access token. */
  readonly refreshCalls: number;
  /** Stores to run the app with: the embedded one, and Redis when REDIS_URL is set. */
  readonly redisUrl: string | undefined;
}

/** The plan for the command line `args` and environment `env` (REDIS_URL). */
export function planFor(args: readonly string[], env: Readonly<Record<string, string | undefined>>): Plan {
  const quick = args.includes('--quick');
  const redisUrl = env['REDIS_URL']?.trim() || undefined;
  return quick
    ? { quick, rounds: 1, roundSeconds: 1, connections: 10, signIns: 10, memoryWarmup: 100, memoryCheckpoints: [200], memoryConcurrency: 8, coldStarts: 3, refreshCalls: 100, redisUrl }
    : { quick, rounds: 3, roundSeconds: 5, connections: 10, signIns: 50, memoryWarmup: 200, memoryCheckpoints: [1000, 5000], memoryConcurrency: 8, coldStarts: 5, refreshCalls: 100, redisUrl };
}
