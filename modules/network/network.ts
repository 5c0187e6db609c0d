import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { setComponent } from '../common/context';
import { PolicyDocument, serviceTrust } from '../common/iam';
import { suppress } from '../common/policy';
import { endpointPolicyStatements } from './endpoint-policies';
import type { RegionalKey } from '../kms/regional-key';
import { planSubnets } from './subnets';
import { type NatGatewayMode, type SubnetTier } from './types';

export { planSubnets } from './subnets';

export interface NetworkProps {
  /** Name prefix of every resource, e.g. `mi-production-us-east`. */
  readonly name: string;
  /** AWS region code. */
  readonly region: string;
  readonly cidr: string;
  readonly azCount: number;
  /** Zone ids never to use (zones that cannot host EKS control-plane ENIs). @default - none */
  readonly excludeZoneIds?: readonly string[];
  readonly natGateways: NatGatewayMode;
  readonly flowLogRetentionDays: number;
  readonly interfaceEndpoints: readonly string[];
  /** Encrypts the flow log group. */
  readonly kmsKey: RegionalKey;
  readonly accountId: string;
  /** @default 'aws' */
  readonly partition?: string;
  /**
   * Buckets of other accounts readable through the S3 gateway endpoint, besides the ones AWS and
   * registry.k8s.io need (`externalReadBuckets`). @default - none
   */
  readonly endpointReadBuckets?: readonly string[];
  /**
   * Create the `replication` subnets (one per AZ, routed like the AZ's private subnet) for the
   * nodes that run MirrorMaker 2. @default false
   */
  readonly replicationSubnets?: boolean;
}

/**
 * One region's VPC: public, private (workloads), data (isolated, no internet route) and optionally
 * replication (MirrorMaker 2 nodes) subnets in each AZ, NAT per AZ or single, encrypted and retained flow logs, gateway endpoints for S3 and
 * DynamoDB, interface endpoints for AWS APIs (every endpoint with a policy scoped to the account's
 * resources, ./endpoint-policies.ts), and a default security group with no rules.
 */
export class Network extends Construct {
  readonly vpc: Vpc;
  readonly cidr: string;
  readonly publicSubnets: Subnet[] = [];
  readonly privateSubnets: Subnet[] = [];
  readonly dataSubnets: Subnet[] = [];
  /** The MirrorMaker 2 nodes' subnets (empty unless `replicationSubnets`). */
  readonly replicationSubnets: Subnet[] = [];
  /** One per AZ (each AZ egresses through its own NAT gateway when `per-az`). */
  readonly privateRouteTables: RouteTable[] = [];
  /** Data subnets share one route table with no default route. */
  readonly dataRouteTable: RouteTable;
  readonly publicRouteTable: RouteTable;
  readonly natGateways: NatGateway[] = [];
  readonly flowLogGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    setComponent(this, 'network');
    const { name } = props;
    this.cidr = props.cidr;
    const plan = planSubnets(props.cidr, props.azCount);

