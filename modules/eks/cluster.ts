import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { EksCluster as EksClusterResource } from '@cdktf/provider-aws/lib/eks-cluster';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import type { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { setComponent } from '../common/context';
import { PolicyDocument, type PolicyStatement } from '../common/iam';
import { suppress } from '../common/policy';
import { type RegionalKey, type ServiceLinkedRole, serviceLinkedRoleKeyStatement } from '../kms/regional-key';
import type { Network } from '../network/network';
import { IrsaRole, type OidcIdentity } from './irsa-role';
import { ManagedNodeGroup, type NodeGroupSpec } from './node-group';
import { NodeNetworkRules, type EgressAllowance, type StoreDestination } from './node-network';
import { CONTROL_PLANE_LOG_TYPES } from './types';

/** Versions of the EKS managed add-ons the cluster runs. */
export interface AddonVersions {
  readonly vpcCni: string;
  readonly coredns: string;
  readonly kubeProxy: string;
  readonly ebsCsiDriver: string;
  readonly podIdentityAgent: string;
}

/**
 * What a platform team sets about a cluster per environment or region (src/config reuses this
 * type, so a setting is declared once and reaches the module unchanged).
 */
export interface EksClusterSettings {
  /** Kubernetes minor version in EKS standard support, e.g. `1.35`. */
  readonly kubernetesVersion: string;
  /**
   * Serve the API on a public endpoint as well (the private endpoint is always on).
   * @default false
   */
  readonly endpointPublicAccess?: boolean;
  /** CIDRs allowed to the public endpoint; required (and never 0.0.0.0/0) when it is on. @default - none */
  readonly publicAccessCidrs?: readonly string[];
  /** Give the identity that creates the cluster cluster-admin. @default false - every administrator is an explicit access entry */
  readonly clusterCreatorAdmin?: boolean;
  /** Retention of the control-plane log group, days (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
  /** Versions of the EKS managed add-ons, e.g. `v1.21.1-eksbuild.3` (`aws eks describe-addon-versions`). */
  readonly addonVersions: AddonVersions;
  /** Managed node groups; a region override replaces the list as a whole. */
  readonly nodeGroups: readonly NodeGroupSpec[];
}

export interface EksClusterProps extends EksClusterSettings {
  /** Cluster name, e.g. `mi-production-us-east`. */
  readonly clusterName: string;
  /** Control plane ENIs and nodes go in the private subnets (`replication` groups in the replication subnets). */
  readonly network: Network;
  /** Envelope-encrypts Kubernetes secrets, the control-plane log group and node root volumes. */
  readonly kmsKey: RegionalKey;
  readonly accountId: string;
  readonly partition: string;
  /** IAM principal ARNs given cluster-admin through access entries. */
  readonly adminPrincipalArns: readonly string[];
  /**
   * Data stores the pods reach (ports per private range): the node egress allow-list adds them to
   * HTTPS, the API server and the cluster itself (`NodeNetworkRules`).
   * @default - none
   */
  readonly nodeEgressStores?: readonly StoreDestination[];
}

/**
 * One region's EKS cluster: private API endpoint, secrets encrypted with the regional key, every
 * control-plane log type in a KMS-encrypted, retained log group that exists before the cluster,
 * API-only authentication with explicit admin access entries, an OIDC provider for IRSA, the core
 * add-ons at pinned versions, and managed node groups.
 *
 * Security groups other modules use:
 * - `clusterSecurityGroupId`: created by EKS, on the control-plane ENIs. Not on the nodes: EKS
 *   gives it an allow-all egress rule Terraform does not manage;
 * - `nodeSecurityGroupId`: created here, the only group of every node and therefore every pod (the
 *   VPC CNI gives pods addresses on the nodes' interfaces), with an explicit egress allow-list
 *   (`NodeNetworkRules`, docs/security.md). Data stores admit traffic from this group.
 */
export class EksCluster extends Construct {
  readonly cluster: EksClusterResource;
  readonly clusterName: string;
  readonly clusterRole: IamRole;
  readonly nodeRole: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  readonly oidcProvider: IamOpenidConnectProvider;
  /** Issuer host and provider ARN for IRSA trust policies. */
  readonly oidc: OidcIdentity;
  /** Extra security group of every node and pod; the source other services admit. */
  readonly nodeSecurityGroup: SecurityGroup;
  readonly addons: Readonly<Record<string, EksAddon>>;
  readonly nodeGroups: readonly ManagedNodeGroup[];
  readonly vpcCniRole: IrsaRole;
  readonly ebsCsiRole: IrsaRole;
  /** What nodes and pods may send (docs/security.md, "Inside the perimeter"). */
  readonly nodeEgressAllowList: readonly EgressAllowance[];

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    setComponent(this, 'eks');
    const { clusterName: name, partition, accountId, kmsKey } = props;
    this.clusterName = name;

    this.clusterRole = new IamRole(this, 'cluster-role', {
      name: `${name}-cluster`,
      description: `EKS control plane of ${name}`,
      assumeRolePolicy: new PolicyDocument(this, 'cluster-trust', [
        {
          Effect: 'Allow',
          Principal: { Service: 'eks.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
        },
      ]).json,
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, 'cluster-policy', {
      role: this.clusterRole.name,
      policyArn: `arn:${partition}:iam::aws:policy/AmazonEKSClusterPolicy`,
    });
    const clusterKmsPermissions = new PolicyDocument(this, 'cluster-kms-permissions', [
      {
        Effect: 'Allow',
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'],
        Resource: kmsKey.arn,
      },
    ]);
    suppress(
      clusterKmsPermissions,
      'MRP-KMS-5',
      'the EKS control plane calls KMS as the cluster role itself (envelope encryption of secrets), so kms:ViaService is absent; the role is assumable by eks.amazonaws.com only',
    );
    const clusterKms = new IamRolePolicy(this, 'cluster-kms', {
      role: this.clusterRole.id,
      name: 'secrets-envelope-encryption',
      policy: clusterKmsPermissions.json,
    });

    // EKS would create this group itself, unencrypted and kept forever; creating it first wins.
    this.logGroup = new CloudwatchLogGroup(this, 'control-plane-logs', {
      name: `/aws/eks/${name}/cluster`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: kmsKey.arn,
    });

    this.nodeSecurityGroup = new SecurityGroup(this, 'node-sg', {
      name: `${name}-nodes`,
      description: `Every node and pod of ${name}; data stores admit traffic from this group`,
      vpcId: props.network.vpc.id,
      tags: { Name: `${name}-nodes` },
    });

    const publicAccess = props.endpointPublicAccess ?? false;
    this.cluster = new EksClusterResource(this, 'cluster', {
      name,
      version: props.kubernetesVersion,
      roleArn: this.clusterRole.arn,
      vpcConfig: {
        subnetIds: props.network.privateSubnets.map((s) => s.id),
        endpointPrivateAccess: true,
        endpointPublicAccess: publicAccess,
        publicAccessCidrs: publicAccess ? [...(props.publicAccessCidrs ?? [])] : undefined,
      },
      accessConfig: {
        authenticationMode: 'API',
        bootstrapClusterCreatorAdminPermissions: props.clusterCreatorAdmin ?? false,
      },
      // The managed add-ons below replace the self-managed defaults.
      bootstrapSelfManagedAddons: false,
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: kmsKey.arn } },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      // Refuse paid extended support: an unsupported version must be upgraded, not kept silently.
      upgradePolicy: { supportType: 'STANDARD' },
      zonalShiftConfig: { enabled: true },
      lifecycle: { preventDestroy: true },
      dependsOn: [this.logGroup, clusterPolicy, clusterKms],
    });

    props.adminPrincipalArns.forEach((principalArn, i) => {
      const entry = new EksAccessEntry(this, `admin-${i}`, {
        clusterName: this.cluster.name,
        principalArn,
        type: 'STANDARD',
      });
      new EksAccessPolicyAssociation(this, `admin-${i}-policy`, {
        clusterName: this.cluster.name,
        principalArn: entry.principalArn,
        policyArn: `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
        accessScope: { type: 'cluster' },
      });
    });

    const issuer = this.cluster.identity.get(0).oidc.get(0).issuer;
    this.oidcProvider = new IamOpenidConnectProvider(this, 'oidc', {
      url: issuer,
      clientIdList: ['sts.amazonaws.com'],
    });
    this.oidc = { providerArn: this.oidcProvider.arn, issuerHost: Fn.replace(issuer, 'https://', '') };

    this.vpcCniRole = new IrsaRole(this, 'vpc-cni-role', {
      roleName: `${name}-vpc-cni`,
      oidc: this.oidc,
      namespace: 'kube-system',
      serviceAccount: 'aws-node',
      partition,
      managedPolicies: ['AmazonEKS_CNI_Policy'],
    });
    this.ebsCsiRole = new IrsaRole(this, 'ebs-csi-role', {
      roleName: `${name}-ebs-csi`,
      oidc: this.oidc,
      namespace: 'kube-system',
      serviceAccount: 'ebs-csi-controller-sa',
      partition,
      managedPolicies: ['AmazonEBSCSIDriverPolicy'],
      // Volumes are encrypted with the regional key; the driver needs grants on it.
      statements: ebsCsiKmsStatements(kmsKey.arn),
    });

    this.nodeRole = new IamRole(this, 'node-role', {
      name: `${name}-node`,
      description: `EKS nodes of ${name}`,
      assumeRolePolicy: new PolicyDocument(this, 'node-trust', [
        { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ]).json,
    });
    // The CNI policy is on the aws-node service account (IRSA), not on every node.
    const nodePolicies = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly'].map(
      (policy) =>
        new IamRolePolicyAttachment(this, `node-${policy}`, {
          role: this.nodeRole.name,
          policyArn: `arn:${partition}:iam::aws:policy/${policy}`,
        }),
    );

    // EC2 Auto Scaling launches the nodes and must use the key for their encrypted root volumes.
    for (const statement of autoScalingKeyStatements(partition, accountId)) kmsKey.addToPolicy(statement);

    const addon = (
      addonName: string,
      version: string,
      extra: Partial<ConstructorParameters<typeof EksAddon>[2]> = {},
    ) =>
      new EksAddon(this, `addon-${addonName}`, {
        clusterName: this.cluster.name,
        addonName,
        addonVersion: version,
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'OVERWRITE',
        ...extra,
      });
    const v = props.addonVersions;
    const cniProblem = vpcCniNetworkPolicyProblem(v.vpcCni);
    if (cniProblem) this.node.addValidation({ validate: () => [cniProblem] });
    // Networking and identity agents first: nodes only become Ready with the CNI running.
    const beforeNodes = [
      addon('vpc-cni', v.vpcCni, {
        serviceAccountRoleArn: this.vpcCniRole.arn,
        // The network policy agent (aws-node) enforces NetworkPolicies; without it they are inert.
        configurationValues: JSON.stringify(VPC_CNI_CONFIGURATION),
      }),
      addon('kube-proxy', v.kubeProxy),
      addon('eks-pod-identity-agent', v.podIdentityAgent),
    ];

    // Rules before nodes: a node must reach the API server and the registries to join.
    const nodeNetwork = new NodeNetworkRules(this, 'node-network', {
      nodeSecurityGroup: this.nodeSecurityGroup,
      clusterSecurityGroupId: this.cluster.vpcConfig.clusterSecurityGroupId,
      stores: props.nodeEgressStores,
    });
    this.nodeEgressAllowList = nodeNetwork.allowList;

    this.nodeGroups = props.nodeGroups.map(
      (spec) =>
        new ManagedNodeGroup(this, `nodes-${spec.name}`, {
          cluster: this.cluster,
          name: `${name}-${spec.name}`,
          nodeRoleArn: this.nodeRole.arn,
          subnetIds: this.subnetsOf(spec, props.network).map((s) => s.id),
          // The node group only: its egress is the allow-list, not the cluster group's allow-all.
          securityGroupIds: [this.nodeSecurityGroup.id],
          kmsKeyArn: kmsKey.arn,
          spec,
          dependsOn: [...nodePolicies, ...beforeNodes, ...nodeNetwork.rules],
        }),
    );

    // Deployments: they need nodes to become healthy.
    const afterNodes = { dependsOn: this.nodeGroups.map((g) => g.nodeGroup) };
    const coredns = addon('coredns', v.coredns, afterNodes);
    const ebsCsi = addon('aws-ebs-csi-driver', v.ebsCsiDriver, {
      ...afterNodes,
      serviceAccountRoleArn: this.ebsCsiRole.arn,
    });
    this.addons = {
      'vpc-cni': beforeNodes[0],
      'kube-proxy': beforeNodes[1],
      'eks-pod-identity-agent': beforeNodes[2],
      coredns,
      'aws-ebs-csi-driver': ebsCsi,
    };
  }

  get endpoint(): string {
    return this.cluster.endpoint;
  }

  /** Base64 PEM of the cluster CA. */
  get certificateAuthorityData(): string {
    return this.cluster.certificateAuthority.get(0).data;
  }

  /** Security group EKS creates for the control plane and attaches to every node. */
  get clusterSecurityGroupId(): string {
    return this.cluster.vpcConfig.clusterSecurityGroupId;
  }

  /** Security group of every node and pod: what Aurora, ElastiCache and MSK admit. */
  get nodeSecurityGroupId(): string {
    return this.nodeSecurityGroup.id;
  }

  /**
   * Where a group's nodes go: `replication` groups in the replication subnets (so the other
   * regions' brokers can admit them alone), every other group in the private subnets.
   */
  private subnetsOf(spec: NodeGroupSpec, network: Network): readonly Subnet[] {
    if (spec.kind !== 'replication') return network.privateSubnets;
    if (network.replicationSubnets.length === 0) {
      throw new Error(
        `${this.node.path}: node group ${spec.name} is of kind replication, but the network has no replication subnets (Network replicationSubnets)`,
      );
    }
    return network.replicationSubnets;
  }

  /** Whether a node group of kind `gpu` exists. */
  get hasGpuNodes(): boolean {
    return this.nodeGroups.some((g) => g.spec.kind === 'gpu');
  }
}

/**
 * `configuration_values` of the vpc-cni add-on: network policy enforcement on (the add-on schema
 * takes the string `"true"`). NetworkPolicies of the workloads stacks rely on it
 * (modules/eks/network-policies.ts, docs/compute.md "Network policies").
 */
export const VPC_CNI_CONFIGURATION = { enableNetworkPolicy: 'true' } as const;
/** First VPC CNI release with the network policy agent. */
export const VPC_CNI_NETWORK_POLICY_MIN = [1, 14] as const;

/** Why a vpc-cni add-on version cannot enforce network policies, or undefined if it can. */
export function vpcCniNetworkPolicyProblem(version: string): string | undefined {
  const m = /^v(\d+)\.(\d+)\./.exec(version);
  const [major, minor] = VPC_CNI_NETWORK_POLICY_MIN;
  if (!m) return `eks.addonVersions.vpcCni: expected a version like v1.21.1-eksbuild.3, got ${version}`;
  const [a, b] = [Number(m[1]), Number(m[2])];
  if (a > major || (a === major && b >= minor)) return undefined;
  return `eks.addonVersions.vpcCni: ${version} has no network policy agent (needs v${major}.${minor} or later); NetworkPolicies would not be enforced`;
}

/** EC2 Auto Scaling's service-linked role: it launches the nodes of every managed node group. */
export const AUTO_SCALING_SERVICE_ROLE: ServiceLinkedRole = {
  service: 'autoscaling.amazonaws.com',
  roleName: 'AWSServiceRoleForAutoScaling',
};

/**
 * Key-policy grant for the EC2 Auto Scaling service-linked role (encrypted EBS volumes of nodes).
 * The role is matched by `aws:PrincipalArn`, not named as principal: in a fresh account it does not
 * exist until the first node group creates it, and KMS refuses a policy naming a missing role
 * (`serviceLinkedRoleKeyStatement`).
 */
export function autoScalingKeyStatements(partition: string, accountId: string): PolicyStatement[] {
  const grant = (statement: Omit<PolicyStatement, 'Principal' | 'Effect'>) =>
    serviceLinkedRoleKeyStatement(partition, accountId, AUTO_SCALING_SERVICE_ROLE, statement);
  return [
    grant({
      Sid: 'AutoScalingUseForEncryptedVolumes',
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      Resource: '*',
    }),
    grant({
      Sid: 'AutoScalingGrantsForEncryptedVolumes',
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }),
  ];
}

function ebsCsiKmsStatements(keyArn: string): PolicyStatement[] {
  return [
    {
      Effect: 'Allow',
      Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
      Resource: keyArn,
      Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    },
    {
      // The driver never encrypts itself: EC2 does, for the volumes it creates (the key is regional).
      Effect: 'Allow',
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      Resource: keyArn,
      Condition: { StringLike: { 'kms:ViaService': 'ec2.*.amazonaws.com' } },
    },
  ];
}
