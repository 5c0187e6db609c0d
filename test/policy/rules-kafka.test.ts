// MRP-MSK-7: address ranges reach the brokers only on the SCRAM port (issue 17, "Kafka listeners
// are open to whole peer VPCs"). Regional clients come by security group; a peer region's
// MirrorMaker 2 comes by its replication subnets, on 9096 alone.
import { checkResources } from '../../src/policy/engine';
import { RULES } from '../../src/policy/rules';
import type { ResourceView } from '../../src/policy/types';
import { resourceView as res } from '../support/policy-views';

const rule = RULES.find((r) => r.id === 'MRP-MSK-7')!;
const problems = (resources: ResourceView[]) => checkResources(resources, [rule]).map((f) => `${f.path}: ${f.problem}`);

const cluster = res(
  'aws_msk_cluster',
  { broker_node_group_info: [{ security_groups: ['${aws_security_group.msk.id}'] }] },
  'kafka',
);
const group = res('aws_security_group', { name: 'msk' }, 'msk');
const ingress = (name: string, attributes: Record<string, unknown>, sg = 'msk') =>
  res(
    'aws_vpc_security_group_ingress_rule',
    { security_group_id: `\${aws_security_group.${sg}.id}`, ip_protocol: 'tcp', ...attributes },
    name,
  );

describe('MRP-MSK-7: address ranges reach the brokers on the SCRAM port only', () => {
  test('compliant: a peer replication subnet on 9096, regional clients by security group on every listener', () => {
    expect(
      problems([
        cluster,
        group,
        ingress('peer', { cidr_ipv4: '10.20.96.0/22', from_port: 9096, to_port: 9096 }),
        ingress('numeric-protocol', { cidr_ipv4: '10.20.100.0/22', from_port: 9096, to_port: 9096, ip_protocol: '6' }),
        ingress('eks-iam', {
          referenced_security_group_id: '${aws_security_group.nodes.id}',
          from_port: 9098,
          to_port: 9098,
        }),
        ingress('eks-exporters', {
          referenced_security_group_id: '${aws_security_group.nodes.id}',
          from_port: 11001,
          to_port: 11002,
        }),
      ]),
    ).toEqual([]);
  });

  test('a range on another listener, a port range holding 9096, another protocol, IPv6 or a prefix list is flagged', () => {
    expect(
      problems([
        cluster,
        group,
        ingress('iam', { cidr_ipv4: '10.20.0.0/20', from_port: 9098, to_port: 9098 }),
        ingress('span', { cidr_ipv4: '10.20.96.0/22', from_port: 9092, to_port: 9098 }),
        ingress('udp', { cidr_ipv4: '10.20.96.0/22', from_port: 9096, to_port: 9096, ip_protocol: 'udp' }),
        ingress('all', { cidr_ipv4: '10.20.96.0/22', ip_protocol: '-1' }),
        ingress('v6', { cidr_ipv6: 'fd00::/64', from_port: 9098, to_port: 9098 }),
        ingress('list', { prefix_list_id: 'pl-123', from_port: 11001, to_port: 11002 }),
      ]),
    ).toEqual([
      'stack/iam: admits 10.20.0.0/20 on tcp 9098 of aws_msk_cluster.kafka: address ranges reach brokers on the SCRAM port 9096 only',
      'stack/span: admits 10.20.96.0/22 on tcp 9092-9098 of aws_msk_cluster.kafka: address ranges reach brokers on the SCRAM port 9096 only',
      'stack/udp: admits 10.20.96.0/22 on udp 9096 of aws_msk_cluster.kafka: address ranges reach brokers on the SCRAM port 9096 only',
      'stack/all: admits 10.20.96.0/22 on every protocol of aws_msk_cluster.kafka: address ranges reach brokers on the SCRAM port 9096 only',
      'stack/v6: admits fd00::/64 on tcp 9098 of aws_msk_cluster.kafka: address ranges reach brokers on the SCRAM port 9096 only',
      'stack/list: admits pl-123 on tcp 11001-11002 of aws_msk_cluster.kafka: address ranges reach brokers on the SCRAM port 9096 only',
    ]);
  });

  test("rules on other groups, and groups no cluster uses, are not the rule's concern", () => {
    expect(
      problems([
        cluster,
        group,
        res('aws_security_group', { name: 'alb' }, 'alb'),
        ingress('alb-https', { cidr_ipv4: '0.0.0.0/0', from_port: 443, to_port: 443 }, 'alb'),
      ]),
    ).toEqual([]);
    // Without the cluster, the same rule on the msk group is not checked either.
    expect(problems([group, ingress('iam', { cidr_ipv4: '10.20.0.0/20', from_port: 9098, to_port: 9098 })])).toEqual(
      [],
    );
  });
});
