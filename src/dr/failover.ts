/**
 * Unplanned failover: the write path leaves a region that is lost. Unlike `switchover` it never
 * waits for replication (Aurora `AllowDataLoss`), never calls the lost region (its clients are
 * excluded, every other call is bounded) and is resumable: each step first reads whether it has
 * already happened, so running the same command again after a failure continues where it stopped.
 */
import { FailoverGlobalReplicationGroupCommand } from '@aws-sdk/client-elasticache';
import { FailoverGlobalClusterCommand } from '@aws-sdk/client-rds';
import { UpdateHealthCheckCommand } from '@aws-sdk/client-route-53';
import { describeAwsError } from '../cli/aws-errors';
import { waitFor, type DrContext } from './commands';
import {
  auroraState,
  cacheState,
  healthCheckIds,
  healthCheckState,
  lastSeenMetric,
  requireHealthCheck,
  type Datapoint,
} from './discovery';
import { guardedClients } from './guard';
import { routingControlStates, setRoutingControls, stateOf, updateInput } from './routing-controls';
import { DrError, FENCE_SUFFIX, findRegion, primaryOf, type DrRegion, type DrTargets } from './targets';

/** Seconds one AWS call may take before its region counts as not answering. */
export const DEFAULT_CALL_TIMEOUT_SECONDS = 30;
/** Attempts of a throttled call. */
const THROTTLE_ATTEMPTS = 5;
/** How far back the last replication lag before the loss is looked for. */
const LAG_LOOKBACK_MINUTES = 60;

export type StepName = 'aurora' | 'cache' | 'traffic';
export type StepStatus = 'planned' | 'already-done' | 'done' | 'failed' | 'not-run';

export interface FailoverStep {
  readonly step: StepName;
  readonly action: string;
  status: StepStatus;
  detail?: string;
}

export interface LagEstimate {
  readonly store: 'aurora' | 'cache';
  /** Member whose lag was read (the one promoted). */
  readonly member: string;
  readonly region: string;
  readonly metric?: string;
  /** Last lag seen, seconds; absent when no datapoint was found. */
  readonly seconds?: number;
  readonly seenAt?: string;
}

export interface FailoverReport {
  readonly execute: boolean;
  readonly lost: { readonly key: string; readonly code: string };
  readonly target: { readonly key: string; readonly code: string };
  readonly dataAtRisk: { readonly estimates: readonly LagEstimate[]; readonly summary: string };
  readonly steps: FailoverStep[];
  readonly timeline: { at: string; event: string }[];
  ok: boolean;
  failedStep?: StepName;
  error?: string;
  /** The command to run next (after a failure: the same command, which resumes). */
  next?: string;
  /** What stays to do by hand once the command succeeded. */
  readonly afterwards: readonly string[];
}

export interface FailoverOptions {
  /** Region that takes the write path. */
  readonly to: string | undefined;
  /**
   * Region that is lost.
   * @default the region the configuration names primary
   */
  readonly from?: string;
  /** @default DEFAULT_CALL_TIMEOUT_SECONDS */
  readonly callTimeoutSeconds?: number;
}

