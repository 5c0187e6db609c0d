import { FailoverGlobalReplicationGroupCommand } from '@aws-sdk/client-elasticache';
import { SwitchoverGlobalClusterCommand } from '@aws-sdk/client-rds';
import { TestDNSAnswerCommand, UpdateHealthCheckCommand } from '@aws-sdk/client-route-53';
import type { DrClients } from './clients';
import {
  auroraState,
  cacheState,
  healthCheckIds,
  healthCheckState,
  hostedZoneId,
  latestMetric,
  requireHealthCheck,
} from './discovery';
import { guardedClients } from './guard';
import { onOff, routingControlStates, setRoutingControls, stateOf, updateInput } from './routing-controls';
import { DrError, FENCE_SUFFIX, findRegion, primaryOf, RTO_SECONDS, type DrRegion, type DrTargets } from './targets';

export { realClock, type Clock } from './clock';
import type { Clock } from './clock';

export interface DrContext {
  readonly clients: DrClients;
  readonly targets: DrTargets;
  /** Perform changes; otherwise print the calls that would be made (read-only calls still run). */
  readonly execute: boolean;
  readonly print: (line: string) => void;
  readonly clock: Clock;
  readonly pollSeconds: number;
  readonly timeoutSeconds: number;
}

/** A change to AWS: printed in a dry run, sent with --execute. */
async function change(ctx: DrContext, api: string, input: object, send: () => Promise<unknown>): Promise<void> {
  if (!ctx.execute) {
    ctx.print(`  [dry-run] would call ${api} ${JSON.stringify(input)}`);
    return;
  }
  ctx.print(`  calling ${api} ${JSON.stringify(input)}`);
  await send();
}

/** Polls `done` until it holds; returns the seconds waited. */
export async function waitFor(ctx: DrContext, what: string, done: () => Promise<boolean>): Promise<number> {
  const start = ctx.clock.now();
  for (;;) {
    if (await done()) return (ctx.clock.now() - start) / 1000;
    if (ctx.clock.now() - start >= ctx.timeoutSeconds * 1000) {
      throw new DrError(`timed out after ${ctx.timeoutSeconds} s waiting for ${what} (raise --timeout or investigate)`);
    }
    await ctx.clock.sleep(ctx.pollSeconds * 1000);
  }
}

const fmtLag = (ms: number | undefined) => (ms === undefined ? 'no data' : `${Math.round(ms)} ms`);

export interface StatusReport {
  readonly ok: boolean;
  /** Region no call was made to (`--exclude`). */
  readonly excluded?: string;
  readonly aurora: {
    readonly globalCluster: string;
    readonly status: string;
    readonly writerRegion: string | null;
    readonly failover: { readonly status: string; readonly toArn?: string; readonly dataLossAllowed: boolean } | null;
    readonly members: { region: string; clusterId: string; writer: boolean; replicationLagMs: number | null }[];
  };
  readonly cache: {
    readonly id: string;
    readonly status: string;
    readonly primaryRegion: string | null;
    readonly members: {
      region: string;
      replicationGroupId: string;
      primary: boolean;
      status: string;
      replicationLagSeconds: number | null;
    }[];
  };
  readonly healthChecks: {
    region: string;
    id: string | null;
    healthy: boolean | null;
    inverted: boolean | null;
    fenced: boolean | null;
    checkers: string | null;
  }[];
  /** ARC routing controls, with `traffic.recoveryControl` only (null when they could not be read). */
  readonly routingControls?: { region: string; name: string; on: boolean }[] | null;
}

export interface StatusOptions {
  /** Region key or code not to call (a lost region): state is read through the others. */
  readonly exclude?: string;
  /** Bound every call (seconds); set with `exclude`, or `--call-timeout`. */
  readonly callTimeoutSeconds?: number;
}

