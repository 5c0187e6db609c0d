import { Construct } from 'constructs';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { setComponent } from '../common/context';
import { PolicyDocument, type PolicyStatement } from '../common/iam';
import { IrsaRole, type OidcIdentity } from './irsa-role';

/** Namespace and name of a service account bound to an IAM role. */
export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

export const LOAD_BALANCER_CONTROLLER_SA: ServiceAccountRef = {
  namespace: 'kube-system',
  name: 'aws-load-balancer-controller',
};
export const CLUSTER_AUTOSCALER_SA: ServiceAccountRef = { namespace: 'kube-system', name: 'cluster-autoscaler' };

export interface WorkloadRolesProps {
  readonly clusterName: string;
  readonly oidc: OidcIdentity;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** The only target group the load balancer controller may register pods in. */
  readonly targetGroupArn: string;
  /** VPC of the cluster: the only one whose security groups the controller may list. */
  readonly vpcId: string;
  /** Service account of the application. */
  readonly application: ServiceAccountRef;
}

/**
 * IAM roles of the in-cluster controllers and the application, each trusted by one service
 * account only and each scoped to what that controller touches:
 * - load balancer controller: binds pods to the Terraform-owned target group (TargetGroupBinding)
 *   and nothing else: it cannot create load balancers, target groups or security group rules;
 * - cluster autoscaler: changes only Auto Scaling groups tagged as belonging to this cluster;
 * - application: no permissions of its own here; its data access (IAM authentication to Aurora,
 *   ElastiCache and MSK) is attached by `ApplicationDataAccess` where the data layer is known.
 */
export class WorkloadRoles extends Construct {
  readonly loadBalancerController: IrsaRole;
  readonly clusterAutoscaler: IrsaRole;
  readonly application: IrsaRole;

