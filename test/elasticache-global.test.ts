import { planSubnets } from '../modules/network/subnets';
import { resolvePlan } from '../src/plan/resolve';
import type { PlatformPlan } from '../src/plan/types';
import { production } from '../src/config/environments/production';
import { withExtraRegions } from '../src/config/scale';
import { threeRegions } from './support/config';
import { defaultSynth } from './support/shared-synth';
import { resources, type StackJson } from './support/stack-json';
import { synthOnce } from './support/synth';

/** What AWS owns at the datastore level: a member must not set it. */
const OWNED_BY_DATASTORE = [
  'engine',
  'engine_version',
  'node_type',
  'parameter_group_name',
  'at_rest_encryption_enabled',
  'transit_encryption_enabled',
  'num_node_groups',
  'replicas_per_node_group',
];

const groupsOf = (stack: StackJson) => resources(stack, 'aws_elasticache_replication_group');

function expectCommonSafety(group: Record<string, unknown>, stack: StackJson, nodes: number): void {
  expect(group).toMatchObject({
    automatic_failover_enabled: true,
    multi_az_enabled: true,
    num_cache_clusters: nodes,
    kms_key_id: expect.stringMatching(/aws_kms_key.*arn/),
    snapshot_retention_limit: production.defaults.elasticache.snapshotRetentionDays,
    user_group_ids: [expect.stringMatching(/aws_elasticache_user_group/)],
    lifecycle: expect.objectContaining({ prevent_destroy: true }),
  });
  expect(nodes).toBeGreaterThanOrEqual(2);
  expect(group).not.toHaveProperty('auth_token');
  expect((group.log_delivery_configuration as unknown[]).length).toBe(2);
  const users = resources(stack, 'aws_elasticache_user');
  expect(users.find((u) => u.user_name === 'default')).toMatchObject({ access_string: 'off -@all' });
  expect(users.find((u) => u.user_name !== 'default')).toMatchObject({ authentication_mode: { type: 'iam' } });
  const rules = cacheRules(stack);
  expect(rules.length).toBeGreaterThanOrEqual(1);
  for (const rule of rules) expect(rule).toMatchObject({ from_port: 6379, to_port: 6379, ip_protocol: 'tcp' });
  const local = rules.filter((r) => r.referenced_security_group_id !== undefined);
  expect(local).toHaveLength(2);
  for (const rule of local) expect(rule).not.toHaveProperty('cidr_ipv4');
}

const cacheRules = (stack: StackJson) =>
  resources(stack, 'aws_vpc_security_group_ingress_rule').filter((r) => String(r.security_group_id).includes('cache'));

/** CIDRs the cache's security group admits (rules by CIDR), sorted. */
const admittedCidrs = (stack: StackJson) =>
  cacheRules(stack)
    .map((r) => r.cidr_ipv4 as string | undefined)
    .filter((c): c is string => c !== undefined)
    .sort();

/** The private (application) subnets of every region but `key`, sorted. */
const appCidrsOfOthers = (plan: PlatformPlan, key: string) =>
  plan.regions
    .filter((r) => r.key !== key)
    .flatMap((r) => planSubnets(r.vpcCidr, r.azCount).private)
    .sort();

