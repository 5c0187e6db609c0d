import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import {
  DescribeGlobalReplicationGroupsCommand,
  ElastiCacheClient,
  FailoverGlobalReplicationGroupCommand,
  type FailoverGlobalReplicationGroupCommandInput,
} from '@aws-sdk/client-elasticache';
import {
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  RDSClient,
  SwitchoverGlobalClusterCommand,
  type FailoverGlobalClusterCommandInput,
  type SwitchoverGlobalClusterCommandInput,
} from '@aws-sdk/client-rds';
import {
  GetHealthCheckCommand,
  GetHealthCheckStatusCommand,
  ListHealthChecksCommand,
  ListTagsForResourcesCommand,
  Route53Client,
  UpdateHealthCheckCommand,
  type UpdateHealthCheckCommandInput,
} from '@aws-sdk/client-route-53';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import type { DrClients } from '../../src/dr/clients';
import type { Clock, DrContext } from '../../src/dr/commands';
import { drTargets, primaryOf, type DrTargets } from '../../src/dr/targets';
import type { PlatformConfig } from '../../src/config/types';
import { resolvePlan } from '../../src/plan/resolve';

/**
 * Clients for the DR commands, one per region asked for (so a mock can tell which region a call
 * went to); tests mock their classes with aws-sdk-client-mock.
 */
export const drClients: DrClients = {
  rds: (region) => new RDSClient({ region }),
  elasticache: (region) => new ElastiCacheClient({ region }),
  cloudwatch: (region) => new CloudWatchClient({ region }),
  route53: new Route53Client({ region: 'us-east-1' }),
};

/** A clock that jumps forward on every sleep, so polling tests run instantly. */
export function fakeClock(): Clock {
  let t = 0;
  return { now: () => t, sleep: async (ms) => void (t += ms) };
}

/** Route 53 health-check observations from 8 checkers, all healthy or all failing. */
export const observations = (healthy: boolean) => ({
  HealthCheckObservations: Array.from({ length: 8 }, () => ({
    StatusReport: { Status: healthy ? 'Success: HTTP Status Code 200, OK' : 'Failure: Connection timed out' },
  })),
});

export const ACCOUNT = '111122223333';
/** The per-account prefix AWS puts before a global datastore's suffix. */
export const DATASTORE_PREFIX = 'ldgnf';

export interface DrMocks {
  readonly rds: AwsClientStub<RDSClient>;
  readonly cache: AwsClientStub<ElastiCacheClient>;
  readonly r53: AwsClientStub<Route53Client>;
  readonly cw: AwsClientStub<CloudWatchClient>;
}

/**
 * The four SDK clients the DR commands call, mocked (aws-sdk-client-mock stubs the client classes'
 * `send` for the whole process): one set per test file, reset per test.
 */
export function sdkMocks(): DrMocks {
  return {
    rds: mockClient(RDSClient),
    cache: mockClient(ElastiCacheClient),
    r53: mockClient(Route53Client),
    cw: mockClient(CloudWatchClient),
  };
}

/** Last replication lags a region's CloudWatch holds for its own members. */
export interface RegionLags {
  /** AuroraGlobalDBRPOLag, ms. */
  readonly rpoMs?: number;
  /** AuroraGlobalDBReplicationLag, ms. */
  readonly replicationMs?: number;
  /** GlobalDatastoreReplicationLag, s. */
  readonly cacheSeconds?: number;
}

export interface AwsCall {
  readonly service: 'rds' | 'elasticache' | 'cloudwatch' | 'route53';
  readonly region: string;
  readonly api: string;
  readonly input: unknown;
}

