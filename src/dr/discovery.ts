import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeGlobalReplicationGroupsCommand } from '@aws-sdk/client-elasticache';
import { DescribeGlobalClustersCommand } from '@aws-sdk/client-rds';
import {
  GetHealthCheckCommand,
  GetHealthCheckStatusCommand,
  ListHealthChecksCommand,
  ListHostedZonesByNameCommand,
  ListTagsForResourcesCommand,
} from '@aws-sdk/client-route-53';
import type { DrClients } from './clients';
import { clusterIdOfArn, DrError, regionOfArn, type DrRegion, type DrTargets } from './targets';

/** Route 53 counts a check healthy when more than 18 % of its checkers see it healthy. */
const HEALTHY_FRACTION = 0.18;

export interface AuroraMember {
  readonly region: string;
  readonly clusterId: string;
  readonly arn: string;
  readonly writer: boolean;
}

export interface AuroraState {
  readonly status: string;
  readonly members: readonly AuroraMember[];
  readonly writerRegion?: string;
  /** A switchover or failover AWS is running (`FailoverState`), absent when none is. */
  readonly failover?: { readonly status: string; readonly toArn?: string; readonly dataLossAllowed: boolean };
}

export async function auroraState(clients: DrClients, targets: DrTargets, via: DrRegion): Promise<AuroraState> {
  let out;
  try {
    out = await clients
      .rds(via.code)
      .send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: targets.auroraGlobalCluster }));
  } catch (error) {
    if ((error as { name?: string }).name === 'GlobalClusterNotFoundFault') {
      throw new DrError(
        `Aurora global cluster ${targets.auroraGlobalCluster} not found (asked ${via.code}): are the global and data stacks deployed for this environment?`,
      );
    }
    throw error;
  }
  const cluster = out.GlobalClusters?.[0];
  if (!cluster) throw new DrError(`Aurora global cluster ${targets.auroraGlobalCluster} not found`);
  const members = (cluster.GlobalClusterMembers ?? []).map((m) => ({
    region: regionOfArn(m.DBClusterArn) ?? '?',
    clusterId: clusterIdOfArn(m.DBClusterArn) ?? '?',
    arn: m.DBClusterArn ?? '',
    writer: m.IsWriter === true,
  }));
  const f = cluster.FailoverState;
  return {
    status: cluster.Status ?? 'unknown',
    members,
    writerRegion: members.find((m) => m.writer)?.region,
    failover: f?.Status
      ? { status: f.Status, toArn: f.ToDbClusterArn, dataLossAllowed: f.IsDataLossAllowed === true }
      : undefined,
  };
}

export interface CacheMember {
  readonly region: string;
  readonly replicationGroupId: string;
  readonly primary: boolean;
  readonly status: string;
}

export interface CacheState {
  readonly id: string;
  readonly status: string;
  readonly members: readonly CacheMember[];
  readonly primaryRegion?: string;
}

export async function cacheState(clients: DrClients, targets: DrTargets, via: DrRegion): Promise<CacheState> {
  const out = await clients
    .elasticache(via.code)
    .send(new DescribeGlobalReplicationGroupsCommand({ ShowMemberInfo: true }));
  const group = (out.GlobalReplicationGroups ?? []).find((g) =>
    g.GlobalReplicationGroupId?.endsWith(`-${targets.cacheGlobalDatastoreSuffix}`),
  );
  if (!group?.GlobalReplicationGroupId) {
    throw new DrError(
      `ElastiCache global datastore *-${targets.cacheGlobalDatastoreSuffix} not found (asked ${via.code}): is the global stack deployed?`,
    );
  }
  const members = (group.Members ?? []).map((m) => ({
    region: m.ReplicationGroupRegion ?? '?',
    replicationGroupId: m.ReplicationGroupId ?? '?',
    primary: m.Role === 'PRIMARY',
    status: m.Status ?? 'unknown',
  }));
  return {
    id: group.GlobalReplicationGroupId,
    status: group.Status ?? 'unknown',
    members,
    primaryRegion: members.find((m) => m.primary)?.region,
  };
}

export interface HealthCheckState {
  readonly region: DrRegion;
  readonly id: string;
  readonly inverted: boolean;
  readonly healthy: boolean;
  /** Name the checkers probe (a failover fences a lost region by pointing it at `<name>.invalid`). */
  readonly fqdn?: string;
  /** Checkers reporting success / all checkers. */
  readonly checkers: string;
}

/** Health check ids by their `Name` tag. */
export async function healthCheckIds(clients: DrClients, targets: DrTargets): Promise<Map<string, string>> {
  const ids: string[] = [];
  let marker: string | undefined;
  do {
    const page = await clients.route53.send(new ListHealthChecksCommand({ Marker: marker }));
    ids.push(...(page.HealthChecks ?? []).map((h) => h.Id!).filter(Boolean));
    marker = page.IsTruncated ? page.NextMarker : undefined;
  } while (marker);
  const byName = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 10) {
    const tags = await clients.route53.send(
      new ListTagsForResourcesCommand({ ResourceType: 'healthcheck', ResourceIds: ids.slice(i, i + 10) }),
    );
    for (const set of tags.ResourceTagSets ?? []) {
      const name = set.Tags?.find((t) => t.Key === 'Name')?.Value;
      if (name && set.ResourceId) byName.set(name, set.ResourceId);
    }
  }
  const wanted = new Set(targets.regions.map((r) => r.healthCheckName));
  return new Map([...byName].filter(([name]) => wanted.has(name)));
}