/** Which region writes, replication lags, health-check states; `ok` is false when something is unhealthy. */
export async function status(ctx: DrContext, options: StatusOptions = {}): Promise<StatusReport> {
  const { targets } = ctx;
  const excluded = options.exclude === undefined ? undefined : findRegion(targets, options.exclude, '--exclude');
  const clients =
    excluded || options.callTimeoutSeconds !== undefined
      ? guardedClients(ctx.clients, {
          exclude: excluded?.code,
          excludeReason: `${excluded?.code} is excluded (--exclude)`,
          callTimeoutSeconds: options.callTimeoutSeconds ?? 30,
          attempts: 5,
          clock: ctx.clock,
        })
      : ctx.clients;
  const surviving = targets.regions.filter((r) => r.code !== excluded?.code);
  const primary = primaryOf(targets);
  const via = primary.code !== excluded?.code ? primary : surviving[0];
  const cacheVia = via.cacheReplicationGroup ? via : (surviving.find((r) => r.cacheReplicationGroup) ?? via);
  let ok = true;
  if (excluded) ctx.print(`Not calling ${excluded.key} (${excluded.code}); reading through ${via.key}`);

  const aurora = await auroraState(clients, targets, via);
  ctx.print(
    `Aurora global cluster ${targets.auroraGlobalCluster}: ${aurora.status}, writer in ${aurora.writerRegion ?? 'NONE'}${aurora.failover ? `, ${aurora.failover.status} to ${aurora.failover.toArn ?? '?'}` : ''}`,
  );
  if (!aurora.writerRegion) ok = false;
  const auroraMembers: StatusReport['aurora']['members'] = [];
  for (const m of aurora.members) {
    let lag: number | undefined;
    if (!m.writer && m.region !== excluded?.code) {
      lag = await latestMetric(clients, m.region, {
        namespace: 'AWS/RDS',
        metric: 'AuroraGlobalDBReplicationLag',
        dimensions: { DBClusterIdentifier: m.clusterId },
      });
      ctx.print(`  ${m.region} ${m.clusterId}: replication lag ${fmtLag(lag)}`);
    } else if (!m.writer) ctx.print(`  ${m.region} ${m.clusterId}: not asked (excluded)`);
    auroraMembers.push({ region: m.region, clusterId: m.clusterId, writer: m.writer, replicationLagMs: lag ?? null });
  }

  const cache = await cacheState(clients, targets, cacheVia);
  ctx.print(`ElastiCache global datastore ${cache.id}: ${cache.status}, primary in ${cache.primaryRegion ?? 'NONE'}`);
  if (!cache.primaryRegion) ok = false;
  const cacheMembers: StatusReport['cache']['members'] = [];
  for (const m of cache.members) {
    let lag: number | undefined;
    if (!m.primary && m.region !== excluded?.code) {
      // GlobalDatastoreReplicationLag is reported in seconds.
      lag = await latestMetric(clients, m.region, {
        search: `SEARCH('{AWS/ElastiCache,CacheClusterId} MetricName="GlobalDatastoreReplicationLag" "${m.replicationGroupId}"', 'Maximum', 60)`,
      });
      ctx.print(
        `  ${m.region} ${m.replicationGroupId}: ${m.status}, replication lag ${fmtLag(lag === undefined ? undefined : lag * 1000)}`,
      );
    } else if (!m.primary) ctx.print(`  ${m.region} ${m.replicationGroupId}: ${m.status}, not asked (excluded)`);
    cacheMembers.push({ ...m, replicationLagSeconds: lag ?? null });
  }

  const ids = await healthCheckIds(clients, targets);
  ctx.print('Route 53 health checks:');
  const healthChecks: StatusReport['healthChecks'] = [];
  for (const region of targets.regions) {
    const id = ids.get(region.healthCheckName);
    if (!id) {
      ctx.print(`  ${region.key}: no health check tagged Name=${region.healthCheckName}`);
      healthChecks.push({ region: region.key, id: null, healthy: null, inverted: null, fenced: null, checkers: null });
      ok = false;
      continue;
    }
    const hc = await healthCheckState(clients, region, id);
    const fenced = hc.fqdn !== undefined && hc.fqdn.endsWith(FENCE_SUFFIX);
    ctx.print(
      `  ${region.key} (${id}): ${hc.healthy ? 'HEALTHY' : 'UNHEALTHY'}, checkers ${hc.checkers}${hc.inverted ? ', INVERTED (drill or switchover in progress?)' : ''}${fenced ? `, FENCED by a failover (probes ${hc.fqdn}; failback: docs/runbook.md)` : ''}`,
    );
    healthChecks.push({
      region: region.key,
      id,
      healthy: hc.healthy,
      inverted: hc.inverted,
      fenced,
      checkers: hc.checkers,
    });
    if (!hc.healthy || hc.inverted) ok = false;
  }

  let routingControls: StatusReport['routingControls'];
  const arc = targets.recoveryControl;
  if (arc) {
    ctx.print(
      `ARC routing controls (${arc.controlPanelName}; ${arc.gateTraffic ? 'records follow them' : 'records do not follow them yet: gateTraffic is off'}):`,
    );
    try {
      const states = await routingControlStates(clients, targets, {
        exclude: excluded?.code,
        print: ctx.print,
        clock: ctx.clock,
      });
      routingControls = states.map((s) => ({ region: s.region, name: s.name, on: s.on }));
      for (const s of states) {
        ctx.print(`  ${s.region} ${s.name}: ${onOff(s.on)}${s.on ? '' : arc.gateTraffic ? ' (out of DNS)' : ''}`);
        // Gated, an OFF control keeps its region out of DNS: a switchover running or a failover's fence.
        if (!s.on && arc.gateTraffic) ok = false;
      }
    } catch (error) {
      if (!(error instanceof DrError)) throw error;
      ctx.print(`  could not read them: ${error.message}`);
      routingControls = null;
      ok = false;
    }
  }
  return {
    ok,
    ...(arc ? { routingControls } : {}),
    excluded: excluded?.key,
    aurora: {
      globalCluster: targets.auroraGlobalCluster,
      status: aurora.status,
      writerRegion: aurora.writerRegion ?? null,
      failover: aurora.failover ?? null,
      members: auroraMembers,
    },
    cache: { id: cache.id, status: cache.status, primaryRegion: cache.primaryRegion ?? null, members: cacheMembers },
    healthChecks,
  };
}