describe('ElastiCache global datastore', () => {
  const synth = defaultSynth('production');
  const plan = resolvePlan(production);

  test('the primary group is built in the primary region with engine, TLS and at-rest encryption', () => {
    const global = synth.stack('global');
    const [primary] = groupsOf(global);
    expect(groupsOf(global)).toHaveLength(1);
    expect(primary).toMatchObject({
      replication_group_id: 'mi-production-us-east-cache',
      engine: production.data.elasticache.engine,
      engine_version: production.data.elasticache.engineVersion,
      node_type: production.data.elasticache.nodeType,
      at_rest_encryption_enabled: 'true',
      transit_encryption_enabled: true,
      transit_encryption_mode: 'required',
      provider: 'aws.us-east',
      subnet_group_name: expect.stringMatching(/aws_elasticache_subnet_group/),
      maintenance_window: 'sun:07:00-sun:11:00',
    });
    expect((primary.lifecycle as { ignore_changes: string[] }).ignore_changes).toContain('engine_version');
    expectCommonSafety(primary, global, production.defaults.elasticache.nodes);
  });

  test('security and subnet groups are named after the group alone, and keep a deployed name', () => {
    const global = synth.stack('global');
    const named = [
      ...resources(global, 'aws_security_group').filter((g) => String(g.name).includes('-cache')),
      ...resources(global, 'aws_elasticache_subnet_group'),
    ];
    expect(named).toHaveLength(2);
    for (const group of named) {
      expect(group).toMatchObject({ name: 'mi-production-us-east-cache', lifecycle: { ignore_changes: ['name'] } });
    }
  });

  test('the datastore is created from the primary group and carries the version', () => {
    const [datastore] = resources(synth.stack('global'), 'aws_elasticache_global_replication_group');
    expect(datastore).toMatchObject({
      primary_replication_group_id: expect.stringMatching(/aws_elasticache_replication_group\..*\.id/),
      engine_version: production.data.elasticache.engineVersion,
      provider: 'aws.us-east',
    });
  });

  // Issue 13: security-group references do not cross regions, so cross-region writes to the primary
  // timed out. Every member admits every other region, so the path survives a datastore failover.
  test("the primary group admits every other region's application subnets on 6379", () => {
    expect(admittedCidrs(synth.stack('global'))).toEqual(appCidrsOfOthers(plan, plan.primary.key));
  });

  test.each(plan.regions.filter((r) => r.cache.role === 'secondary').map((r) => r.key))(
    "the secondary member of %s admits every other region's application subnets on 6379",
    (key) => {
      expect(admittedCidrs(synth.stack(`data-${key}`))).toEqual(appCidrsOfOthers(plan, key));
    },
  );

  test('the primary region has no member in its data stack', () => {
    expect(groupsOf(synth.stack(plan.primary.stackIds.data))).toHaveLength(0);
  });

  // eu-west and apac in production: the datastore spans at most two secondaries.
  const secondaries = plan.regions.filter((r) => r.cache.role === 'secondary').map((r) => r.key);
  test.each(secondaries)('%s joins the datastore omitting what AWS owns globally', (key) => {
    const stack = synth.stack(`data-${key}`);
    const [member] = groupsOf(stack);
    expect(groupsOf(stack)).toHaveLength(1);
    expect(member.global_replication_group_id).toMatch(
      /input-global.*aws_elasticache_global_replication_group.*global_replication_group_id/,
    );
    for (const field of OWNED_BY_DATASTORE) expect(member).not.toHaveProperty(field);
    expect((member.lifecycle as { ignore_changes: string[] }).ignore_changes).toEqual(
      expect.arrayContaining(['engine', 'engine_version', 'node_type', 'parameter_group_name']),
    );
    expectCommonSafety(member, stack, production.defaults.elasticache.nodes);
  });
});

describe('ElastiCache beyond three regions', () => {
  test('regions past the datastore limit hold no cache and read the nearest member', () => {
    // GIVEN two regions added past the datastore's two secondaries (Ohio and Oregon)
    const config = withExtraRegions(threeRegions, 2);
    const plan = resolvePlan(config);
    const added = plan.regions.slice(3);
    expect(added.map((r) => [r.code, r.cache.role, r.cache.readsFrom])).toEqual([
      ['us-east-2', 'reader', 'us-east'],
      ['us-west-2', 'reader', 'us-east'],
    ]);
    // WHEN synthesized THEN their data stacks create no cache, and their app reads the primary's member
    const synth = synthOnce(config);
    // The member each reader reads (here the primary, in the global stack) admits its app subnets.
    const primaryAdmits = admittedCidrs(synth.stack('global'));
    for (const region of added) {
      expect(primaryAdmits).toEqual(expect.arrayContaining(planSubnets(region.vpcCidr, region.azCount).private));
      expect(groupsOf(synth.stack(`data-${region.key}`))).toHaveLength(0);
      const configMap = Object.values(
        synth.stack(`workloads-${region.key}`).resource?.kubernetes_config_map_v1 ?? {},
      )[0];
      expect(JSON.stringify(configMap)).toMatch(
        /CACHE_READER_HOST":"\$\{data\.terraform_remote_state\.cross-stack-reference-input-global\.outputs\.cross-stack-output-aws_elasticache_replication_groupdata_cache-primary/,
      );
    }
  });
});