/** AWS as the DR commands see it, built from the plan's names; tests change it and read `calls`. */
export interface FakeAws {
  auroraWriter: string;
  /** Region code of the cluster a FailoverGlobalCluster is promoting. */
  auroraFailingOverTo?: string;
  /** Describes that still show the promotion in progress before it completes. */
  auroraFailoverDescribes: number;
  /**
   * Describes after a SwitchoverGlobalCluster that already show the new writer but still
   * `switching-over` (0 once the switchover is done).
   */
  auroraSwitchoverDescribes: number;
  /**
   * Describes after a SwitchoverGlobalCluster that still show the old writer and `available`, before
   * the switchover shows at all (AWS starts it a moment after accepting the call). Default 0.
   */
  auroraSwitchoverStartDescribes: number;
  cachePrimary: string;
  /** Describes after a FailoverGlobalReplicationGroup that show the new primary but still `modifying`. */
  cacheFailoverDescribes: number;
  /** Describes after a FailoverGlobalReplicationGroup that still show the old primary, `available`. Default 0. */
  cacheFailoverStartDescribes: number;
  readonly healthChecks: Record<string, { id: string; fqdn: string; inverted: boolean }>;
  readonly lags: Record<string, RegionLags>;
  /** Regions whose endpoints never answer (rds, elasticache, cloudwatch). */
  readonly down: Set<string>;
  /** The Route 53 API never answers. */
  route53Down: boolean;
  /** Next calls of an API (e.g. `FailoverGlobalReplicationGroup`) reject with these errors, in order. */
  readonly failures: Record<string, Error[]>;
  readonly calls: AwsCall[];
}

/** An error as the SDK raises it when AWS answers with a fault. */
export const awsError = (name: string, message = name) => Object.assign(new Error(message), { name, $metadata: {} });

export const auroraArn = (region: { code: string; auroraCluster: string }) =>
  `arn:aws:rds:${region.code}:${ACCOUNT}:cluster:${region.auroraCluster}`;

/**
 * Installs a stateful fake of the DR APIs on the mocks, from `targets` (every region an Aurora
 * member; a cache member where the plan gives one). Answers depend on the region a call is sent
 * to: a region in `down` never answers, each region's CloudWatch only knows its own members, and a
 * promotion must be sent for the member of the region it is sent to.
 */