/**
 * Planned switchover of the write path to `to`: drain the current writer region from DNS (invert
 * its health check), Aurora global switchover, ElastiCache global failover, then restore the check.
 */
export async function switchover(ctx: DrContext, to: string | undefined): Promise<void> {
  const { clients, targets } = ctx;
  const target = findRegion(targets, to, '--to');
  const aurora = await auroraState(clients, targets, target);
  const cache = await cacheState(clients, targets, target);
  const auroraTarget = aurora.members.find((m) => m.region === target.code);
  const cacheTarget = cache.members.find((m) => m.region === target.code);
  if (!auroraTarget) throw new DrError(`${target.code} has no member cluster in ${targets.auroraGlobalCluster}`);
  if (!cacheTarget) throw new DrError(`${target.code} has no member replication group in ${cache.id}`);
  if (aurora.status !== 'available')
    throw new DrError(`Aurora global cluster is ${aurora.status}; wait until it is available`);

  // The region that still writes: Aurora's writer, or, once Aurora has moved (a switchover that
  // stopped half way), the cache primary's region.
  const fromCode = aurora.writerRegion !== target.code ? aurora.writerRegion : cache.primaryRegion;
  const from = targets.regions.find((r) => r.code === fromCode);
  if (aurora.writerRegion === target.code && cache.primaryRegion === target.code) {
    ctx.print(`${target.key} already writes (Aurora and ElastiCache): nothing to do.`);
    return;
  }
  // `from` is never the target here: with both stores in the target it returned above.
  const drain = targets.recoveryControl?.gateTraffic
    ? await routingControlDrain(ctx, from, target)
    : await healthCheckDrain(ctx, from);

  ctx.print(
    `Switchover of the write path to ${target.key} (${target.code})${ctx.execute ? '' : ' — DRY RUN, pass --execute to run'}`,
  );
  ctx.print(`1. drain ${from?.key ?? '(no writer region)'} from DNS${drain.how}`);
  await drain.drain();
  let failed: unknown;
  try {
    ctx.print(`2. Aurora: make ${auroraTarget.clusterId} the writer`);
    if (aurora.writerRegion !== target.code) {
      const input = {
        GlobalClusterIdentifier: targets.auroraGlobalCluster,
        TargetDbClusterIdentifier: auroraTarget.arn,
      };
      await change(ctx, `rds:SwitchoverGlobalCluster (${target.code})`, input, () =>
        clients.rds(target.code).send(new SwitchoverGlobalClusterCommand(input)),
      );
      if (ctx.execute) {
        const s = await waitFor(ctx, `Aurora writer in ${target.code}`, async () => {
          const now = await auroraState(clients, targets, target);
          return now.writerRegion === target.code && now.status === 'available';
        });
        ctx.print(`  Aurora writer in ${target.code} after ${s.toFixed(0)} s`);
      }
    } else ctx.print('  already the writer');

    ctx.print(`3. ElastiCache: make ${cacheTarget.replicationGroupId} the primary`);
    if (cache.primaryRegion !== target.code) {
      const input = {
        GlobalReplicationGroupId: cache.id,
        PrimaryRegion: target.code,
        PrimaryReplicationGroupId: cacheTarget.replicationGroupId,
      };
      await change(ctx, `elasticache:FailoverGlobalReplicationGroup (${target.code})`, input, () =>
        clients.elasticache(target.code).send(new FailoverGlobalReplicationGroupCommand(input)),
      );
      if (ctx.execute) {
        const s = await waitFor(ctx, `ElastiCache primary in ${target.code}`, async () => {
          const now = await cacheState(clients, targets, target);
          return now.primaryRegion === target.code && now.status === 'available';
        });
        ctx.print(`  ElastiCache primary in ${target.code} after ${s.toFixed(0)} s`);
      }
    } else ctx.print('  already the primary');
  } catch (error) {
    failed = error;
  }
  // Restore also after a failure; a failed restore must not hide why the switchover stopped.
  ctx.print(`4. restore ${from?.key ?? '(none)'} in DNS`);
  try {
    await drain.restore();
  } catch (restoreError) {
    if (failed === undefined) throw restoreError;
    const why = (e: unknown) => (e instanceof Error ? e.message : String(e));
    throw new DrError(
      `${why(failed)}; then restoring ${from?.key ?? 'the old writer'} in DNS failed too (${why(restoreError)}): it stays out of DNS until restored (docs/runbook.md, "Planned switchover")`,
    );
  }
  if (failed !== undefined) throw failed;
  ctx.print(
    `5. make it durable: set role "primary" on region ${target.key} (and "secondary" on ${from?.key ?? 'the old one'}) in src/config/environments, then deploy the dns/global and data stacks (docs/runbook.md).`,
  );
}

