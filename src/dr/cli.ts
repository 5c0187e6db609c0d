import { runCommand, UsageError, type CommandContext, type CommandIo, type CommandSpec } from '../cli/command';
import type { PlatformConfig } from '../config/types';
import { loadPlan, resolvePlan } from '../plan/resolve';
import { awsClients, type DrClients } from './clients';
import { drill, realClock, status, switchover, type Clock, type DrContext } from './commands';
import { DEFAULT_CALL_TIMEOUT_SECONDS, failover } from './failover';
import { guardedClients, THROTTLE_ATTEMPTS } from './guard';
import { DrError, drTargets } from './targets';

export interface CliDeps {
  readonly env?: NodeJS.ProcessEnv;
  readonly clients?: DrClients;
  readonly clock?: Clock;
  readonly out?: (line: string) => void;
  readonly err?: (line: string) => void;
  /** The configuration to act on; by default PLATFORM_ENV's (tests pass a fixed topology). */
  readonly config?: PlatformConfig;
}

/** Seconds of waiting between two "still waiting" lines. */
const PROGRESS_EVERY_SECONDS = 60;

function positiveSeconds(value: string): void {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`expected a positive number of seconds, got ${value}`);
}

const seconds = (value: unknown, fallback: number) => (value === undefined ? fallback : Number(value));

/** A clock whose waits print a line every minute, so a long wait shows it is alive. */
function reportingClock(clock: Clock, progress: (line: string) => void): Clock {
  let waited = 0;
  let reported = 0;
  return {
    now: () => clock.now(),
    sleep: async (ms) => {
      await clock.sleep(ms);
      waited += ms / 1000;
      if (waited - reported >= PROGRESS_EVERY_SECONDS) {
        reported = waited;
        progress(`  ... still waiting (${Math.round(waited)} s of polling so far; --timeout bounds it)`);
      }
    },
  };
}

const WAIT_OPTIONS = [
  {
    flags: '--timeout <seconds>',
    description: 'give up waiting after this long',
    default: '900',
    validate: positiveSeconds,
  },
  { flags: '--poll <seconds>', description: 'polling interval', default: '10', validate: positiveSeconds },
];
const JSON_OPTION = { flags: '--json', description: 'print the result as JSON on stdout (progress goes to stderr)' };
const CALL_TIMEOUT = {
  flags: '--call-timeout <seconds>',
  description: 'give up on one AWS call after this long (a region that does not answer)',
  default: String(DEFAULT_CALL_TIMEOUT_SECONDS),
  validate: positiveSeconds,
};
const EXECUTE = {
  flags: '--execute',
  description: 'make the changes (default: dry run printing the API calls it would make; read-only calls still run)',
};

