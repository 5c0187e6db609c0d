// Answers AWS may give that are partial or oddly shaped (fields absent, tags in another order, a
// page of exactly ten health checks), read by src/dr/discovery.ts without crashing or misreading.
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeGlobalReplicationGroupsCommand } from '@aws-sdk/client-elasticache';
import { DescribeGlobalClustersCommand } from '@aws-sdk/client-rds';
import {
  GetHealthCheckCommand,
  GetHealthCheckStatusCommand,
  ListHealthChecksCommand,
  ListTagsForResourcesCommand,
} from '@aws-sdk/client-route-53';

import {
  auroraState,
  cacheState,
  healthCheckIds,
  healthCheckState,
  lastSeenMetric,
  latestMetric,
  requireHealthCheck,
} from '../../src/dr/discovery';
import { DrError, drTargets, type DrTargets } from '../../src/dr/targets';
import { resolvePlan } from '../../src/plan/resolve';
import { threeRegions } from '../support/config';
import { drClients, sdkMocks } from '../support/dr-mocks';

const { rds, cache, r53, cw } = sdkMocks();

let targets: DrTargets;
beforeEach(() => {
  [rds, cache, r53, cw].forEach((m) => m.reset());
  targets = drTargets(resolvePlan(threeRegions));
});

describe('Aurora and the cache, partial answers', () => {
  test('an answer without GlobalClusters: not found, a DrError', async () => {
    rds.on(DescribeGlobalClustersCommand).resolves({});
    await expect(auroraState(drClients, targets, targets.regions[0])).rejects.toThrow(
      new DrError('Aurora global cluster mi-production-aurora not found'),
    );
  });

  test('a cluster without members: none, and no writer', async () => {
    rds.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [{ Status: 'available' }] });
    expect(await auroraState(drClients, targets, targets.regions[0])).toEqual({
      status: 'available',
      members: [],
      writerRegion: undefined,
      failover: undefined,
    });
  });

  test('a datastore without an id is skipped; the one with the suffix is found', async () => {
    cache.on(DescribeGlobalReplicationGroupsCommand).resolves({
      GlobalReplicationGroups: [
        { Status: 'creating' },
        { GlobalReplicationGroupId: 'ldgnf-mi-production-cache', Status: 'available' },
      ],
    });
    expect(await cacheState(drClients, targets, targets.regions[0])).toEqual({
      id: 'ldgnf-mi-production-cache',
      status: 'available',
      members: [],
      primaryRegion: undefined,
    });
  });
});