  constructor(scope: Construct, id: string, props: WorkloadRolesProps) {
    super(scope, id);
    setComponent(this, 'eks');
    const { clusterName, oidc, partition } = props;

    this.loadBalancerController = new IrsaRole(this, 'load-balancer-controller', {
      roleName: `${clusterName}-lb-controller`,
      oidc,
      partition,
      namespace: LOAD_BALANCER_CONTROLLER_SA.namespace,
      serviceAccount: LOAD_BALANCER_CONTROLLER_SA.name,
      statements: [
        {
          Sid: 'ReadLoadBalancingAndNetwork',
          Effect: 'Allow',
          // Describe calls support no resource-level scoping.
          Action: [
            'elasticloadbalancing:DescribeLoadBalancers',
            'elasticloadbalancing:DescribeListeners',
            'elasticloadbalancing:DescribeTargetGroups',
            'elasticloadbalancing:DescribeTargetGroupAttributes',
            'elasticloadbalancing:DescribeTargetHealth',
            'elasticloadbalancing:DescribeTags',
            'ec2:DescribeAvailabilityZones',
            'ec2:DescribeInstances',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSecurityGroups',
            'ec2:DescribeSubnets',
            'ec2:DescribeVpcs',
          ],
          Resource: '*',
        },
        {
          Sid: 'ListSecurityGroupsOfTheClusterVpc',
          Effect: 'Allow',
          Action: 'ec2:GetSecurityGroupsForVpc',
          Resource: `arn:${partition}:ec2:${props.region}:${props.accountId}:vpc/${props.vpcId}`,
        },
        {
          Sid: 'BindPodsToTheApplicationTargetGroup',
          Effect: 'Allow',
          Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
          Resource: props.targetGroupArn,
        },
      ],
    });

    this.clusterAutoscaler = new IrsaRole(this, 'cluster-autoscaler', {
      roleName: `${clusterName}-cluster-autoscaler`,
      oidc,
      partition,
      namespace: CLUSTER_AUTOSCALER_SA.namespace,
      serviceAccount: CLUSTER_AUTOSCALER_SA.name,
      statements: [
        {
          Sid: 'DiscoverNodeGroups',
          Effect: 'Allow',
          Action: [
            'autoscaling:DescribeAutoScalingGroups',
            'autoscaling:DescribeAutoScalingInstances',
            'autoscaling:DescribeLaunchConfigurations',
            'autoscaling:DescribeScalingActivities',
            'autoscaling:DescribeTags',
            'ec2:DescribeImages',
            'ec2:DescribeInstanceTypes',
            'ec2:DescribeLaunchTemplateVersions',
            'ec2:GetInstanceTypesFromInstanceRequirements',
          ],
          Resource: '*',
        },
        {
          Sid: 'DescribeOwnNodeGroups',
          Effect: 'Allow',
          Action: 'eks:DescribeNodegroup',
          Resource: `arn:${partition}:eks:${props.region}:${props.accountId}:nodegroup/${clusterName}/*`,
        },
        {
          Sid: 'ScaleOwnNodeGroupsOnly',
          Effect: 'Allow',
          Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
          Resource: '*',
          // EKS tags the Auto Scaling group of every managed node group with these.
          Condition: {
            StringEquals: {
              [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: 'owned',
              'aws:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true',
            },
          },
        },
      ],
    });

    this.application = new IrsaRole(this, 'application', {
      roleName: applicationRoleName(clusterName),
      oidc,
      partition,
      namespace: props.application.namespace,
      serviceAccount: props.application.name,
    });
  }
}

/** Name of the application's IRSA role in a cluster (one place, read by `ApplicationDataAccess` users). */
export function applicationRoleName(clusterName: string): string {
  return `${clusterName}-application`;
}

/** One ElastiCache replication group the application connects to, and the RBAC user it connects as. */
export interface CacheConnectTarget {
  /** Region code of the group. */
  readonly region: string;
  readonly replicationGroupId: string;
  /** Id of the IAM-authenticated ElastiCache user. */
  readonly userId: string;
}

/**
 * What the application may connect to, as names: every ARN is built from them, so the policy needs
 * no reference to another stack and survives a switchover (see `applicationDataStatements`).
 */
export interface ApplicationDataAccessSpec {
  readonly partition: string;
  readonly accountId: string;
  readonly aurora: {
    /** Region codes of every member of the global cluster: the writer moves between them. */
    readonly regions: readonly string[];
    /** Database user the application logs in as (IAM authentication, `rds_iam`). */
    readonly dbUser: string;
  };
  /** Every replication group the application opens (the writer's and the one it reads). */
  readonly cache: readonly CacheConnectTarget[];
  readonly msk: {
    /** Region code of the application's own MSK cluster. */
    readonly region: string;
    readonly clusterName: string;
    /** Topics the application produces and consumes: names or IAM name patterns (`genai-demo.production.*`). */
    readonly topics: readonly string[];
    /**
     * Topics other regions' events arrive in (replicated into this cluster): read only. Only the
     * replication writes them; an application write would mix into the copy of another region's
     * stream and never reach that region.
     */
    readonly replicatedTopics: readonly string[];
    /** Consumer group names or IAM name patterns. */
    readonly groups: readonly string[];
  };
}

/** Actions the application needs on Kafka topics (produce and consume) and on its consumer groups. */
export const APPLICATION_KAFKA_TOPIC_ACTIONS = [
  'kafka-cluster:DescribeTopic',
  'kafka-cluster:ReadData',
  'kafka-cluster:WriteData',
] as const;
/** Actions the application needs on replicated topics: consume only. */
export const APPLICATION_KAFKA_REPLICATED_TOPIC_ACTIONS = [
  'kafka-cluster:DescribeTopic',
  'kafka-cluster:ReadData',
] as const;
export const APPLICATION_KAFKA_GROUP_ACTIONS = ['kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup'] as const;

/**
 * The application's data-access statements, least privilege and scoped by ARN:
 * - `rds-db:connect` as `aurora.dbUser` only, on cluster resource ids (`cluster-*`) of the global
 *   cluster's member regions in this account. The resource id is random and known only after each
 *   member exists in its own data stack; the writer endpoint moves to another member at switchover,
 *   and a rebuilt member gets a new id. Scoping by account, member region and database user (the
 *   bootstrap job creates that user only in this global cluster) survives all of that without a
 *   reference from one region's stack to another's.
 * - `elasticache:Connect` on each replication group it opens and on that group's IAM user (AWS
 *   checks both ARNs).
 * - MSK: `Connect` and `WriteDataIdempotently` (the default idempotent producer) on its own region's
 *   cluster, produce and consume on its own topics, consume
 *   only on the replicated ones, group actions on the listed names. The cluster UUID segment is
 *   `*`: it is assigned at creation and the cluster name is unique per region and account.
 */
export function applicationDataStatements(spec: ApplicationDataAccessSpec): PolicyStatement[] {
  const { partition, accountId } = spec;
  if (spec.aurora.regions.length === 0) throw new Error('application data access: no Aurora member regions');
  if (!/^[a-z_][a-z0-9_]*$/.test(spec.aurora.dbUser)) {
    throw new Error(
      `application data access: aurora.dbUser ${JSON.stringify(spec.aurora.dbUser)} is not a plain lower-case PostgreSQL name`,
    );
  }
  if (spec.cache.length === 0) throw new Error('application data access: no cache replication group');
  if (spec.msk.topics.length === 0 || spec.msk.groups.length === 0) {
    throw new Error('application data access: msk.topics and msk.groups must name at least one topic and group');
  }
  const kafka = (kind: 'cluster' | 'topic' | 'group', suffix = '') =>
    `arn:${partition}:kafka:${spec.msk.region}:${accountId}:${kind}/${spec.msk.clusterName}/*${suffix}`;
  const ec = (region: string, kind: 'replicationgroup' | 'user', id: string) =>
    `arn:${partition}:elasticache:${region}:${accountId}:${kind}:${id}`;
  return [
    {
      Sid: 'AuroraIamAuthentication',
      Effect: 'Allow',
      Action: 'rds-db:connect',
      Resource: spec.aurora.regions.map(
        (region) => `arn:${partition}:rds-db:${region}:${accountId}:dbuser:cluster-*/${spec.aurora.dbUser}`,
      ),
    },
    {
      Sid: 'CacheIamAuthentication',
      Effect: 'Allow',
      Action: 'elasticache:Connect',
      Resource: [
        ...new Set(
          spec.cache.flatMap((c) => [
            ec(c.region, 'replicationgroup', c.replicationGroupId),
            ec(c.region, 'user', c.userId),
          ]),
        ),
      ],
    },
    // Producers are idempotent by default (Kafka clients 3.0+, KIP-679). Kafka ACLs let a topic's
    // WRITE imply IDEMPOTENT_WRITE; MSK IAM does not: without WriteDataIdempotently on the cluster
    // every default producer fails with a cluster authorization error.
    {
      Sid: 'KafkaConnect',
      Effect: 'Allow',
      Action: ['kafka-cluster:Connect', 'kafka-cluster:WriteDataIdempotently'],
      Resource: kafka('cluster'),
    },
    {
      Sid: 'KafkaTopics',
      Effect: 'Allow',
      Action: [...APPLICATION_KAFKA_TOPIC_ACTIONS],
      Resource: spec.msk.topics.map((t) => kafka('topic', `/${t}`)),
    },
    ...(spec.msk.replicatedTopics.length > 0
      ? [
          {
            Sid: 'KafkaReplicatedTopics',
            Effect: 'Allow' as const,
            Action: [...APPLICATION_KAFKA_REPLICATED_TOPIC_ACTIONS],
            Resource: spec.msk.replicatedTopics.map((t) => kafka('topic', `/${t}`)),
          },
        ]
      : []),
    {
      Sid: 'KafkaConsumerGroups',
      Effect: 'Allow',
      Action: [...APPLICATION_KAFKA_GROUP_ACTIONS],
      Resource: spec.msk.groups.map((g) => kafka('group', `/${g}`)),
    },
  ];
}

export interface ApplicationDataAccessProps {
  /** Name of the application's IRSA role (`applicationRoleName`). */
  readonly roleName: string;
  readonly access: ApplicationDataAccessSpec;
}

/** The application's data-access policy, attached inline to its existing IRSA role. */
export class ApplicationDataAccess extends Construct {
  readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: ApplicationDataAccessProps) {
    super(scope, id);
    setComponent(this, 'eks');
    this.policy = new IamRolePolicy(this, 'policy', {
      role: props.roleName,
      name: 'data-access',
      policy: new PolicyDocument(this, 'document', applicationDataStatements(props.access)).json,
    });
  }
}
