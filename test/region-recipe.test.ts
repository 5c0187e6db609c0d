import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { production } from '../src/config/environments/production';
import type { PlatformConfig, RegionConfig } from '../src/config/types';
import { drTargets } from '../src/dr/targets';
import { resolvePlan } from '../src/plan/resolve';
import type { PlatformPlan } from '../src/plan/types';
import { threeRegions } from './support/config';
import { allResources, synthPlatform, type SynthResult } from './support/synth';

/**
 * The README's "Adding a region" recipe, run literally: the region entries are read from the
 * README's own text (the fenced block and the fifth-region line), appended to the production
 * configuration and synthesized. No helper adds anything the README does not say. The recipe starts
 * from production's three seed regions (`threeRegions`), the production the README describes, so
 * it still runs after a region was added to production, by this recipe or otherwise.
 */
function recipeEntries(): RegionConfig[] {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('## Adding a region'),
    readme.indexOf('\n## ', readme.indexOf('## Adding a region') + 3),
  );
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  const fifth = /A fifth region works the same way, e\.g\.\s*`(\{[^`]+\})`/.exec(section)?.[1];
  if (!block || !fifth) throw new Error('README: the "Adding a region" recipe lost its region entries');
  // The entries are TypeScript object literals, exactly as a reader pastes them.
  const literal = (text: string) => new Function(`return (${text.trim().replace(/,$/, '')});`)() as RegionConfig;
  return [literal(block), literal(fifth)];
}

/** Every identifier the DR CLI acts on exists in the synthesized stacks (and the other plan names too). */
function missingNames(plan: PlatformPlan, synth: SynthResult): string[] {
  const everything = synth.stackIds.flatMap((id) => allResources(synth.stack(id)).map((r) => ({ ...r, stack: id })));
  const has = (type: string, field: string, value: string) =>
    everything.some((r) => r.type === type && JSON.stringify(r.body[field]) === JSON.stringify(value));
  const hasTag = (type: string, value: string) =>
    everything.some((r) => r.type === type && (r.body.tags as Record<string, string> | undefined)?.Name === value);
  const missing: string[] = [];
  const expect = (ok: boolean, what: string) => {
    if (!ok) missing.push(what);
  };
  const targets = drTargets(plan);
  expect(has('aws_rds_global_cluster', 'global_cluster_identifier', targets.auroraGlobalCluster), 'global cluster');
  expect(
    has(
      'aws_elasticache_global_replication_group',
      'global_replication_group_id_suffix',
      targets.cacheGlobalDatastoreSuffix,
    ),
    'datastore suffix',
  );
  expect(has('aws_route53_record', 'name', targets.apiName), `record ${targets.apiName}`);
  for (const r of targets.regions) {
    expect(hasTag('aws_route53_health_check', r.healthCheckName), `health check ${r.healthCheckName}`);
    expect(has('aws_route53_health_check', 'fqdn', r.directName), `health check fqdn ${r.directName}`);
    expect(has('aws_route53_record', 'name', r.directName), `record ${r.directName}`);
    expect(has('aws_rds_cluster', 'cluster_identifier', r.auroraCluster), `aurora ${r.auroraCluster}`);
    const region = plan.regions.find((p) => p.key === r.key)!;
    if (region.cache.role === 'reader') expect(r.cacheReplicationGroup === '', `${r.key} reader has no group`);
    else
      expect(
        has('aws_elasticache_replication_group', 'replication_group_id', r.cacheReplicationGroup),
        `cache ${r.cacheReplicationGroup}`,
      );
    expect(has('aws_msk_cluster', 'cluster_name', region.names.mskCluster), `msk ${region.names.mskCluster}`);
    expect(has('aws_eks_cluster', 'name', region.names.eksCluster), `eks ${region.names.eksCluster}`);
    expect(has('aws_cloudwatch_event_bus', 'name', region.names.eventBus), `bus ${region.names.eventBus}`);
    expect(
      has('aws_cloudwatch_composite_alarm', 'alarm_name', region.names.criticalAlarm),
      `alarm ${region.names.criticalAlarm}`,
    );
    for (const topic of Object.values(region.names.alertTopics)) expect(has('aws_sns_topic', 'name', topic), topic);
  }
  expect(has('aws_cloudtrail', 'name', plan.names.trail), `trail ${plan.names.trail}`);
  expect(has('aws_cloudwatch_event_bus', 'name', plan.names.alertBus), `bus ${plan.names.alertBus}`);
  return missing;
}

describe('the README region recipe, followed literally', () => {
  const [fourth, fifth] = recipeEntries();
  const withFour: PlatformConfig = { ...threeRegions, regions: [...threeRegions.regions, fourth] };
  const withFive: PlatformConfig = { ...withFour, regions: [...withFour.regions, fifth] };

  test('the recipe names us-west-2 and ap-northeast-1', () => {
    expect([fourth.code, fifth.code]).toEqual(['us-west-2', 'ap-northeast-1']);
  });

  test('a fourth region resolves with no other change: staggered window, a cache reader, a weight', () => {
    const plan = resolvePlan(withFour);
    const added = plan.regions[3];
    expect(added.cache).toMatchObject({ role: 'reader', readsFrom: 'us-east' });
    // Sunday 02:00 in Oregon (UTC-8) is Sunday 10:00 UTC: it overlaps us-east's 07:00-11:00 and moves.
    expect(added.maintenance).toMatchObject({ source: 'staggered', maintenanceWindow: 'sun:11:00-sun:15:00' });
    expect(plan.traffic.weights.find((w) => w.region === added.key)).toEqual({
      region: 'us-west',
      weight: 33,
      source: 'share',
    });
  });

  describe('with a fifth region', () => {
    let plan: PlatformPlan;
    let synth: SynthResult;
    beforeAll(() => {
      plan = resolvePlan(withFive);
      synth = synthPlatform(withFive);
    });

    test('every region gets its regional, data and workloads stacks', () => {
      for (const r of plan.regions) {
        expect(synth.stackIds).toEqual(expect.arrayContaining(Object.values(r.stackIds)));
      }
      expect(synth.stackIds).toHaveLength(3 + 3 * 5);
    });

    test('Tokyo reads the nearest cache member (Singapore)', () => {
      expect(plan.regions[4].cache).toMatchObject({ role: 'reader', readsFrom: 'apac' });
    });

    test('every name the DR CLI and the stacks share exists in the synth', () => {
      expect(missingNames(plan, synth)).toEqual([]);
    });

    test("the plan's apply order deploys every stack after the stacks the manifest says it depends on", () => {
      const manifest = JSON.parse(readFileSync(join(synth.outdir, 'manifest.json'), 'utf8')) as {
        stacks: Record<string, { dependencies?: string[] }>;
      };
      expect([...plan.applyOrder].sort()).toEqual(Object.keys(manifest.stacks).sort());
      const late = Object.entries(manifest.stacks).flatMap(([id, entry]) =>
        (entry.dependencies ?? [])
          .filter((dep) => plan.applyOrder.indexOf(dep) > plan.applyOrder.indexOf(id))
          .map((dep) => `${dep} after ${id}`),
      );
      expect(late).toEqual([]);
    });
  });
});

describe('Taiwan and Tokyo as a two-region platform', () => {
  const config: PlatformConfig = {
    ...production,
    regions: [
      { key: 'taipei', code: 'ap-east-2', role: 'primary', vpcCidr: '10.60.0.0/16', azCount: 3 },
      { key: 'tokyo', code: 'ap-northeast-1', role: 'secondary', vpcCidr: '10.70.0.0/16', azCount: 3 },
    ],
    traffic: {
      ...production.traffic,
      geoRouting: { 'country:TW': 'taipei', 'country:JP': 'tokyo' },
      weights: { taipei: 50, tokyo: 50 },
      drRegion: 'tokyo',
    },
  };
  let plan: PlatformPlan;
  let synth: SynthResult;
  beforeAll(() => {
    plan = resolvePlan(config);
    synth = synthPlatform(config);
  });

  test('Taipei is primary and both regions hold data-store members', () => {
    expect(plan.primary.key).toBe('taipei');
    expect(plan.regions.map((r) => [r.key, r.aurora.role, r.cache.role])).toEqual([
      ['taipei', 'primary', 'primary'],
      ['tokyo', 'secondary', 'secondary'],
    ]);
    // Both UTC+8/+9 Sunday 02:00 windows would overlap: Tokyo is moved to the next free slot.
    expect(plan.regions.map((r) => r.maintenance.source)).toEqual(['default', 'staggered']);
  });

  test('synthesizes every stack and every name the DR CLI uses', () => {
    expect(synth.stackIds).toHaveLength(3 + 3 * 2);
    expect(missingNames(plan, synth)).toEqual([]);
  });
});
