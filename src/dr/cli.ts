import { parseArgs } from 'node:util';
import { ConfigError } from '../config/errors';
import { loadPlan } from '../plan/resolve';
import { awsClients, type DrClients } from './clients';
import { drill, realClock, status, switchover, type Clock, type DrContext } from './commands';
import { DrError, drTargets } from './targets';

export const USAGE = `Usage: npm run dr -- <command> [options]

Commands:
  status                       which region writes, replication lags, health-check states
  switchover --to <region>     planned move of the write path (Aurora, ElastiCache) to <region>
  drill --region <region>      fail <region>'s health check, measure traffic moving, restore

Options:
  --execute                    make the changes (default: dry run printing the planned API calls)
  --timeout <seconds>          give up waiting after this long (default 900)
  --poll <seconds>             polling interval (default 10)
  --record <name>              drill: DNS name to watch (default: the failover API name for the primary)
  --client-subnet <ip>         drill: client IP for latency/geo answers (TestDNSAnswer EDNS0 subnet)
  --rto <seconds>              drill: objective to compare against (default 60)

Environment: PLATFORM_ENV selects the configuration (default production); AWS credentials come
from the SDK's default chain (AWS_PROFILE, SSO, ...).`;

export interface CliDeps {
  readonly env?: NodeJS.ProcessEnv;
  readonly clients?: DrClients;
  readonly clock?: Clock;
  readonly out?: (line: string) => void;
  readonly err?: (line: string) => void;
}

function seconds(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new DrError(`${flag} ${value}: expected a positive number of seconds`);
  return n;
}

/** Runs one DR command; returns the process exit code (0 ok, 1 failure or unhealthy, 2 usage). */
export async function runDr(argv: readonly string[], deps: CliDeps = {}): Promise<number> {
  const out = deps.out ?? ((line) => process.stdout.write(`${line}\n`));
  const err = deps.err ?? ((line) => process.stderr.write(`${line}\n`));
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        to: { type: 'string' },
        region: { type: 'string' },
        execute: { type: 'boolean', default: false },
        timeout: { type: 'string' },
        poll: { type: 'string' },
        record: { type: 'string' },
        'client-subnet': { type: 'string' },
        rto: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.help || !command) {
    (values.help ? out : err)(USAGE);
    return values.help ? 0 : 2;
  }
  if (!['status', 'switchover', 'drill'].includes(command) || positionals.length > 1) {
    err(`unknown command: ${positionals.join(' ')}\n\n${USAGE}`);
    return 2;
  }
  try {
    const plan = loadPlan(deps.env);
    const ctx: DrContext = {
      clients: deps.clients ?? awsClients(),
      targets: drTargets(plan),
      execute: values.execute,
      print: out,
      clock: deps.clock ?? realClock,
      pollSeconds: seconds(values.poll, '--poll', 10),
      timeoutSeconds: seconds(values.timeout, '--timeout', 900),
    };
    if (command === 'status') return (await status(ctx)) ? 0 : 1;
    if (command === 'switchover') {
      await switchover(ctx, values.to);
      return 0;
    }
    const result = await drill(ctx, {
      region: values.region,
      record: values.record,
      clientSubnet: values['client-subnet'],
      rtoSeconds: values.rto === undefined ? undefined : seconds(values.rto, '--rto', 60),
    });
    return result.withinRto === false ? 1 : 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DrError) {
      err(error.message);
      return 1;
    }
    const e = error as { name?: string; message?: string };
    if (
      e.name === 'CredentialsProviderError' ||
      e.name === 'ExpiredTokenException' ||
      e.name === 'AccessDenied' ||
      e.name === 'AccessDeniedException'
    ) {
      err(
        `AWS refused the call (${e.name}): ${e.message}. Sign in (e.g. aws sso login / AWS_PROFILE) with a role allowed to run DR operations.`,
      );
      return 1;
    }
    throw error;
  }
}
