import { production } from '../src/config/environments/production';
import { withExtraRegions } from '../src/config/scale';
import { meshPairs } from '../modules/peering/peering-mesh';
import { resources, synthPlatform, type StackJson } from './support/synth';

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
  let global: StackJson;
  beforeAll(() => {
    global = synthPlatform(production).stack('global');
  });

  test('three connections, requested by the earlier region, accepted in the peer region', () => {
    const connections = resources(global, 'aws_vpc_peering_connection');
    expect(connections.map((c) => [c.provider, c.peer_region]).sort()).toEqual([
      ['aws.eu-west', 'ap-southeast-1'],
      ['aws.us-east', 'ap-southeast-1'],
      ['aws.us-east', 'eu-west-1'],
    ]);
    expect(connections.every((c) => c.auto_accept === false)).toBe(true);
    const accepters = resources(global, 'aws_vpc_peering_connection_accepter');
    expect(accepters.map((a) => a.provider).sort()).toEqual(['aws.apac', 'aws.apac', 'aws.eu-west']);
    expect(accepters.every((a) => a.auto_accept === true)).toBe(true);
  });

  test('each side enables remote DNS resolution with its own provider', () => {
    const options = resources(global, 'aws_vpc_peering_connection_options');
    expect(options).toHaveLength(6);
    expect(options.filter((o) => o.requester)).toHaveLength(3);
    expect(options.filter((o) => o.accepter)).toHaveLength(3);
    expect(options.every((o) => Object.values((o.requester ?? o.accepter) as object).every((v) => v === true))).toBe(
      true,
    );
  });

  test('routes both ways in every private and data route table (3 private + 1 data per region)', () => {
    const routes = resources(global, 'aws_route');
    expect(routes).toHaveLength(3 * 2 * 4);
    const toEuWest = routes.filter((r) => r.destination_cidr_block === '10.20.0.0/16');
    expect(toEuWest).toHaveLength(8);
    expect(new Set(toEuWest.map((r) => r.provider))).toEqual(new Set(['aws.us-east', 'aws.apac']));
    expect(
      routes.every((r) => String(r.vpc_peering_connection_id).includes('aws_vpc_peering_connection_accepter')),
    ).toBe(true);
  });

  test('route tables and VPC ids come from the regional stacks through remote state', () => {
    const routes = resources(global, 'aws_route');
    expect(routes.every((r) => String(r.route_table_id).startsWith('${data.terraform_remote_state.'))).toBe(true);
  });
});

describe.each([4, 5])('peering mesh with %i regions', (n) => {
  test(`has ${(n * (n - 1)) / 2} connections and routes for every pair`, () => {
    const config = withExtraRegions(production, n - 3);
    const global = synthPlatform(config).stack('global');
    const pairs = (n * (n - 1)) / 2;
    expect(resources(global, 'aws_vpc_peering_connection')).toHaveLength(pairs);
    expect(resources(global, 'aws_vpc_peering_connection_accepter')).toHaveLength(pairs);
    // Every region routes to each of its n-1 peers from each internal route table (AZ count + 1 data table).
    const expectedRoutes = config.regions.reduce((sum, r) => sum + (r.azCount + 1) * (n - 1), 0);
    expect(resources(global, 'aws_route')).toHaveLength(expectedRoutes);
  });
});