export function requireHealthCheck(ids: Map<string, string>, region: DrRegion): string {
  const id = ids.get(region.healthCheckName);
  if (!id) {
    throw new DrError(
      `no Route 53 health check tagged Name=${region.healthCheckName} for region ${region.key}: is the global stack deployed?`,
    );
  }
  return id;
}

export async function healthCheckState(clients: DrClients, region: DrRegion, id: string): Promise<HealthCheckState> {
  const [check, status] = await Promise.all([
    clients.route53.send(new GetHealthCheckCommand({ HealthCheckId: id })),
    clients.route53.send(new GetHealthCheckStatusCommand({ HealthCheckId: id })),
  ]);
  const observations = status.HealthCheckObservations ?? [];
  const ok = observations.filter((o) => o.StatusReport?.Status?.startsWith('Success')).length;
  const inverted = check.HealthCheck?.HealthCheckConfig?.Inverted === true;
  const probesHealthy = observations.length > 0 && ok / observations.length > HEALTHY_FRACTION;
  return {
    region,
    id,
    inverted,
    // Checkers report the probe result; an inverted check is healthy when the probe fails.
    healthy: inverted ? !probesHealthy : probesHealthy,
    fqdn: check.HealthCheck?.HealthCheckConfig?.FullyQualifiedDomainName,
    checkers: `${ok}/${observations.length}`,
  };
}

export async function hostedZoneId(clients: DrClients, targets: DrTargets): Promise<string> {
  const out = await clients.route53.send(new ListHostedZonesByNameCommand({ DNSName: targets.domainName }));
  const zone = (out.HostedZones ?? []).find((z) => z.Name === `${targets.domainName}.` && !z.Config?.PrivateZone);
  if (!zone?.Id) throw new DrError(`no public hosted zone ${targets.domainName}: is the dns stack deployed?`);
  return zone.Id.replace(/^\/hostedzone\//, '');
}

export type MetricQuery =
  { namespace: string; metric: string; dimensions: Record<string, string> } | { search: string };

/** The newest datapoint of a metric and when it was taken. */
export interface Datapoint {
  readonly value: number;
  readonly at: Date;
}

/**
 * The newest datapoint (Maximum per minute) within `lookbackMinutes` before `end`, the worst
 * series when a SEARCH returns several; undefined when there is none. A failover reads the last
 * lag seen before the primary was lost, so it looks further back than `status` does.
 */
export async function lastSeenMetric(
  clients: DrClients,
  region: string,
  expression: MetricQuery,
  end: Date,
  lookbackMinutes: number,
): Promise<Datapoint | undefined> {
  const out = await clients.cloudwatch(region).send(
    new GetMetricDataCommand({
      StartTime: new Date(end.getTime() - lookbackMinutes * 60_000),
      EndTime: end,
      ScanBy: 'TimestampDescending',
      MetricDataQueries: [metricQuery(expression)],
    }),
  );
  let newest: Datapoint | undefined;
  for (const series of out.MetricDataResults ?? []) {
    const value = series.Values?.[0];
    const at = series.Timestamps?.[0];
    if (value === undefined) continue;
    const when = at ?? end;
    if (!newest || when > newest.at || (when.getTime() === newest.at.getTime() && value > newest.value))
      newest = { value, at: when };
  }
  return newest;
}

function metricQuery(expression: MetricQuery) {
  return 'search' in expression
    ? { Id: 'm', Expression: expression.search, Period: 60 }
    : {
        Id: 'm',
        MetricStat: {
          Metric: {
            Namespace: expression.namespace,
            MetricName: expression.metric,
            Dimensions: Object.entries(expression.dimensions).map(([Name, Value]) => ({ Name, Value })),
          },
          Period: 60,
          Stat: 'Maximum',
        },
      };
}

/** Latest value of a metric over the last 10 minutes (Maximum per minute), or undefined when none. */
export async function latestMetric(
  clients: DrClients,
  region: string,
  expression: MetricQuery,
): Promise<number | undefined> {
  const end = new Date();
  const start = new Date(end.getTime() - 10 * 60_000);
  const query = metricQuery(expression);
  const out = await clients.cloudwatch(region).send(
    new GetMetricDataCommand({
      StartTime: start,
      EndTime: end,
      ScanBy: 'TimestampDescending',
      MetricDataQueries: [query],
    }),
  );
  // Newest first; a SEARCH returns one series per node: report the worst node.
  const latest = (out.MetricDataResults ?? []).map((r) => r.Values?.[0]).filter((v): v is number => v !== undefined);
  return latest.length > 0 ? Math.max(...latest) : undefined;
}