/** How a switchover takes the old writer out of DNS and brings it back. */
interface Drain {
  /** How, for the step's line. */
  readonly how: string;
  drain(): Promise<void>;
  restore(): Promise<void>;
}

/** Invert the region's health check: every routed record drops it; restoring is the same call. */
async function healthCheckDrain(ctx: DrContext, region: DrRegion | undefined): Promise<Drain> {
  const id = region ? requireHealthCheck(await healthCheckIds(ctx.clients, ctx.targets), region) : undefined;
  const invert = (Inverted: boolean) => async () => {
    if (!id) return;
    await change(ctx, 'route53:UpdateHealthCheck', { HealthCheckId: id, Inverted }, () =>
      ctx.clients.route53.send(new UpdateHealthCheckCommand({ HealthCheckId: id, Inverted })),
    );
  };
  return { how: '', drain: invert(true), restore: invert(false) };
}

/**
 * With `traffic.recoveryControl.gateTraffic`: turn the region's routing control off (and the
 * target's on, in the same call) through the ARC cluster; restoring turns it back on.
 */
async function routingControlDrain(ctx: DrContext, region: DrRegion | undefined, target: DrRegion): Promise<Drain> {
  const states = await routingControlStates(ctx.clients, ctx.targets, { print: ctx.print, clock: ctx.clock });
  const targetState = stateOf(states, target);
  const regionState = region ? stateOf(states, region) : undefined;
  let updatedAt: number | undefined;
  const set = async (changes: { arn: string; on: boolean }[]) => {
    if (changes.length === 0) return;
    const input = updateInput(changes);
    await change(ctx, 'route53-recovery-cluster:UpdateRoutingControlStates', input, () =>
      setRoutingControls(ctx.clients, ctx.targets, input, { print: ctx.print, clock: ctx.clock }),
    );
    if (ctx.execute) updatedAt = ctx.clock.now();
  };
  return {
    how: ` (ARC routing control ${regionState?.name ?? '-'} off)`,
    drain: () =>
      set([
        ...(regionState ? [{ arn: regionState.arn, on: false }] : []),
        ...(targetState.on ? [] : [{ arn: targetState.arn, on: true }]),
      ]),
    restore: async () => {
      // The safety rule refuses any change for its wait period after one: a step that failed fast
      // would otherwise have its restore refused.
      const waitMs = ctx.targets.recoveryControl?.safetyRuleWaitMs ?? 0;
      const wait = updatedAt === undefined ? 0 : waitMs - (ctx.clock.now() - updatedAt);
      if (wait > 0) await ctx.clock.sleep(wait);
      await set(regionState ? [{ arn: regionState.arn, on: true }] : []);
    },
  };
}

