import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { FisExperimentTemplate } from '@cdktf/provider-aws/lib/fis-experiment-template';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { setComponent } from '../common/context';
import { PolicyDocument, serviceTrust } from '../common/iam';

export interface FisExperimentsProps {
  /** Name prefix, e.g. `mi-production-us-east`. */
  readonly name: string;
  /** AWS region code of this region. */
  readonly region: string;
  /** Region codes this region replicates with; the isolation drill cuts each of them. */
  readonly peerRegions: readonly string[];
  readonly accountId: string;
  readonly partition: string;
  readonly vpcId: string;
  /** Subnet ids per AZ index (private, data and replication tiers): the AZ drill cuts one AZ's subnets. */
  readonly subnetIdsByAz: readonly (readonly string[])[];
  /**
   * CloudWatch alarms whose ALARM state stops a running experiment (the region's critical alarm).
   * Required: an experiment without a stop condition is not allowed here.
   */
  readonly stopAlarmArns: readonly string[];
  /** KMS key (ARN) encrypting the experiment log group. */
  readonly kmsKeyArn: string;
  readonly logRetentionDays: number;
  /**
   * AZ index the AZ drill disrupts.
   * @default 0
   */
  readonly azIndex?: number;
  /**
   * How long each disruption lasts (ISO 8601 duration).
   * @default 'PT10M'
   */
  readonly duration?: string;
}

/**
 * AWS FIS templates for the seeds' chaos drills, each stopped by the critical alarm:
 * - AZ drill: `aws:network:disrupt-connectivity` (scope all) on one AZ's private, data and replication subnets;
 * - region isolation: `aws:network:route-table-disrupt-cross-region-connectivity` from every
 *   subnet of the region towards each peer region, one peer after the other.
 * Experiments log to a KMS-encrypted log group; the role may only touch this VPC.
 *
 * No two actions of one experiment that can run at the same time touch the same resources
 * (test/chaos.test.ts walks the synthesized templates): the route-table action swaps each target subnet's route-table
 * association for a copy it made and puts the original back when it ends. Two such actions on the
 * same subnets at once would each copy the table the other just installed, and whichever ends last
 * restores the other's copy (the subnet keeps a FIS route table, or loses a blackhole early). The
 * action takes a single `region`, so the isolation drill chains one action per peer with
 * `startAfter`: the region is cut from each peer in turn, for `duration` each.
 */
export class FisExperiments extends Construct {
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  readonly azDrill: FisExperimentTemplate;
  readonly regionIsolation: FisExperimentTemplate;

