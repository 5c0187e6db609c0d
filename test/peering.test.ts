import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { production } from '../src/config/environments/production';
import { withExtraRegions } from '../src/config/scale';
import { resolvePlan } from '../src/plan/resolve';
import type { RegionPlan } from '../src/plan/types';
import { meshPairs, PeeringMesh } from '../modules/peering/peering-mesh';
import { threeRegions } from './support/config';
import { regionOfPlan } from './support/plan';
import { defaultSynth } from './support/shared-synth';
import { resources, type StackJson } from './support/stack-json';

describe('meshPairs', () => {
  test.each([
    [2, 1],
    [3, 3],
    [4, 6],
    [5, 10],
    [10, 45],
  ])('%i members give %i pairs, each once', (n, pairs) => {
    const members = [...Array(n).keys()];
    const result = meshPairs(members);
    expect(result).toHaveLength(pairs);
    expect(new Set(result.map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`)).size).toBe(pairs);
    expect(result.every(([a, b]) => a < b)).toBe(true);
  });
});

describe('peering mesh in the global stack (production)', () => {
  const plan = resolvePlan(production);
  const global = defaultSynth('production').stack('global');
  /** Region pairs in config order: the earlier region requests, the later one accepts. */
  const pairs = meshPairs(plan.regions);
  /** Internal route tables of a region: one private per AZ and one data table. */
  const routeTables = (r: RegionPlan) => r.azCount + 1;

  test('a connection per region pair (three), requested by the earlier region, accepted in the peer region', () => {
    const connections = resources(global, 'aws_vpc_peering_connection');
    expect(connections.map((c) => [c.provider, c.peer_region]).sort()).toEqual(
      pairs.map(([requester, accepter]) => [`aws.${requester.key}`, accepter.code]).sort(),
    );
    // Production's three regions.
    expect(connections.map((c) => [c.provider, c.peer_region])).toEqual(
      expect.arrayContaining([
        ['aws.eu-west', 'ap-southeast-1'],
        ['aws.us-east', 'ap-southeast-1'],
        ['aws.us-east', 'eu-west-1'],
      ]),
    );
    expect(connections.every((c) => c.auto_accept === false)).toBe(true);
    const accepters = resources(global, 'aws_vpc_peering_connection_accepter');
    expect(accepters.map((a) => a.provider).sort()).toEqual(pairs.map(([, accepter]) => `aws.${accepter.key}`).sort());
    expect(accepters.every((a) => a.auto_accept === true)).toBe(true);
  });

  test('each side enables remote DNS resolution with its own provider', () => {
    const options = resources(global, 'aws_vpc_peering_connection_options');
    expect(options).toHaveLength(2 * pairs.length);
    expect(options.filter((o) => o.requester)).toHaveLength(pairs.length);
    expect(options.filter((o) => o.accepter)).toHaveLength(pairs.length);
    expect(options.every((o) => Object.values((o.requester ?? o.accepter) as object).every((v) => v === true))).toBe(
      true,
    );
  });

  test('routes both ways in every private and data route table (3 private + 1 data per region)', () => {
    const routes = resources(global, 'aws_route');
    const peers = plan.regions.length - 1;
    expect(routes).toHaveLength(plan.regions.reduce((sum, r) => sum + routeTables(r) * peers, 0));
    const euWest = regionOfPlan(plan, 'eu-west');
    expect(euWest.vpcCidr).toBe('10.20.0.0/16');
    const toEuWest = routes.filter((r) => r.destination_cidr_block === euWest.vpcCidr);
    const others = plan.regions.filter((r) => r.key !== 'eu-west');
    expect(toEuWest).toHaveLength(others.reduce((sum, r) => sum + routeTables(r), 0));
    expect(new Set(toEuWest.map((r) => r.provider))).toEqual(new Set(others.map((r) => `aws.${r.key}`)));
    expect(
      routes.every((r) => String(r.vpc_peering_connection_id).includes('aws_vpc_peering_connection_accepter')),
    ).toBe(true);
  });

  test('route tables and VPC ids come from the regional stacks through remote state', () => {
    const routes = resources(global, 'aws_route');
    expect(routes.every((r) => String(r.route_table_id).startsWith('${data.terraform_remote_state.'))).toBe(true);
  });
});

describe.each([4, 5])('peering mesh with %i regions (module)', (n) => {
  test(`has ${(n * (n - 1)) / 2} connections and routes for every pair`, () => {
    const plan = resolvePlan(withExtraRegions(threeRegions, n - 3));
    const stack = new TerraformStack(Testing.app(), 'mesh');
    new PeeringMesh(stack, 'peering', {
      name: 'mi-test',
      members: plan.regions.map((r) => ({
        key: r.key,
        region: r.code,
        provider: new AwsProvider(stack, `aws-${r.key}`, { region: r.code, alias: r.key }),
        vpcId: `vpc-${r.key}`,
        cidr: r.vpcCidr,
        // One private route table per AZ and one data table, as the regional network has.
        routeTableIds: Array.from({ length: r.azCount + 1 }, (_, i) => `rtb-${r.key}-${i}`),
      })),
    });
    const json = JSON.parse(Testing.synth(stack)) as StackJson;
    const pairs = (n * (n - 1)) / 2;
    expect(resources(json, 'aws_vpc_peering_connection')).toHaveLength(pairs);
    expect(resources(json, 'aws_vpc_peering_connection_accepter')).toHaveLength(pairs);
    // Every region routes to each of its n-1 peers from each internal route table (AZ count + 1 data table).
    const expectedRoutes = plan.regions.reduce((sum, r) => sum + (r.azCount + 1) * (n - 1), 0);
    expect(resources(json, 'aws_route')).toHaveLength(expectedRoutes);
  });
});
