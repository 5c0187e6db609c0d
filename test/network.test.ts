import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { RegionalKey } from '../modules/kms/regional-key';
import { cidrOverlaps, parseCidr } from '../modules/common/cidr';
import { Network, planSubnets, type NetworkProps } from '../modules/network/network';
import { resources, type StackJson } from './support/synth';

function synthNetwork(props: Partial<NetworkProps> = {}): StackJson {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const kmsKey = new RegionalKey(stack, 'kms', {
    aliasName: 'test',
    description: 'test',
    region: 'eu-west-1',
    accountId: '111111111111',
    partition: 'aws',
  });
  new Network(stack, 'network', {
    name: 'mi-test-eu-west',
    region: 'eu-west-1',
    cidr: '10.20.0.0/16',
    azCount: 3,
    natGateways: 'per-az',
    flowLogRetentionDays: 365,
    interfaceEndpoints: ['sts', 'logs', 'ecr.api', 'ecr.dkr'],
    kmsKey,
    accountId: '111111111111',
    ...props,
  });
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

const byTier = (json: StackJson, tier: string) =>
  resources(json, 'aws_subnet').filter((s) => (s.tags as Record<string, string>).tier === tier);

describe('planSubnets', () => {
  test('a /16 gives /20 private and /21 public and data subnets that never overlap', () => {
    expect(planSubnets('10.20.0.0/16', 3)).toEqual({
      private: ['10.20.0.0/20', '10.20.16.0/20', '10.20.32.0/20'],
      public: ['10.20.128.0/21', '10.20.136.0/21', '10.20.144.0/21'],
      data: ['10.20.192.0/21', '10.20.200.0/21', '10.20.208.0/21'],
      replication: ['10.20.96.0/22', '10.20.100.0/22', '10.20.104.0/22'],
    });
  });

  test('the smallest VPC (/20) with six AZs still fits', () => {
    const plan = planSubnets('10.1.0.0/20', 6);
    expect(plan.private[5]).toBe('10.1.5.0/24');
    expect(plan.public[5]).toBe('10.1.10.128/25');
    expect(plan.data[5]).toBe('10.1.14.128/25');
    // /26: 59 usable addresses per AZ, for a few MirrorMaker 2 nodes and their pods.
    expect(plan.replication[5]).toBe('10.1.7.64/26');
  });

  test.each([
    ['10.0.0.0/16', 1],
    ['10.0.0.0/16', 6],
    ['172.16.0.0/18', 3],
    ['192.168.16.0/20', 6],
  ])('%s with %d AZs: every subnet lies in the VPC and none overlaps another', (cidr, azs) => {
    const plan = planSubnets(cidr, azs);
    const all = Object.values(plan).flat();
    expect(all).toHaveLength(4 * azs);
    const vpc = parseCidr(cidr)!;
    const parsed = all.map((c) => parseCidr(c)!);
    for (const [i, a] of parsed.entries()) {
      expect(a.prefix).toBeGreaterThan(vpc.prefix);
      expect(cidrOverlaps(a, vpc)).toBe(true);
      for (const b of parsed.slice(i + 1)) expect(cidrOverlaps(a, b)).toBe(false);
    }
  });
});

describe('Network with replication subnets', () => {
  test('one per AZ on the planned ranges, each routed by its AZ private route table (NAT, endpoints, peering)', () => {
    const json = synthNetwork({ replicationSubnets: true });
    const subnets = byTier(json, 'replication');
    expect(subnets.map((s) => s.cidr_block)).toEqual(planSubnets('10.20.0.0/16', 3).replication);
    expect(subnets.every((s) => s.map_public_ip_on_launch === false)).toBe(true);
    const associations = resources(json, 'aws_route_table_association');
    for (const i of [0, 1, 2]) {
      const [assoc] = associations.filter((a) => String(a.subnet_id).includes(`network_replication-${i}_`));
      expect(assoc.route_table_id).toMatch(new RegExp(`aws_route_table\\.network_private-rt-${i}_`));
    }
  });

  test('none by default', () => {
    expect(byTier(synthNetwork(), 'replication')).toEqual([]);
  });
});

describe('Network (3 AZs, NAT per AZ)', () => {
  let json: StackJson;
  beforeAll(() => {
    json = synthNetwork();
  });

  test('one VPC with DNS support', () => {
    expect(resources(json, 'aws_vpc')).toEqual([
      expect.objectContaining({ cidr_block: '10.20.0.0/16', enable_dns_hostnames: true, enable_dns_support: true }),
    ]);
  });

  test('the application CIDRs are the private subnets (where EKS nodes and pods live)', () => {
    expect(byTier(json, 'private').map((s) => s.cidr_block)).toEqual(planSubnets('10.20.0.0/16', 3).private);
    expect(planSubnets('10.20.0.0/16', 3).private).toEqual(['10.20.0.0/20', '10.20.16.0/20', '10.20.32.0/20']);
  });

  test.each(['public', 'private', 'data'])('three %s subnets, none assigning public IPs', (tier) => {
    const subnets = byTier(json, tier);
    expect(subnets).toHaveLength(3);
    expect(subnets.every((s) => s.map_public_ip_on_launch === false)).toBe(true);
  });

  test('subnets spread over the first three available zones of the region', () => {
    const zones = byTier(json, 'private').map((s) => s.availability_zone as string);
    expect(zones.sort()).toEqual(
      [0, 1, 2].map((i) =>
        expect.stringMatching(
          new RegExp(`^\\$\\{element\\(data\\.aws_availability_zones\\.network_zones_\\w+\\.names, ${i}\\)\\}$`),
        ),
      ),
    );
    expect(Object.values(json.data!.aws_availability_zones)).toEqual([
      expect.objectContaining({
        state: 'available',
        filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
      }),
    ]);
  });

  test('load balancer role tags let the AWS Load Balancer Controller find subnets', () => {
    expect(byTier(json, 'public')[0].tags).toMatchObject({ 'kubernetes.io/role/elb': '1' });
    expect(byTier(json, 'private')[0].tags).toMatchObject({ 'kubernetes.io/role/internal-elb': '1' });
  });

  test('one NAT gateway per AZ, each private route table egresses through its own', () => {
    expect(resources(json, 'aws_nat_gateway')).toHaveLength(3);
    const natRoutes = resources(json, 'aws_route').filter((r) => r.nat_gateway_id);
    expect(new Set(natRoutes.map((r) => r.nat_gateway_id)).size).toBe(3);
  });

  test('data subnets have no route to the internet', () => {
    const routes = resources(json, 'aws_route');
    expect(routes).toHaveLength(4); // public -> IGW, three private -> NAT
    expect(routes.some((r) => String(r.route_table_id).includes('data-rt'))).toBe(false);
  });

  test('S3 and DynamoDB gateway endpoints serve private and data route tables', () => {
    const gateways = resources(json, 'aws_vpc_endpoint').filter((e) => e.vpc_endpoint_type === 'Gateway');
    expect(gateways.map((g) => g.service_name).sort()).toEqual([
      'com.amazonaws.eu-west-1.dynamodb',
      'com.amazonaws.eu-west-1.s3',
    ]);
    expect((gateways[0].route_table_ids as string[]).length).toBe(4);
  });

  test('interface endpoints are private-DNS, in private subnets, reachable on 443 from the VPC only', () => {
    const interfaces = resources(json, 'aws_vpc_endpoint').filter((e) => e.vpc_endpoint_type === 'Interface');
    expect(interfaces.map((e) => e.service_name).sort()).toEqual(
      ['ecr.api', 'ecr.dkr', 'logs', 'sts'].map((s) => `com.amazonaws.eu-west-1.${s}`),
    );
    expect(interfaces.every((e) => e.private_dns_enabled === true && (e.subnet_ids as string[]).length === 3)).toBe(
      true,
    );
    expect(resources(json, 'aws_vpc_security_group_ingress_rule')).toEqual([
      expect.objectContaining({ from_port: 443, to_port: 443, ip_protocol: 'tcp', cidr_ipv4: '10.20.0.0/16' }),
    ]);
  });

  test('the default security group is stripped of every rule', () => {
    expect(resources(json, 'aws_default_security_group')).toEqual([
      expect.objectContaining({ ingress: [], egress: [] }),
    ]);
  });

  test('flow logs capture all traffic into a KMS-encrypted, retained log group', () => {
    expect(resources(json, 'aws_flow_log')).toEqual([
      expect.objectContaining({ traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs' }),
    ]);
    expect(resources(json, 'aws_cloudwatch_log_group')).toEqual([
      expect.objectContaining({
        name: '/vpc/mi-test-eu-west/flow-logs',
        retention_in_days: 365,
        kms_key_id: expect.stringContaining('aws_kms_key.kms_key'),
      }),
    ]);
  });

  test('the flow log role may only write to its own log group', () => {
    const docs = json.data!.aws_iam_policy_document;
    const permissions = Object.entries(docs).find(([name]) => name.includes('flow-logs-permissions'))![1];
    const statements = permissions.statement as { actions: string[]; resources: string[] }[];
    expect(statements[0].actions).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams']);
    expect(statements[0].resources.every((r) => r.includes('aws_cloudwatch_log_group.network_flow-logs'))).toBe(true);
    const trust = Object.entries(docs).find(([name]) => name.includes('flow-logs-trust'))![1];
    expect(trust.statement).toEqual([
      expect.objectContaining({
        principals: [{ type: 'Service', identifiers: ['vpc-flow-logs.amazonaws.com'] }],
        condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] }],
      }),
    ]);
  });
});

describe('Network (single NAT, no interface endpoints)', () => {
  test('all private subnets share one NAT gateway and no endpoint security group exists', () => {
    const json = synthNetwork({ natGateways: 'single', interfaceEndpoints: [], azCount: 2 });
    expect(resources(json, 'aws_nat_gateway')).toHaveLength(1);
    const natRoutes = resources(json, 'aws_route').filter((r) => r.nat_gateway_id);
    expect(natRoutes).toHaveLength(2);
    expect(new Set(natRoutes.map((r) => r.nat_gateway_id)).size).toBe(1);
    expect(resources(json, 'aws_security_group')).toHaveLength(0);
  });
});