/** The `npm run dr` command; `deps` replaces AWS clients, the clock and output in tests. */
export function drCommand(deps: CliDeps = {}): CommandSpec {
  const planOf = (ctx: CommandContext) => (deps.config ? resolvePlan(deps.config) : loadPlan(ctx.env));
  /** `guarded`: every call bounded by --call-timeout and throttles retried (switchover, drill). */
  const context = (ctx: CommandContext, guarded = false): DrContext => {
    const plan = planOf(ctx);
    const clock = deps.clock ?? realClock;
    const clients = deps.clients ?? awsClients();
    return {
      clients: guarded
        ? guardedClients(clients, {
            callTimeoutSeconds: Number(ctx.options.callTimeout),
            attempts: THROTTLE_ATTEMPTS,
            clock,
          })
        : clients,
      targets: drTargets(plan),
      execute: ctx.options.execute === true,
      // With --json, stdout carries the JSON document only; the narrative goes to stderr.
      print: ctx.options.json ? ctx.progress : ctx.out,
      clock: reportingClock(clock, ctx.progress),
      pollSeconds: seconds(ctx.options.poll, 10),
      timeoutSeconds: seconds(ctx.options.timeout, 900),
    };
  };
  return {
    name: 'dr',
    summary:
      'Disaster-recovery operations on the live platform of PLATFORM_ENV (AWS credentials needed, except for ' +
      '`targets`). Changes are a dry run unless --execute is given. Runbook: docs/runbook.md.',
    awsPermissions:
      'run DR operations (rds:DescribeGlobalClusters, elasticache:DescribeGlobalReplicationGroups, route53 health checks, cloudwatch:GetMetricData; docs/runbook.md)',
    userErrors: [DrError],
    epilog: [
      'Environment:',
      '  PLATFORM_ENV   production (default) or staging',
      '  AWS_PROFILE    credentials come from the SDK default chain (AWS_PROFILE, SSO, environment, instance role)',
      '',
      'Exit status: 0 ok, 1 failure, unhealthy or over the RTO, 2 usage error.',
    ].join('\n'),
    subcommands: [
      {
        name: 'targets',
        summary:
          'Print the names the DR commands act on (global cluster, datastore, health checks per region). Offline.',
        options: [JSON_OPTION],
        run: (ctx) => {
          const targets = drTargets(planOf(ctx));
          if (ctx.options.json) {
            ctx.out(JSON.stringify(targets, null, 2));
            return;
          }
          ctx.out(`API name (failover, ${targets.recordType} records): ${targets.apiName}`);
          ctx.out(`Aurora global cluster: ${targets.auroraGlobalCluster}`);
          ctx.out(`ElastiCache global datastore suffix: ${targets.cacheGlobalDatastoreSuffix}`);
          for (const r of targets.regions) {
            ctx.out(
              `  ${r.key} (${r.code}, ${r.role}): aurora ${r.auroraCluster}, cache ${r.cacheReplicationGroup}, health check Name=${r.healthCheckName}, probes ${r.directName}${r.routingControl ? `, routing control ${r.routingControl}` : ''}`,
            );
          }
          const arc = targets.recoveryControl;
          if (arc) {
            const endpoints = arc.clusterEndpoints.map((e) => e.region).join(', ') || 'none configured';
            ctx.out(
              `ARC cluster ${arc.clusterName}, control panel ${arc.controlPanelName} (records ${arc.gateTraffic ? 'follow the routing controls' : 'do not follow them: gateTraffic off'}); endpoints: ${endpoints}`,
            );
          }
        },
      },
      {
        name: 'status',
        summary: 'Which region writes, replication lags, health-check states. Read-only.',
        options: [
          JSON_OPTION,
          {
            flags: '--exclude <region>',
            description: 'region key or AWS code not to call (a lost region): read through the others',
          },
          CALL_TIMEOUT,
        ],
        run: async (ctx) => {
          const report = await status(context(ctx), {
            exclude: ctx.options.exclude as string | undefined,
            callTimeoutSeconds: Number(ctx.options.callTimeout),
          });
          if (ctx.options.json) ctx.out(JSON.stringify(report, null, 2));
          return report.ok ? 0 : 1;
        },
      },
      {
        name: 'failover',
        summary:
          'Unplanned failover when a region is lost: Aurora (AllowDataLoss) and ElastiCache promoted in --to, the lost region fenced out of DNS. Never calls the lost region; resumable.',
        options: [
          { flags: '--to <region>', description: 'surviving region key or AWS code that becomes the writer' },
          {
            flags: '--from <region>',
            description: 'the lost region (default: the region the configuration names primary)',
          },
          EXECUTE,
          {
            flags: '--accept-data-loss',
            description:
              'required with --execute: writes not yet replicated to --to (the estimate the dry run prints) are lost',
          },
          JSON_OPTION,
          CALL_TIMEOUT,
          ...WAIT_OPTIONS,
        ],
        run: async (ctx) => {
          if (ctx.options.to === undefined) throw new UsageError('failover needs --to <region>');
          if (ctx.options.execute === true && ctx.options.acceptDataLoss !== true) {
            throw new UsageError(
              'failover --execute promotes with AllowDataLoss: writes the lost region had not replicated are gone. Run it without --execute to see the estimate, then add --accept-data-loss to confirm.',
            );
          }
          const report = await failover(context(ctx), {
            to: ctx.options.to as string,
            from: ctx.options.from as string | undefined,
            callTimeoutSeconds: Number(ctx.options.callTimeout),
          });
          if (ctx.options.json) ctx.out(JSON.stringify(report, null, 2));
          if (!report.ok) {
            ctx.err(report.error!);
            ctx.err(report.next!);
            return 1;
          }
          return 0;
        },
      },
      {
        name: 'switchover',
        summary: 'Planned move of the write path (Aurora, ElastiCache) to another region: drain, switch, restore.',
        options: [
          { flags: '--to <region>', description: 'region key or AWS code that becomes the writer' },
          EXECUTE,
          CALL_TIMEOUT,
          ...WAIT_OPTIONS,
        ],
        run: async (ctx) => {
          if (ctx.options.to === undefined) throw new UsageError('switchover needs --to <region>');
          await switchover(context(ctx, true), ctx.options.to as string);
        },
      },
      {
        name: 'drill',
        summary: "Fail a region's health check, measure traffic moving away, restore, compare with the RTO.",
        options: [
          { flags: '--region <region>', description: 'region key or AWS code to fail' },
          EXECUTE,
          CALL_TIMEOUT,
          ...WAIT_OPTIONS,
          {
            flags: '--record <name>',
            description: 'DNS name to watch (default: the failover API name for the primary)',
          },
          {
            flags: '--client-subnet <ip>',
            description: 'client IP for latency/geo answers (TestDNSAnswer EDNS0 subnet)',
          },
          {
            flags: '--rto <seconds>',
            description: 'objective to compare against (default 60)',
            validate: positiveSeconds,
          },
        ],
        run: async (ctx) => {
          if (ctx.options.region === undefined) throw new UsageError('drill needs --region <region>');
          const result = await drill(context(ctx, true), {
            region: ctx.options.region as string,
            record: ctx.options.record as string | undefined,
            clientSubnet: ctx.options.clientSubnet as string | undefined,
            rtoSeconds: ctx.options.rto === undefined ? undefined : Number(ctx.options.rto),
          });
          return result.withinRto === false ? 1 : 0;
        },
      },
    ],
  };
}

/** Runs one DR command; returns the process exit code (0 ok, 1 failure or unhealthy, 2 usage). */
export function runDr(argv: readonly string[], deps: CliDeps = {}): Promise<number> {
  const io: CommandIo = {
    env: deps.env,
    stdout:
      deps.out &&
      ((text) =>
        text
          .replace(/\n$/, '')
          .split('\n')
          .forEach((l) => deps.out!(l))),
    stderr:
      deps.err &&
      ((text) =>
        text
          .replace(/\n$/, '')
          .split('\n')
          .forEach((l) => deps.err!(l))),
  };
  return runCommand(drCommand(deps), argv, io);
}