  constructor(scope: Construct, id: string, props: FisExperimentsProps) {
    super(scope, id);
    setComponent(this, 'chaos');
    if (props.stopAlarmArns.length === 0)
      throw new Error(`${this.node.path}: stopAlarmArns must name at least one alarm`);
    const azIndex = props.azIndex ?? 0;
    if (!props.subnetIdsByAz[azIndex]?.length) {
      throw new Error(`${this.node.path}: azIndex ${azIndex} has no subnets (${props.subnetIdsByAz.length} AZs given)`);
    }
    const duration = props.duration ?? 'PT10M';
    const { partition, region, accountId } = props;
    const arn = (type: string, idOrWildcard: string) =>
      `arn:${partition}:ec2:${region}:${accountId}:${type}/${idOrWildcard}`;
    const vpcArn = arn('vpc', props.vpcId);

    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/fis/${props.name}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });

    this.role = new IamRole(this, 'role', {
      name: `${props.name}-fis`,
      assumeRolePolicy: new PolicyDocument(this, 'trust', serviceTrust('fis.amazonaws.com', accountId)).json,
    });
    const fisTag = { 'aws:RequestTag/managedByFIS': 'true' };
    new IamRolePolicy(this, 'policy', {
      role: this.role.id,
      name: 'network-disruption',
      policy: new PolicyDocument(this, 'permissions', [
        {
          Sid: 'Describe',
          Effect: 'Allow',
          Action: [
            'ec2:DescribeSubnets',
            'ec2:DescribeVpcs',
            'ec2:DescribeNetworkAcls',
            'ec2:DescribeRouteTables',
            'ec2:DescribeVpcPeeringConnections',
            'ec2:DescribeManagedPrefixLists',
          ],
          // Describe calls support no resource-level permissions.
          Resource: '*',
        },
        {
          // Disrupting a service's traffic reads its prefix list (AWS-owned for S3 and DynamoDB, so
          // any owner): prefix lists of the region only.
          Sid: 'ReadPrefixLists',
          Effect: 'Allow',
          Action: 'ec2:GetManagedPrefixListEntries',
          Resource: `arn:${partition}:ec2:${region}:*:prefix-list/*`,
        },
        {
          Sid: 'CreateInThisVpc',
          Effect: 'Allow',
          Action: ['ec2:CreateNetworkAcl', 'ec2:CreateRouteTable'],
          Resource: vpcArn,
        },
        {
          Sid: 'CreateTaggedByFis',
          Effect: 'Allow',
          Action: ['ec2:CreateNetworkAcl', 'ec2:CreateRouteTable', 'ec2:CreateManagedPrefixList', 'ec2:CreateTags'],
          Resource: [arn('network-acl', '*'), arn('route-table', '*'), arn('prefix-list', '*')],
          Condition: { StringEquals: fisTag },
        },
        {
          Sid: 'ChangeOnlyWhatFisCreated',
          Effect: 'Allow',
          Action: [
            'ec2:CreateNetworkAclEntry',
            'ec2:DeleteNetworkAcl',
            'ec2:CreateRoute',
            'ec2:DeleteRouteTable',
            'ec2:ModifyManagedPrefixList',
            'ec2:DeleteManagedPrefixList',
          ],
          Resource: [arn('network-acl', '*'), arn('route-table', '*'), arn('prefix-list', '*')],
          Condition: { StringEquals: { 'aws:ResourceTag/managedByFIS': 'true' } },
        },
        {
          Sid: 'SwapAssociationsInThisVpc',
          Effect: 'Allow',
          Action: [
            'ec2:ReplaceNetworkAclAssociation',
            'ec2:AssociateRouteTable',
            'ec2:DisassociateRouteTable',
            'ec2:ReplaceRouteTableAssociation',
          ],
          Resource: [arn('subnet', '*'), arn('network-acl', '*'), arn('route-table', '*')],
          Condition: { StringEquals: { 'ec2:Vpc': vpcArn } },
        },
        {
          Sid: 'ExperimentLogs',
          Effect: 'Allow',
          Action: [
            'logs:CreateLogDelivery',
            'logs:PutResourcePolicy',
            'logs:DescribeResourcePolicies',
            'logs:DescribeLogGroups',
          ],
          // Log delivery APIs support no resource-level permissions.
          Resource: '*',
        },
      ]).json,
    });

    const common = {
      roleArn: this.role.arn,
      stopCondition: props.stopAlarmArns.map((value) => ({ source: 'aws:cloudwatch:alarm', value })),
      logConfiguration: {
        logSchemaVersion: 2,
        cloudwatchLogsConfiguration: { logGroupArn: `${this.logGroup.arn}:*` },
      },
      experimentOptions: { accountTargeting: 'single-account', emptyTargetResolutionMode: 'fail' },
    };

    this.azDrill = new FisExperimentTemplate(this, 'az-drill', {
      ...common,
      description: `AZ drill: cut all traffic of the platform subnets in AZ #${azIndex} of ${region} for ${duration}`,
      target: [
        {
          name: 'az-subnets',
          resourceType: 'aws:ec2:subnet',
          selectionMode: 'ALL',
          resourceArns: props.subnetIdsByAz[azIndex].map((s) => arn('subnet', s)),
        },
      ],
      action: [
        {
          name: 'disrupt-az',
          actionId: 'aws:network:disrupt-connectivity',
          parameter: [
            { key: 'scope', value: 'all' },
            { key: 'duration', value: duration },
          ],
          target: { key: 'Subnets', value: 'az-subnets' },
        },
      ],
      tags: { Name: `${props.name}-az-drill` },
    });

    const isolate = (peer: string) => `isolate-from-${peer}`;
    this.regionIsolation = new FisExperimentTemplate(this, 'region-isolation', {
      ...common,
      description: `Region isolation: cut ${region} from ${props.peerRegions.join(', then ')}, ${duration} each, one at a time`,
      target: [
        {
          name: 'region-subnets',
          resourceType: 'aws:ec2:subnet',
          selectionMode: 'ALL',
          resourceArns: props.subnetIdsByAz.flat().map((s) => arn('subnet', s)),
        },
      ],
      // Same subnets for every action: chained, never in parallel (see the class comment).
      action: props.peerRegions.map((peer, i) => ({
        name: isolate(peer),
        actionId: 'aws:network:route-table-disrupt-cross-region-connectivity',
        parameter: [
          { key: 'region', value: peer },
          { key: 'duration', value: duration },
        ],
        target: { key: 'Subnets', value: 'region-subnets' },
        startAfter: i === 0 ? undefined : [isolate(props.peerRegions[i - 1])],
      })),
      tags: { Name: `${props.name}-region-isolation` },
    });
  }
}
