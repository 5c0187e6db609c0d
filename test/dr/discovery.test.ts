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

import 'aws-sdk-client-mock-jest';
import {
  auroraState,
  cacheState,
  healthCheckIds,
  healthCheckState,
  hostedZoneId,
  lastSeenMetric,
  latestMetric,
} from '../../src/dr/discovery';
import { clusterIdOfArn, DrError, drTargets, findRegion, regionOfArn, type DrTargets } from '../../src/dr/targets';
import { resolvePlan } from '../../src/plan/resolve';
import { threeRegions } from '../support/config';
import { awsError, drClients, sdkMocks } from '../support/dr-mocks';

// What the DR commands read from AWS, answer by answer: pagination and batching of Route 53, the
// healthy fraction of checkers, the public zone, the newest metric datapoint, and the errors.

const { rds, cache, r53, cw } = sdkMocks();

let targets: DrTargets;
beforeEach(() => {
  [rds, cache, r53, cw].forEach((m) => m.reset());
  targets = drTargets(resolvePlan(threeRegions));
});

describe('health checks', () => {
  test('ids are read across pages and tagged in batches of 10; only the configured names are kept', async () => {
    const ids = Array.from({ length: 23 }, (_, i) => `hc-${i}`);
    r53
      .on(ListHealthChecksCommand, { Marker: undefined })
      .resolves({ HealthChecks: ids.slice(0, 12).map((Id) => ({ Id })) as never, IsTruncated: true, NextMarker: 'p2' });
    r53
      .on(ListHealthChecksCommand, { Marker: 'p2' })
      .resolves({ HealthChecks: ids.slice(12).map((Id) => ({ Id })) as never, IsTruncated: false, NextMarker: 'x' });
    const names = new Map([
      ['hc-3', targets.regions[0].healthCheckName],
      ['hc-15', targets.regions[1].healthCheckName],
      ['hc-22', targets.regions[2].healthCheckName],
      ['hc-7', 'someone-elses-check'],
    ]);
    r53.on(ListTagsForResourcesCommand).callsFake((input: { ResourceIds: string[] }) => ({
      ResourceTagSets: input.ResourceIds.map((id) => ({
        ResourceType: 'healthcheck',
        ResourceId: id,
        Tags: names.has(id) ? [{ Key: 'Name', Value: names.get(id) }] : [{ Key: 'Owner', Value: 'x' }],
      })),
    }));
    const found = await healthCheckIds(drClients, targets);
    expect([...found].sort()).toEqual(
      [
        [targets.regions[0].healthCheckName, 'hc-3'],
        [targets.regions[1].healthCheckName, 'hc-15'],
        [targets.regions[2].healthCheckName, 'hc-22'],
      ].sort(),
    );
    expect(r53.commandCalls(ListHealthChecksCommand)).toHaveLength(2);
    expect(r53.commandCalls(ListTagsForResourcesCommand).map((c) => c.args[0].input.ResourceIds)).toEqual([
      ids.slice(0, 10),
      ids.slice(10, 20),
      ids.slice(20),
    ]);
  });

  const state = async (successes: number, of: number, inverted = false) => {
    r53.on(GetHealthCheckCommand).resolves({
      HealthCheck: {
        Id: 'hc',
        HealthCheckConfig: { Type: 'HTTPS', Inverted: inverted, FullyQualifiedDomainName: 'api-x.example.org' },
      },
    } as never);
    r53.on(GetHealthCheckStatusCommand).resolves({
      HealthCheckObservations: Array.from({ length: of }, (_, i) => ({
        StatusReport: { Status: i < successes ? 'Success: HTTP Status Code 200' : 'Failure: timeout' },
      })),
    });
    return healthCheckState(drClients, targets.regions[0], 'hc');
  };

  test.each([
    [9, 50, false, '18 % of checkers is not more than 18 %'],
    [10, 50, true, '20 %'],
    [1, 8, false, '12.5 %'],
    [2, 8, true, '25 %'],
    [0, 0, false, 'no observation at all'],
  ])('%i of %i checkers succeeding: healthy %s (%s)', async (successes, of, healthy) => {
    const hc = await state(successes, of);
    expect(hc.healthy).toBe(healthy);
    expect(hc.checkers).toBe(`${successes}/${of}`);
    expect(hc.inverted).toBe(false);
    expect(hc.fqdn).toBe('api-x.example.org');
  });

  test('an inverted check is healthy when its probes fail, and unhealthy when they succeed', async () => {
    expect((await state(0, 8, true)).healthy).toBe(true);
    expect((await state(8, 8, true)).healthy).toBe(false);
    expect((await state(8, 8, true)).inverted).toBe(true);
  });
});