export interface DrillOptions {
  readonly region: string | undefined;
  /**
   * Name to watch in DNS: one of the API names, asked for with their record type (`DrTargets.recordType`).
   * @default the failover API name when the region is primary, else none
   */
  readonly record?: string;
  /** Client subnet for TestDNSAnswer (latency/geo records answer per client location). */
  readonly clientSubnet?: string;
  readonly rtoSeconds?: number;
}

export interface DrillResult {
  readonly detectedSeconds?: number;
  readonly dnsMovedSeconds?: number;
  readonly recoveredSeconds?: number;
  readonly withinRto?: boolean;
}

/** Simulates the region's failure by inverting its health check, measures, restores. */
export async function drill(ctx: DrContext, options: DrillOptions): Promise<DrillResult> {
  const { clients, targets } = ctx;
  const region = findRegion(targets, options.region, '--region');
  const rto = options.rtoSeconds ?? RTO_SECONDS;
  const id = requireHealthCheck(await healthCheckIds(clients, targets), region);
  const before = await healthCheckState(clients, region, id);
  if (before.inverted) {
    throw new DrError(
      `health check ${id} of ${region.key} is already inverted: another drill may be running. If not, restore it: aws route53 update-health-check --health-check-id ${id} --no-inverted`,
    );
  }
  if (!before.healthy)
    throw new DrError(`${region.key} is already unhealthy (checkers ${before.checkers}): no drill on a failing region`);
  const watched = options.record ?? (region.role === 'primary' ? targets.apiName : undefined);

  ctx.print(
    `DR drill: failure of ${region.key} (${region.code}), RTO ${rto} s${ctx.execute ? '' : ' — DRY RUN, pass --execute to run'}`,
  );
  const zone = watched ? await hostedZoneId(clients, targets) : undefined;
  // Ask for the type the names have: a CNAME name asked for A has no A record of its own, so both
  // answers would be empty and "stopped answering with the region" would hold from the start.
  const recordType = targets.recordType;
  const answers = async (name: string) => {
    const out = await clients.route53.send(
      new TestDNSAnswerCommand({
        HostedZoneId: zone!,
        RecordName: name,
        RecordType: recordType,
        EDNS0ClientSubnetIP: options.clientSubnet,
      }),
    );
    return out.RecordData ?? [];
  };
  const regionAnswers = watched ? new Set(await answers(region.directName)) : new Set<string>();
  if (watched && regionAnswers.size === 0) {
    throw new DrError(
      `${region.directName} has no ${recordType} answer, so ${watched} could not be seen moving off ${region.key}: is the dns stack deployed with traffic.recordTarget ${recordType === 'CNAME' ? 'cname' : 'alias'}?`,
    );
  }
  if (watched)
    ctx.print(`  watching ${watched} (${recordType}); ${region.key} answers ${[...regionAnswers].join(', ')}`);
  else
    ctx.print(
      `  no failover name to watch for a ${region.role} region: its routed records drop it when its check turns unhealthy`,
    );

  ctx.print(`1. fail ${region.key}: invert health check ${id}`);
  await change(ctx, 'route53:UpdateHealthCheck', { HealthCheckId: id, Inverted: true }, () =>
    clients.route53.send(new UpdateHealthCheckCommand({ HealthCheckId: id, Inverted: true })),
  );
  if (!ctx.execute) {
    ctx.print('2. wait until Route 53 reports it unhealthy and DNS stops answering with it');
    ctx.print(`3. restore: ${JSON.stringify({ HealthCheckId: id, Inverted: false })}, wait until healthy`);
    return {};
  }
  const start = ctx.clock.now();
  const since = () => (ctx.clock.now() - start) / 1000;
  let result: DrillResult = {};
  try {
    await waitFor(ctx, `${region.key} unhealthy`, async () => !(await healthCheckState(clients, region, id)).healthy);
    result = { detectedSeconds: since() };
    ctx.print(`  unhealthy after ${result.detectedSeconds!.toFixed(0)} s`);
    if (watched) {
      await waitFor(ctx, `${watched} to stop answering with ${region.key}`, async () =>
        (await answers(watched)).every((a) => !regionAnswers.has(a)),
      );
      result = { ...result, dnsMovedSeconds: since() };
      ctx.print(`  ${watched} moved after ${result.dnsMovedSeconds!.toFixed(0)} s`);
    }
  } finally {
    ctx.print(`2. restore ${region.key}`);
    await change(ctx, 'route53:UpdateHealthCheck', { HealthCheckId: id, Inverted: false }, () =>
      clients.route53.send(new UpdateHealthCheckCommand({ HealthCheckId: id, Inverted: false })),
    );
  }
  const restoredAt = ctx.clock.now();
  await waitFor(ctx, `${region.key} healthy again`, async () => (await healthCheckState(clients, region, id)).healthy);
  const recoveredSeconds = (ctx.clock.now() - restoredAt) / 1000;
  const moved = result.dnsMovedSeconds ?? result.detectedSeconds!;
  result = { ...result, recoveredSeconds, withinRto: moved <= rto };
  ctx.print('Timings:');
  ctx.print(`  failure detected by Route 53: ${result.detectedSeconds!.toFixed(0)} s`);
  if (result.dnsMovedSeconds !== undefined)
    ctx.print(`  traffic moved (authoritative answer): ${result.dnsMovedSeconds.toFixed(0)} s`);
  ctx.print(`  back to healthy after restore: ${recoveredSeconds.toFixed(0)} s`);
  ctx.print(
    `  ${result.withinRto ? 'WITHIN' : 'EXCEEDS'} RTO: ${moved.toFixed(0)} s vs ${rto} s (clients may add up to the record TTL on top)`,
  );
  return result;
}