describe('health checks, partial answers', () => {
  const tagged = (id: string, tags: { Key: string; Value: string }[] | undefined) => ({
    ResourceType: 'healthcheck' as const,
    ResourceId: id,
    Tags: tags,
  });

  test('a listed check without an id is not asked for its tags; tags are asked for health checks', async () => {
    r53.on(ListHealthChecksCommand).resolves({ HealthChecks: [{ Id: 'hc-1' }, {}] as never, IsTruncated: false });
    r53.on(ListTagsForResourcesCommand).resolves({
      ResourceTagSets: [tagged('hc-1', [{ Key: 'Name', Value: 'mi-production-api-us-east' }])],
    });
    expect(await healthCheckIds(drClients, targets)).toEqual(new Map([['mi-production-api-us-east', 'hc-1']]));
    expect(r53.commandCalls(ListTagsForResourcesCommand).map((c) => c.args[0].input)).toEqual([
      { ResourceType: 'healthcheck', ResourceIds: ['hc-1'] },
    ]);
    expect(r53.commandCalls(ListTagsForResourcesCommand)[0].args[0].input.ResourceIds).toHaveLength(1);
  });

  test('exactly ten checks are tagged in one batch, not one more empty one', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `hc-${i}`);
    r53.on(ListHealthChecksCommand).resolves({ HealthChecks: ids.map((Id) => ({ Id })) as never, IsTruncated: false });
    r53.on(ListTagsForResourcesCommand).resolves({ ResourceTagSets: [] });
    expect(await healthCheckIds(drClients, targets)).toEqual(new Map());
    expect(r53.commandCalls(ListTagsForResourcesCommand)).toHaveLength(1);
  });

  test('the Name tag is found among others; a set without tags or without a resource id changes nothing', async () => {
    r53.on(ListHealthChecksCommand).resolves({
      HealthChecks: [{ Id: 'hc-a' }, { Id: 'hc-b' }, { Id: 'hc-c' }] as never,
      IsTruncated: false,
    });
    r53.on(ListTagsForResourcesCommand).resolves({
      ResourceTagSets: [
        tagged('hc-a', [
          { Key: 'environment', Value: 'mi-production-api-apac' },
          { Key: 'Name', Value: 'mi-production-api-eu-west' },
        ]),
        tagged('hc-b', undefined),
        { ResourceType: 'healthcheck' as const, Tags: [{ Key: 'Name', Value: 'mi-production-api-eu-west' }] },
      ],
    });
    expect(await healthCheckIds(drClients, targets)).toEqual(new Map([['mi-production-api-eu-west', 'hc-a']]));
  });

  test('a region without a tagged check: requireHealthCheck names the tag and the region', () => {
    const apac = targets.regions[2];
    expect(() => requireHealthCheck(new Map(), apac)).toThrow(
      new DrError(
        'no Route 53 health check tagged Name=mi-production-api-apac for region apac: is the global stack deployed?',
      ),
    );
    expect(requireHealthCheck(new Map([['mi-production-api-apac', 'hc-9']]), apac)).toBe('hc-9');
  });

  test('observations without a report count as failing; a check without its config is not inverted', async () => {
    r53.on(GetHealthCheckCommand).resolves({ HealthCheck: {} as never });
    r53.on(GetHealthCheckStatusCommand).resolves({
      HealthCheckObservations: [
        {},
        { StatusReport: {} },
        { StatusReport: { Status: 'Success: HTTP Status Code 200, OK' } },
        { StatusReport: { Status: 'Success: HTTP Status Code 200, OK' } },
      ],
    });
    const state = await healthCheckState(drClients, targets.regions[0], 'hc-x');
    expect(state).toEqual({
      region: targets.regions[0],
      id: 'hc-x',
      inverted: false,
      healthy: true,
      fqdn: undefined,
      checkers: '2/4',
    });
    r53.on(GetHealthCheckCommand).resolves({});
    expect(await healthCheckState(drClients, targets.regions[0], 'hc-x')).toMatchObject({
      inverted: false,
      fqdn: undefined,
    });
  });

  test('a status answer without observations: unhealthy, no checkers', async () => {
    r53.on(GetHealthCheckCommand).resolves({});
    r53.on(GetHealthCheckStatusCommand).resolves({});
    expect(await healthCheckState(drClients, targets.regions[0], 'hc-x')).toMatchObject({
      healthy: false,
      checkers: '0/0',
    });
  });
});

describe('metrics, partial answers', () => {
  const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute));
  const end = at(30);

  test('a series without values is skipped', async () => {
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [{ Id: 'a' }, { Id: 'b', Values: [2], Timestamps: [at(5)] }],
    });
    expect(await lastSeenMetric(drClients, 'eu-west-1', { search: 'S' }, end, 60)).toEqual({ value: 2, at: at(5) });
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'a' }, { Id: 'b', Values: [7] }] });
    expect(await latestMetric(drClients, 'eu-west-1', { search: 'S' })).toBe(7);
  });

  test('the newest datapoint wins over a larger older one; at the same time a smaller one later does not replace it', async () => {
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'a', Values: [1], Timestamps: [at(20)] },
        { Id: 'c', Values: [6], Timestamps: [at(25)] },
        { Id: 'd', Values: [4], Timestamps: [at(25)] },
        { Id: 'b', Values: [9], Timestamps: [at(10)] },
      ],
    });
    expect(await lastSeenMetric(drClients, 'eu-west-1', { search: 'S' }, end, 60)).toEqual({ value: 6, at: at(25) });
  });

  test('latest reads newest first', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    await latestMetric(drClients, 'eu-west-1', { search: 'S' });
    expect(cw.commandCalls(GetMetricDataCommand)[0].args[0].input).toMatchObject({
      ScanBy: 'TimestampDescending',
      MetricDataQueries: [{ Id: 'm', Expression: 'S', Period: 60 }],
    });
  });
});