describe('hosted zone', () => {
  test('the public zone of the domain, without its /hostedzone/ prefix', async () => {
    r53.on(ListHostedZonesByNameCommand).resolves({
      HostedZones: [
        { Id: '/hostedzone/ZPRIVATE', Name: '254carbon.com.', CallerReference: 'a', Config: { PrivateZone: true } },
        { Id: '/hostedzone/ZOTHER', Name: 'other.com.', CallerReference: 'b', Config: { PrivateZone: false } },
        { Id: '/hostedzone/ZPUBLIC', Name: '254carbon.com.', CallerReference: 'c' },
      ],
    });
    expect(await hostedZoneId(drClients, targets)).toBe('ZPUBLIC');
    expect(r53).toHaveReceivedCommandWith(ListHostedZonesByNameCommand, { DNSName: '254carbon.com' });
  });

  test('none: is the dns stack deployed?', async () => {
    r53.on(ListHostedZonesByNameCommand).resolves({
      HostedZones: [
        { Id: '/hostedzone/Z', Name: '254carbon.com.', CallerReference: 'a', Config: { PrivateZone: true } },
      ],
    });
    await expect(hostedZoneId(drClients, targets)).rejects.toThrow(
      new DrError('no public hosted zone 254carbon.com: is the dns stack deployed?'),
    );
  });
});

describe('metrics', () => {
  const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute));
  const end = at(30);

  test('the newest datapoint across series; at the same time the larger value', async () => {
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'a', Values: [5], Timestamps: [at(10)] },
        { Id: 'b', Values: [2], Timestamps: [at(20)] },
        { Id: 'c', Values: [3], Timestamps: [at(20)] },
        { Id: 'd', Values: [], Timestamps: [] },
        { Id: 'e', Values: [1], Timestamps: [at(15)] },
      ],
    });
    expect(await lastSeenMetric(drClients, 'eu-west-1', { search: 'S' }, end, 60)).toEqual({ value: 3, at: at(20) });
    const input = cw.commandCalls(GetMetricDataCommand)[0].args[0].input;
    expect(input).toEqual({
      StartTime: at(-30),
      EndTime: end,
      ScanBy: 'TimestampDescending',
      MetricDataQueries: [{ Id: 'm', Expression: 'S', Period: 60 }],
    });
  });

  test('a datapoint without a timestamp counts as seen at the end; none at all is undefined', async () => {
    cw.on(GetMetricDataCommand)
      .resolvesOnce({ MetricDataResults: [{ Id: 'a', Values: [4] }] })
      .resolves({});
    expect(await lastSeenMetric(drClients, 'eu-west-1', { search: 'S' }, end, 5)).toEqual({ value: 4, at: end });
    expect(await lastSeenMetric(drClients, 'eu-west-1', { search: 'S' }, end, 5)).toBeUndefined();
  });

  test('latest: the worst node of the newest values, over the last 10 minutes; a metric query by name', async () => {
    cw.on(GetMetricDataCommand)
      .resolvesOnce({ MetricDataResults: [{ Values: [850, 400] }, { Values: [900] }, { Values: [] }] })
      .resolves({ MetricDataResults: [] });
    const query = {
      namespace: 'AWS/RDS',
      metric: 'AuroraGlobalDBReplicationLag',
      dimensions: { DBClusterIdentifier: 'c' },
    };
    expect(await latestMetric(drClients, 'eu-west-1', query)).toBe(900);
    expect(await latestMetric(drClients, 'eu-west-1', query)).toBeUndefined();
    const input = cw.commandCalls(GetMetricDataCommand)[0].args[0].input;
    expect(input.EndTime!.getTime() - input.StartTime!.getTime()).toBe(10 * 60_000);
    expect(input.MetricDataQueries).toEqual([
      {
        Id: 'm',
        MetricStat: {
          Metric: {
            Namespace: 'AWS/RDS',
            MetricName: 'AuroraGlobalDBReplicationLag',
            Dimensions: [{ Name: 'DBClusterIdentifier', Value: 'c' }],
          },
          Period: 60,
          Stat: 'Maximum',
        },
      },
    ]);
  });
});