/** The region whose cache member takes the primary role: the target's own, or the one it reads. */
function cacheTargetOf(targets: DrTargets, target: DrRegion, lost: DrRegion): { region: DrRegion; note?: string } {
  if (target.cacheReplicationGroup) return { region: target };
  const members = targets.regions.filter((r) => r.cacheReplicationGroup && r.code !== lost.code);
  const usual = members.find((r) => r.key === target.cacheReadsFrom);
  const region = usual ?? members[0];
  if (!region) throw new DrError(`no surviving region holds a member of the cache datastore besides ${lost.key}`);
  const head = `${target.key} holds no cache member (a reader region)`;
  return {
    region,
    note: usual
      ? `${head}; the datastore fails over to ${region.key}'s member ${region.cacheReplicationGroup}, which ${target.key} reads over the peering mesh`
      : `${head} and reads ${target.cacheReadsFrom}'s member, which is lost; the datastore fails over to ${region.key}'s member ${region.cacheReplicationGroup} (the first surviving member in configuration order): ${target.key}'s reads follow only once its configuration reads ${region.key} (docs/data.md)`,
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

async function estimate(
  store: LagEstimate['store'],
  region: DrRegion,
  member: string,
  queries: { metric: string; unitSeconds: number; read: () => Promise<Datapoint | undefined> }[],
): Promise<LagEstimate> {
  let worst: LagEstimate = { store, member, region: region.code };
  for (const q of queries) {
    const point = await q.read();
    if (!point) continue;
    const seconds = point.value * q.unitSeconds;
    if (worst.seconds === undefined || seconds > worst.seconds)
      worst = { store, member, region: region.code, metric: q.metric, seconds, seenAt: point.at.toISOString() };
  }
  return worst;
}

function summarize(lost: DrRegion, estimates: readonly LagEstimate[]): string {
  const known = estimates.filter((e) => e.seconds !== undefined);
  const unknown = estimates.filter((e) => e.seconds === undefined).map((e) => e.member);
  const worst = Math.max(0, ...known.map((e) => e.seconds!));
  const parts = [
    known.length > 0
      ? `writes committed in ${lost.key} during about the last ${worst < 1 ? worst.toFixed(3) : worst.toFixed(1)} s before it was lost may be missing after the failover`
      : `no replication-lag datapoint in the last ${LAG_LOOKBACK_MINUTES} min: the data at risk is unknown`,
  ];
  if (known.length > 0 && unknown.length > 0)
    parts.push(`no lag datapoint for ${unknown.join(', ')}: its loss is unknown`);
  return parts.join('; ');
}

/** Plans and (with `ctx.execute`) runs the failover; never throws for a failed step: the report says. */
export async function failover(ctx: DrContext, options: FailoverOptions): Promise<FailoverReport> {
  const { targets } = ctx;
  const target = findRegion(targets, options.to, '--to');
  const lost = options.from === undefined ? primaryOf(targets) : findRegion(targets, options.from, '--from');
  if (lost.code === target.code) {
    throw new DrError(
      `--to ${target.key} is the region being failed over from (${options.from === undefined ? 'the configured primary; pass --from <lost region> when another region was lost' : '--from'}): pick a surviving region`,
    );
  }
  const callTimeoutSeconds = options.callTimeoutSeconds ?? DEFAULT_CALL_TIMEOUT_SECONDS;
  const clients = guardedClients(ctx.clients, {
    exclude: lost.code,
    excludeReason: `${lost.code} is the region being failed over from`,
    callTimeoutSeconds,
    attempts: THROTTLE_ATTEMPTS,
    clock: ctx.clock,
  });
  const timeline: FailoverReport['timeline'] = [];
  const mark = (event: string) => timeline.push({ at: iso(ctx.clock.now()), event });
  mark(`start: ${ctx.execute ? 'execute' : 'dry run'}, from ${lost.code} to ${target.code}`);

  // Read what is true now, through surviving regions only.
  const aurora = await auroraState(clients, targets, target);
  const auroraTarget = aurora.members.find((m) => m.region === target.code);
  if (!auroraTarget) throw new DrError(`${target.code} has no member cluster in ${targets.auroraGlobalCluster}`);
  if (aurora.writerRegion && aurora.writerRegion !== target.code && aurora.writerRegion !== lost.code) {
    const writer = targets.regions.find((r) => r.code === aurora.writerRegion);
    throw new DrError(
      `Aurora writes in ${aurora.writerRegion}, neither ${lost.key} (the region being failed over from) nor ${target.key}: if ${writer?.key ?? aurora.writerRegion} is the lost region pass --from ${writer?.key ?? aurora.writerRegion}; if it is healthy, use switchover`,
    );
  }
  if (aurora.failover && aurora.failover.toArn !== auroraTarget.arn) {
    throw new DrError(
      `Aurora is already ${aurora.failover.status} towards ${aurora.failover.toArn ?? 'another member'}: wait for it to finish (npm run dr -- status --exclude ${lost.key}) before choosing another target`,
    );
  }
  const cacheTarget = cacheTargetOf(targets, target, lost);
  const cache = await cacheState(clients, targets, cacheTarget.region);
  const cacheMember = cache.members.find((m) => m.region === cacheTarget.region.code);
  if (!cacheMember) throw new DrError(`${cacheTarget.region.code} has no member replication group in ${cache.id}`);

  const end = new Date(ctx.clock.now());
  const lagOf = (region: DrRegion, query: Parameters<typeof lastSeenMetric>[2]) => () =>
    lastSeenMetric(clients, region.code, query, end, LAG_LOOKBACK_MINUTES);
  const estimates = [
    await estimate('aurora', target, auroraTarget.clusterId, [
      // RPO lag: how far the newest commit on the secondary trails the primary (Aurora PostgreSQL).
      {
        metric: 'AuroraGlobalDBRPOLag',
        unitSeconds: 0.001,
        read: lagOf(target, {
          namespace: 'AWS/RDS',
          metric: 'AuroraGlobalDBRPOLag',
          dimensions: { DBClusterIdentifier: auroraTarget.clusterId },
        }),
      },
      {
        metric: 'AuroraGlobalDBReplicationLag',
        unitSeconds: 0.001,
        read: lagOf(target, {
          namespace: 'AWS/RDS',
          metric: 'AuroraGlobalDBReplicationLag',
          dimensions: { DBClusterIdentifier: auroraTarget.clusterId },
        }),
      },
    ]),
    await estimate('cache', cacheTarget.region, cacheMember.replicationGroupId, [
      {
        metric: 'GlobalDatastoreReplicationLag',
        unitSeconds: 1,
        read: lagOf(cacheTarget.region, {
          search: `SEARCH('{AWS/ElastiCache,CacheClusterId} MetricName="GlobalDatastoreReplicationLag" "${cacheMember.replicationGroupId}"', 'Maximum', 60)`,
        }),
      },
    ]),
  ];
  const dataAtRisk = { estimates, summary: summarize(lost, estimates) };

  const rerun = `npm run dr -- failover --to ${target.key} --from ${lost.key} --execute --accept-data-loss`;
  const fenceName = `${lost.directName}${FENCE_SUFFIX}`;
  // With gated routing controls the traffic moves through ARC's data plane, not Route 53's API.
  const arc = targets.recoveryControl?.gateTraffic === true;
  const steps: FailoverStep[] = [
    {
      step: 'aurora',
      action: `promote ${auroraTarget.clusterId} (${target.code}) to writer: rds:FailoverGlobalCluster with AllowDataLoss`,
      status: 'planned',
    },
    {
      step: 'cache',
      action: `promote ${cacheMember.replicationGroupId} (${cacheTarget.region.code}) to primary: elasticache:FailoverGlobalReplicationGroup`,
      status: 'planned',
      detail: cacheTarget.note,
    },
    {
      step: 'traffic',
      action: arc
        ? `fence ${lost.key} out of DNS: ARC routing control ${lost.routingControl} off (${target.routingControl} on), through the ARC cluster's endpoints`
        : `fence ${lost.key} out of DNS: its health check (Name=${lost.healthCheckName}) probes ${fenceName}`,
      status: 'planned',
    },
  ];
  const report: FailoverReport = {
    execute: ctx.execute,
    lost: { key: lost.key, code: lost.code },
    target: { key: target.key, code: target.code },
    dataAtRisk,
    steps,
    timeline,
    ok: true,
    afterwards: [
      `CACHE_WRITER_HOST: re-apply the application ConfigMap so it names ${cacheMember.replicationGroupId}'s endpoint (docs/data.md)`,
      `make it durable: role "primary" on ${target.key} (and "secondary" on ${lost.key}) in src/config/environments, then the data and global stacks (docs/data.md, "Reconciling config afterwards")`,
      `failback once ${lost.key} is back: docs/runbook.md, "Failback"`,
    ],
  };

  const p = ctx.print;
  p(
    `Failover (region lost) from ${lost.key} (${lost.code}) to ${target.key} (${target.code})${ctx.execute ? '' : ' — DRY RUN, pass --execute --accept-data-loss to run'}`,
  );
  p(`  no call goes to ${lost.code}; every call gives up after ${callTimeoutSeconds} s (--call-timeout)`);
  p('Data at risk (last replication lag seen before the loss):');
  for (const e of estimates) {
    p(
      `  ${e.store} ${e.member} (${e.region}): ${e.seconds === undefined ? `no datapoint in the last ${LAG_LOOKBACK_MINUTES} min` : `${e.metric} ${e.seconds} s at ${e.seenAt}`}`,
    );
  }
  p(`  => ${dataAtRisk.summary}`);

  const change = async (api: string, input: object, send: () => Promise<unknown>) => {
    if (!ctx.execute) {
      p(`  [dry-run] would call ${api} ${JSON.stringify(input)}`);
      return;
    }
    p(`  calling ${api} ${JSON.stringify(input)}`);
    mark(`call ${api}`);
    await send();
  };

  const runners: Record<StepName, () => Promise<StepStatus>> = {
    aurora: async () => {
      const now = await auroraState(clients, targets, target);
      if (now.writerRegion === target.code && !now.failover) {
        p(`  ${auroraTarget.clusterId} already writes`);
        return 'already-done';
      }
      if (now.failover?.toArn === auroraTarget.arn) {
        p(`  a failover to ${auroraTarget.clusterId} is already ${now.failover.status}: not issued again`);
      } else {
        const input = {
          GlobalClusterIdentifier: targets.auroraGlobalCluster,
          TargetDbClusterIdentifier: auroraTarget.arn,
          AllowDataLoss: true,
        };
        await change(`rds:FailoverGlobalCluster (${target.code})`, input, () =>
          clients.rds(target.code).send(new FailoverGlobalClusterCommand(input)),
        );
      }
      if (!ctx.execute) return 'planned';
      const s = await waitFor(ctx, `Aurora writer in ${target.code}`, async () => {
        const state = await auroraState(clients, targets, target);
        return state.writerRegion === target.code && !state.failover;
      });
      p(`  Aurora writer in ${target.code} after ${s.toFixed(0)} s`);
      return 'done';
    },
    cache: async () => {
      if (cacheTarget.note) p(`  ${cacheTarget.note}`);
      const now = await cacheState(clients, targets, cacheTarget.region);
      if (now.primaryRegion === cacheTarget.region.code) {
        p(`  ${cacheMember.replicationGroupId} is already the primary`);
        return 'already-done';
      }
      const input = {
        GlobalReplicationGroupId: cache.id,
        PrimaryRegion: cacheTarget.region.code,
        PrimaryReplicationGroupId: cacheMember.replicationGroupId,
      };
      await change(`elasticache:FailoverGlobalReplicationGroup (${cacheTarget.region.code})`, input, () =>
        clients.elasticache(cacheTarget.region.code).send(new FailoverGlobalReplicationGroupCommand(input)),
      );
      if (!ctx.execute) return 'planned';
      const s = await waitFor(
        ctx,
        `ElastiCache primary in ${cacheTarget.region.code}`,
        async () => (await cacheState(clients, targets, cacheTarget.region)).primaryRegion === cacheTarget.region.code,
      );
      p(`  ElastiCache primary in ${cacheTarget.region.code} after ${s.toFixed(0)} s`);
      return 'done';
    },
    traffic: async () => {
      if (arc) return fenceWithRoutingControl();
      const id = requireHealthCheck(await healthCheckIds(clients, targets), lost);
      const hc = await healthCheckState(clients, lost, id);
      if (hc.fqdn === fenceName && !hc.inverted) {
        p(`  health check ${id} already probes ${fenceName}`);
        return 'already-done';
      }
      // Inverted false as well: a check left inverted by a drill would read a dead region as healthy.
      const input = { HealthCheckId: id, FullyQualifiedDomainName: fenceName, Inverted: false };
      await change('route53:UpdateHealthCheck', input, () => clients.route53.send(new UpdateHealthCheckCommand(input)));
      if (!ctx.execute) return 'planned';
      const s = await waitFor(
        ctx,
        `health check ${id} of ${lost.key} to report unhealthy`,
        async () => !(await healthCheckState(clients, lost, id)).healthy,
      );
      p(
        `  ${lost.key} unhealthy in Route 53 after ${s.toFixed(0)} s; resolvers follow within the DNS budget (${targets.dnsFailover.arithmetic})`,
      );
      return 'done';
    },
  };

  /**
   * Lost region off, target on, in one UpdateRoutingControlStates call (the safety rule admits it:
   * the target stays on), through any endpoint but the lost region's; then read back.
   */
  async function fenceWithRoutingControl(): Promise<StepStatus> {
    const read = () => routingControlStates(clients, targets, { exclude: lost.code, print: p, clock: ctx.clock });
    const before = await read();
    const [lostState, targetState] = [stateOf(before, lost), stateOf(before, target)];
    if (!lostState.on && targetState.on) {
      p(`  ${lostState.name} is already off and ${targetState.name} on`);
      return 'already-done';
    }
    const input = updateInput([
      ...(lostState.on ? [{ arn: lostState.arn, on: false }] : []),
      ...(targetState.on ? [] : [{ arn: targetState.arn, on: true }]),
    ]);
    await change('route53-recovery-cluster:UpdateRoutingControlStates', input, () =>
      setRoutingControls(clients, targets, input, { exclude: lost.code, print: p, clock: ctx.clock }),
    );
    if (!ctx.execute) return 'planned';
    const after = await read();
    if (stateOf(after, lost).on || !stateOf(after, target).on) {
      throw new DrError(
        `the ARC cluster still reports ${lostState.name} on or ${targetState.name} off after the update`,
      );
    }
    p(
      `  ${lostState.name} off: ${lost.key} leaves DNS as Route 53 reads the routing control, then resolvers follow within the TTL`,
    );
    return 'done';
  }

  for (const [i, step] of steps.entries()) {
    p(`${i + 1}. ${step.action}`);
    try {
      step.status = await runners[step.step]();
      if (step.status !== 'planned') mark(`${step.step}: ${step.status}`);
    } catch (error) {
      const message =
        error instanceof DrError
          ? error.message
          : (describeAwsError(error, 'run DR operations') ?? (error instanceof Error ? error.message : String(error)));
      step.status = 'failed';
      step.detail = message;
      mark(`${step.step}: failed: ${message}`);
      report.ok = false;
      report.failedStep = step.step;
      report.error = `step ${i + 1} (${step.step}) failed: ${message}`;
      report.next = `${step.step === 'traffic' ? `Aurora and the cache are done; ${lost.key}'s health check already fails on its own while it is down. ` : ''}Fix the cause, then run the same command again; it detects the steps already done and continues: ${rerun}`;
      for (const rest of steps.slice(i + 1)) rest.status = 'not-run';
      break;
    }
  }
  mark(report.ok ? (ctx.execute ? 'failover complete' : 'dry run complete: nothing changed') : 'stopped');

  p('Timeline:');
  for (const t of timeline) p(`  ${t.at}  ${t.event}`);
  if (report.ok && ctx.execute) {
    p('Afterwards:');
    for (const a of report.afterwards) p(`  - ${a}`);
  }
  return report;
}