export function fakeAws(mocks: DrMocks, targets: DrTargets, primary = targets.regions[0].code): FakeAws {
  const world: FakeAws = {
    auroraWriter: primary,
    auroraFailoverDescribes: 2,
    auroraSwitchoverDescribes: 0,
    auroraSwitchoverStartDescribes: 0,
    cachePrimary: primary,
    cacheFailoverDescribes: 0,
    cacheFailoverStartDescribes: 0,
    healthChecks: Object.fromEntries(
      targets.regions.map((r) => [r.key, { id: `hc-${r.key}`, fqdn: r.directName, inverted: false }]),
    ),
    lags: {},
    down: new Set(),
    route53Down: false,
    failures: {},
    calls: [],
  };
  const datastoreId = `${DATASTORE_PREFIX}-${targets.cacheGlobalDatastoreSuffix}`;
  // A switchover or cache failover accepted but not yet visible (the *StartDescribes counters).
  let pendingWriter: string | undefined;
  let pendingCachePrimary: string | undefined;
  const hang = () => new Promise<never>(() => undefined);

  type Handler = (input: never, region: string) => unknown;
  const on = (
    service: AwsCall['service'],
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    stub: { on: (command: any) => { callsFake: (fn: (input: any, getClient: () => any) => any) => unknown } },
    command: { name: string },
    handler: Handler,
  ) => {
    const api = command.name.replace(/Command$/, '');
    stub
      .on(command)
      .callsFake(async (input: unknown, getClient: () => { config: { region: () => Promise<string> } }) => {
        const region = service === 'route53' ? 'global' : await getClient().config.region();
        world.calls.push({ service, region, api, input });
        if (service === 'route53' ? world.route53Down : world.down.has(region)) return hang();
        const failure = world.failures[api]?.shift();
        if (failure) throw failure;
        return handler(input as never, region);
      });
  };

  on('rds', mocks.rds, DescribeGlobalClustersCommand, () => {
    if (pendingWriter && world.auroraSwitchoverStartDescribes-- <= 0) {
      world.auroraWriter = pendingWriter;
      world.auroraSwitchoverDescribes = 2;
      pendingWriter = undefined;
    }
    const failingOver = world.auroraFailingOverTo;
    const switching = world.auroraSwitchoverDescribes > 0;
    if (switching) world.auroraSwitchoverDescribes--;
    const answer = {
      GlobalClusters: [
        {
          GlobalClusterIdentifier: targets.auroraGlobalCluster,
          Status: failingOver ? 'failing-over' : switching ? 'switching-over' : 'available',
          FailoverState: failingOver
            ? {
                Status: 'failing-over',
                ToDbClusterArn: auroraArn(targets.regions.find((r) => r.code === failingOver)!),
                IsDataLossAllowed: true,
              }
            : undefined,
          GlobalClusterMembers: targets.regions.map((r) => ({
            DBClusterArn: auroraArn(r),
            IsWriter: r.code === world.auroraWriter,
          })),
        },
      ],
    };
    // The promotion completes after it has been seen in progress `auroraFailoverDescribes` times.
    if (failingOver && --world.auroraFailoverDescribes <= 0) {
      world.auroraWriter = failingOver;
      world.auroraFailingOverTo = undefined;
    }
    return answer;
  });
  on('rds', mocks.rds, FailoverGlobalClusterCommand, (input: FailoverGlobalClusterCommandInput, region) => {
    const member = targets.regions.find((r) => auroraArn(r) === input.TargetDbClusterIdentifier);
    if (input.GlobalClusterIdentifier !== targets.auroraGlobalCluster || !member)
      throw awsError('DBClusterNotFoundFault', `no member ${input.TargetDbClusterIdentifier}`);
    if (member.code !== region)
      throw awsError('InvalidParameterValue', `sent to ${region} for a member in ${member.code}`);
    world.auroraFailingOverTo = member.code;
    world.auroraFailoverDescribes = 2;
    return {};
  });
  // A planned switchover: the writer role moves at once, the cluster reads `switching-over` for two
  // more describes (a command that stops waiting at the writer alone moves on too early).
  on('rds', mocks.rds, SwitchoverGlobalClusterCommand, (input: SwitchoverGlobalClusterCommandInput, region) => {
    const member = targets.regions.find((r) => auroraArn(r) === input.TargetDbClusterIdentifier);
    if (input.GlobalClusterIdentifier !== targets.auroraGlobalCluster || !member)
      throw awsError('DBClusterNotFoundFault', `no member ${input.TargetDbClusterIdentifier}`);
    if (member.code !== region)
      throw awsError('InvalidParameterValue', `sent to ${region} for a member in ${member.code}`);
    if (world.auroraSwitchoverStartDescribes > 0) {
      pendingWriter = member.code;
      return {};
    }
    world.auroraWriter = member.code;
    world.auroraSwitchoverDescribes = 2;
    return {};
  });
  on('elasticache', mocks.cache, DescribeGlobalReplicationGroupsCommand, () => {
    if (pendingCachePrimary && world.cacheFailoverStartDescribes-- <= 0) {
      world.cachePrimary = pendingCachePrimary;
      world.cacheFailoverDescribes = 2;
      pendingCachePrimary = undefined;
    }
    const modifying = world.cacheFailoverDescribes > 0;
    if (modifying) world.cacheFailoverDescribes--;
    return {
      GlobalReplicationGroups: [
        {
          GlobalReplicationGroupId: datastoreId,
          Status: modifying ? 'modifying' : 'available',
          Members: targets.regions
            .filter((r) => r.cacheReplicationGroup)
            .map((r) => ({
              ReplicationGroupId: r.cacheReplicationGroup,
              ReplicationGroupRegion: r.code,
              Role: r.code === world.cachePrimary ? 'PRIMARY' : 'SECONDARY',
              Status: 'associated',
            })),
        },
      ],
    };
  });
  on(
    'elasticache',
    mocks.cache,
    FailoverGlobalReplicationGroupCommand,
    (input: FailoverGlobalReplicationGroupCommandInput, region) => {
      const member = targets.regions.find((r) => r.code === input.PrimaryRegion);
      if (input.GlobalReplicationGroupId !== datastoreId) throw awsError('GlobalReplicationGroupNotFoundFault');
      if (!member || member.cacheReplicationGroup !== input.PrimaryReplicationGroupId || member.code !== region)
        throw awsError('InvalidParameterValue', `${input.PrimaryReplicationGroupId} is not the member in ${region}`);
      if (world.cacheFailoverStartDescribes > 0) {
        pendingCachePrimary = member.code;
        return {};
      }
      world.cachePrimary = member.code;
      world.cacheFailoverDescribes = 2;
      return {};
    },
  );
  on('cloudwatch', mocks.cw, GetMetricDataCommand, (input: GetMetricDataCommandInput, region) => {
    const query = input.MetricDataQueries?.[0];
    const own = targets.regions.find((r) => r.code === region)!;
    const lags = world.lags[region] ?? {};
    const at = new Date(Date.UTC(2026, 0, 1, 12, 0));
    const series = (value: number | undefined) => ({
      MetricDataResults: value === undefined ? [] : [{ Id: 'm', Values: [value], Timestamps: [at] }],
    });
    const stat = query?.MetricStat?.Metric;
    const cluster = stat?.Dimensions?.find((d) => d.Name === 'DBClusterIdentifier')?.Value;
    // Aurora's lags live in AWS/RDS as per-minute Maximum (another namespace or statistic has none).
    const rdsMaximum = stat?.Namespace === 'AWS/RDS' && query?.MetricStat?.Stat === 'Maximum';
    if (stat && rdsMaximum && cluster === own.auroraCluster) {
      if (stat.MetricName === 'AuroraGlobalDBRPOLag') return series(lags.rpoMs);
      if (stat.MetricName === 'AuroraGlobalDBReplicationLag') return series(lags.replicationMs);
    }
    if (
      query?.Expression?.includes('GlobalDatastoreReplicationLag') &&
      own.cacheReplicationGroup &&
      query.Expression.includes(`"${own.cacheReplicationGroup}"`)
    )
      return series(lags.cacheSeconds);
    return series(undefined);
  });

  const byId = (id: string | undefined) => Object.entries(world.healthChecks).find(([, hc]) => hc.id === id);
  on('route53', mocks.r53, ListHealthChecksCommand, () => ({
    HealthChecks: Object.values(world.healthChecks).map((hc) => ({ Id: hc.id })),
    IsTruncated: false,
  }));
  on('route53', mocks.r53, ListTagsForResourcesCommand, (input: { ResourceIds: string[] }) => ({
    ResourceTagSets: input.ResourceIds.map((id) => ({
      ResourceType: 'healthcheck',
      ResourceId: id,
      Tags: [{ Key: 'Name', Value: targets.regions.find((r) => r.key === byId(id)![0])!.healthCheckName }],
    })),
  }));
  on('route53', mocks.r53, GetHealthCheckCommand, (input: { HealthCheckId: string }) => {
    const hc = byId(input.HealthCheckId)![1];
    return {
      HealthCheck: {
        Id: hc.id,
        HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: hc.fqdn, Inverted: hc.inverted },
      },
    };
  });
  on('route53', mocks.r53, GetHealthCheckStatusCommand, (input: { HealthCheckId: string }) => {
    const [key, hc] = byId(input.HealthCheckId)!;
    const region = targets.regions.find((r) => r.key === key)!;
    // Probes succeed only against the region's own name while it is up.
    return observations(hc.fqdn === region.directName && !world.down.has(region.code));
  });
  on('route53', mocks.r53, UpdateHealthCheckCommand, (input: UpdateHealthCheckCommandInput) => {
    const hc = byId(input.HealthCheckId)![1];
    if (input.FullyQualifiedDomainName !== undefined) hc.fqdn = input.FullyQualifiedDomainName;
    if (input.Inverted !== undefined) hc.inverted = input.Inverted;
    return {};
  });
  return world;
}

/**
 * Resets every mock and builds the targets of `config` and their fake AWS, with the writers in
 * `primary` (the configured primary unless given).
 */
export function fakeWorld(
  mocks: DrMocks,
  config: PlatformConfig,
  primary?: string,
): { readonly targets: DrTargets; readonly aws: FakeAws } {
  Object.values(mocks).forEach((m) => m.reset());
  const targets = drTargets(resolvePlan(config));
  return { targets, aws: fakeAws(mocks, targets, primary ?? primaryOf(targets).code) };
}

/**
 * The context a DR command gets, for calling it directly: the fake clients, executing, printing into
 * `lines`, a fake clock, 10 s polls and a 120 s timeout; `options` override any of it.
 */
export function drContext(targets: DrTargets, lines: string[], options: Partial<DrContext> = {}): DrContext {
  return {
    clients: drClients,
    targets,
    execute: true,
    print: (l) => lines.push(l),
    clock: fakeClock(),
    pollSeconds: 10,
    timeoutSeconds: 120,
    ...options,
  };
}