describe('Aurora and the cache', () => {
  const via = () => targets.regions[1];

  test('a missing global cluster names what to deploy; other errors pass through', async () => {
    rds.on(DescribeGlobalClustersCommand).rejectsOnce(awsError('GlobalClusterNotFoundFault')).rejects(awsError('Boom'));
    await expect(auroraState(drClients, targets, via())).rejects.toThrow(
      'Aurora global cluster mi-production-aurora not found (asked eu-west-1): are the global and data stacks deployed for this environment?',
    );
    await expect(auroraState(drClients, targets, via())).rejects.toThrow(expect.objectContaining({ name: 'Boom' }));
  });

  test('an empty answer is not found either; members of unknown shape read as unknown', async () => {
    rds
      .on(DescribeGlobalClustersCommand)
      .resolvesOnce({ GlobalClusters: [] })
      .resolves({
        GlobalClusters: [
          { GlobalClusterMembers: [{ IsWriter: true }, { DBClusterArn: 'arn:aws:rds:eu-west-1:1:cluster:x' }] },
        ],
      });
    await expect(auroraState(drClients, targets, via())).rejects.toThrow(
      'Aurora global cluster mi-production-aurora not found',
    );
    expect(await auroraState(drClients, targets, via())).toEqual({
      status: 'unknown',
      members: [
        { region: '?', clusterId: '?', arn: '', writer: true },
        { region: 'eu-west-1', clusterId: 'x', arn: 'arn:aws:rds:eu-west-1:1:cluster:x', writer: false },
      ],
      writerRegion: '?',
      failover: undefined,
    });
  });

  test('a failover in progress is read with its target and whether data loss is allowed', async () => {
    rds.on(DescribeGlobalClustersCommand).resolves({
      GlobalClusters: [{ Status: 'failing-over', FailoverState: { Status: 'pending', ToDbClusterArn: 'arn:t' } }],
    });
    expect((await auroraState(drClients, targets, via())).failover).toEqual({
      status: 'pending',
      toArn: 'arn:t',
      dataLossAllowed: false,
    });
  });

  test('the datastore is found by its suffix after the account prefix, asked in the given region', async () => {
    cache.on(DescribeGlobalReplicationGroupsCommand).resolves({
      GlobalReplicationGroups: [
        { GlobalReplicationGroupId: 'xmi-production-cache', Status: 'available' },
        {
          GlobalReplicationGroupId: 'ldgnf-mi-production-cache',
          Members: [{ ReplicationGroupId: 'g', ReplicationGroupRegion: 'eu-west-1', Role: 'PRIMARY' }, {}],
        },
      ],
    });
    expect(await cacheState(drClients, targets, via())).toEqual({
      id: 'ldgnf-mi-production-cache',
      status: 'unknown',
      members: [
        { region: 'eu-west-1', replicationGroupId: 'g', primary: true, status: 'unknown' },
        { region: '?', replicationGroupId: '?', primary: false, status: 'unknown' },
      ],
      primaryRegion: 'eu-west-1',
    });
    expect(cache).toHaveReceivedCommandWith(DescribeGlobalReplicationGroupsCommand, { ShowMemberInfo: true });
    expect(await cache.call(0).thisValue.config.region()).toBe('eu-west-1');
  });

  test('no datastore with the suffix: is the global stack deployed?', async () => {
    cache
      .on(DescribeGlobalReplicationGroupsCommand)
      .resolves({ GlobalReplicationGroups: [{ GlobalReplicationGroupId: 'mi-production-cache-old' }] });
    await expect(cacheState(drClients, targets, via())).rejects.toThrow(
      'ElastiCache global datastore *-mi-production-cache not found (asked eu-west-1): is the global stack deployed?',
    );
  });
});

describe('targets', () => {
  test('ARNs: region and cluster id (which may hold colons)', () => {
    expect(regionOfArn('arn:aws:rds:eu-west-1:1:cluster:a:b')).toBe('eu-west-1');
    expect(clusterIdOfArn('arn:aws:rds:eu-west-1:1:cluster:a:b')).toBe('a:b');
    expect(regionOfArn(undefined)).toBeUndefined();
    expect(clusterIdOfArn(undefined)).toBeUndefined();
  });

  test('a region by key or code; otherwise the flag, the value and the valid ones', () => {
    expect(findRegion(targets, 'eu-west', '--to').code).toBe('eu-west-1');
    expect(findRegion(targets, 'ap-southeast-1', '--to').key).toBe('apac');
    expect(() => findRegion(targets, undefined, '--region')).toThrow(
      '--region (missing): expected one of us-east (us-east-1), eu-west (eu-west-1), apac (ap-southeast-1)',
    );
  });

  test('record type and DNS budget come from the plan', () => {
    expect(targets.recordType).toBe(threeRegions.traffic.recordTarget === 'cname' ? 'CNAME' : 'A');
    const plan = resolvePlan(threeRegions);
    const dns = plan.traffic.budgets.find((b) => b.path === 'dns')!;
    expect(targets.dnsFailover).toEqual({ seconds: dns.worstCaseSeconds, arithmetic: dns.arithmetic });
    expect(() => drTargets({ ...plan, traffic: { ...plan.traffic, budgets: [] } })).toThrow(
      'the plan has no dns failover budget',
    );
  });
});