    const zones = new DataAwsAvailabilityZones(this, 'zones', {
      state: 'available',
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
      excludeZoneIds: props.excludeZoneIds?.length ? [...props.excludeZoneIds] : undefined,
    });

    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: props.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: `${name}-vpc` },
    });

    new DefaultSecurityGroup(this, 'default-sg', {
      vpcId: this.vpc.id,
      ingress: [],
      egress: [],
      tags: { Name: `${name}-default-deny` },
    });

    const igw = new InternetGateway(this, 'igw', { vpcId: this.vpc.id, tags: { Name: `${name}-igw` } });

    const subnet = (tier: SubnetTier, i: number, extraTags: Record<string, string>) =>
      new Subnet(this, `${tier}-${i}`, {
        vpcId: this.vpc.id,
        cidrBlock: plan[tier][i],
        availabilityZone: Fn.element(zones.names, i),
        mapPublicIpOnLaunch: false,
        tags: { Name: `${name}-${tier}-${i}`, tier, ...extraTags },
      });

    this.publicRouteTable = new RouteTable(this, 'public-rt', { vpcId: this.vpc.id, tags: { Name: `${name}-public` } });
    new Route(this, 'public-default', {
      routeTableId: this.publicRouteTable.id,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: igw.id,
    });
    this.dataRouteTable = new RouteTable(this, 'data-rt', { vpcId: this.vpc.id, tags: { Name: `${name}-data` } });

    const natCount = props.natGateways === 'per-az' ? props.azCount : 1;
    for (let i = 0; i < props.azCount; i++) {
      const pub = subnet('public', i, { 'kubernetes.io/role/elb': '1' });
      this.publicSubnets.push(pub);
      new RouteTableAssociation(this, `public-${i}-assoc`, {
        subnetId: pub.id,
        routeTableId: this.publicRouteTable.id,
      });
      if (i < natCount) {
        const eip = new Eip(this, `nat-eip-${i}`, { domain: 'vpc', tags: { Name: `${name}-nat-${i}` } });
        this.natGateways.push(
          new NatGateway(this, `nat-${i}`, {
            allocationId: eip.allocationId,
            subnetId: pub.id,
            tags: { Name: `${name}-nat-${i}` },
            dependsOn: [igw],
          }),
        );
      }
    }

    for (let i = 0; i < props.azCount; i++) {
      const priv = subnet('private', i, { 'kubernetes.io/role/internal-elb': '1' });
      this.privateSubnets.push(priv);
      const rt = new RouteTable(this, `private-rt-${i}`, {
        vpcId: this.vpc.id,
        tags: { Name: `${name}-private-${i}` },
      });
      new Route(this, `private-${i}-default`, {
        routeTableId: rt.id,
        destinationCidrBlock: '0.0.0.0/0',
        natGatewayId: this.natGateways[Math.min(i, this.natGateways.length - 1)].id,
      });
      new RouteTableAssociation(this, `private-${i}-assoc`, { subnetId: priv.id, routeTableId: rt.id });
      this.privateRouteTables.push(rt);

      if (props.replicationSubnets) {
        // Same route table as the AZ's private subnet: NAT, the endpoints and the peering routes.
        const replication = subnet('replication', i, {});
        this.replicationSubnets.push(replication);
        new RouteTableAssociation(this, `replication-${i}-assoc`, { subnetId: replication.id, routeTableId: rt.id });
      }

      const data = subnet('data', i, {});
      this.dataSubnets.push(data);
      new RouteTableAssociation(this, `data-${i}-assoc`, { subnetId: data.id, routeTableId: this.dataRouteTable.id });
    }

    // Every endpoint carries a policy scoped to the account's resources (./endpoint-policies.ts).
    const endpointPolicy = (service: string) => {
      const document = new PolicyDocument(
        this,
        `endpoint-policy-${service.replace(/\./g, '-')}`,
        endpointPolicyStatements({
          service,
          accountId: props.accountId,
          partition: props.partition ?? 'aws',
          region: props.region,
          extraReadBuckets: props.endpointReadBuckets,
        }),
      );
      if (service === 's3') {
        suppress(
          document,
          'MRP-IAM-5',
          'Endpoint policy: s3:GetObject on named AWS-owned and registry buckets only; the reads are anonymous or presigned by ECR, so no principal condition can name who makes them',
        );
      }
      return document.json;
    };
    const internalRouteTableIds = [...this.privateRouteTables.map((rt) => rt.id), this.dataRouteTable.id];
    for (const service of ['s3', 'dynamodb']) {
      new VpcEndpoint(this, `gateway-${service}`, {
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: 'Gateway',
        routeTableIds: internalRouteTableIds,
        policy: endpointPolicy(service),
        tags: { Name: `${name}-${service}` },
      });
    }

    if (props.interfaceEndpoints.length > 0) {
      const endpointSg = new SecurityGroup(this, 'endpoints-sg', {
        name: `${name}-endpoints`,
        description: 'HTTPS from inside the VPC to AWS interface endpoints',
        vpcId: this.vpc.id,
        tags: { Name: `${name}-endpoints` },
      });
      new VpcSecurityGroupIngressRule(this, 'endpoints-https', {
        securityGroupId: endpointSg.id,
        description: 'HTTPS from the VPC',
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrIpv4: props.cidr,
      });
      for (const service of props.interfaceEndpoints) {
        new VpcEndpoint(this, `interface-${service.replace(/\./g, '-')}`, {
          vpcId: this.vpc.id,
          serviceName: `com.amazonaws.${props.region}.${service}`,
          vpcEndpointType: 'Interface',
          privateDnsEnabled: true,
          subnetIds: this.privateSubnets.map((s) => s.id),
          securityGroupIds: [endpointSg.id],
          policy: endpointPolicy(service),
          tags: { Name: `${name}-${service}` },
        });
      }
    }

    this.flowLogGroup = new CloudwatchLogGroup(this, 'flow-logs', {
      name: `/vpc/${name}/flow-logs`,
      retentionInDays: props.flowLogRetentionDays,
      kmsKeyId: props.kmsKey.arn,
    });
    const flowRole = new IamRole(this, 'flow-logs-role', {
      name: `${name}-flow-logs`,
      assumeRolePolicy: new PolicyDocument(
        this,
        'flow-logs-trust',
        serviceTrust('vpc-flow-logs.amazonaws.com', props.accountId),
      ).json,
    });
    new IamRolePolicy(this, 'flow-logs-policy', {
      role: flowRole.id,
      name: 'deliver-to-flow-log-group',
      policy: new PolicyDocument(this, 'flow-logs-permissions', [
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          Resource: [this.flowLogGroup.arn, `${this.flowLogGroup.arn}:*`],
        },
        { Effect: 'Allow', Action: 'logs:DescribeLogGroups', Resource: '*' },
      ]).json,
    });
    new FlowLog(this, 'flow-log', {
      vpcId: this.vpc.id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: this.flowLogGroup.arn,
      iamRoleArn: flowRole.arn,
      maxAggregationInterval: 60,
      tags: { Name: `${name}-flow-log` },
    });
  }

  /** Route tables of the private and data tiers: where routes to peered regions go. */
  get internalRouteTables(): RouteTable[] {
    return [...this.privateRouteTables, this.dataRouteTable];
  }
}
