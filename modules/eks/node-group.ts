import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import {
  amiTypeFor,
  architectureOf,
  GPU_PRESENT_LABEL,
  NODE_GROUP_LABEL,
  NODE_KIND_LABEL,
  taintOf,
  type NodeGroupKind,
} from './types';

/** Shape of one managed node group; the config's `NodeGroupSettings` is this type. */
export interface NodeGroupSpec {
  /** Short name, unique in the region, e.g. `general`; part of the node group and launch template names. */
  readonly name: string;
  readonly kind: NodeGroupKind;
  /** Instance types of one CPU architecture; a `gpu` group takes NVIDIA GPU families only. */
  readonly instanceTypes: readonly string[];
  readonly minSize: number;
  /** Size at creation only: afterwards the cluster autoscaler owns it (Terraform ignores drift). */
  readonly desiredSize: number;
  /** At least twice `desiredSize`: each region keeps the headroom to absorb another region's traffic. */
  readonly maxSize: number;
  /** Encrypted gp3 root volume size, GiB. */
  readonly diskSizeGiB: number;
  /** Extra Kubernetes node labels (the module adds `platform/node-kind` and `platform/node-group`). */
  readonly labels: Readonly<Record<string, string>>;
}

export interface ManagedNodeGroupProps {
  readonly cluster: EksCluster;
  /** Name of the node group and its launch template, e.g. `mi-production-us-east-general`. */
  readonly name: string;
  readonly nodeRoleArn: string;
  readonly subnetIds: readonly string[];
  /**
   * Security groups of the nodes. A launch template replaces the EKS default (the cluster security
   * group), so whatever nodes need to reach the control plane must be in these groups' rules.
   */
  readonly securityGroupIds: readonly string[];
  /** Encrypts the root volumes. */
  readonly kmsKeyArn: string;
  readonly spec: NodeGroupSpec;
  /** Must exist before nodes launch (role policies, CNI add-on). @default - none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Instance metadata hop limit 1: only processes on the node itself reach IMDS. Pods get AWS
 * credentials through IRSA and are told their region and VPC explicitly, so no pod needs IMDS,
 * and a compromised pod cannot take the node role's credentials. DaemonSets on the host network
 * (VPC CNI, EBS CSI node) are one hop away and unaffected.
 */
export const IMDS_HOP_LIMIT = 1;

/**
 * An EKS managed node group with its own launch template: IMDSv2 only, encrypted gp3 root volume
 * with the regional key, labels (and for GPU groups the NVIDIA AMI; GPU and replication groups
 * carry a NoSchedule taint).
 * Desired size is set at creation only; afterwards it belongs to the cluster autoscaler.
 */
export class ManagedNodeGroup extends Construct {
  readonly launchTemplate: LaunchTemplate;
  readonly nodeGroup: EksNodeGroup;
  readonly spec: NodeGroupSpec;

  constructor(scope: Construct, id: string, props: ManagedNodeGroupProps) {
    super(scope, id);
    const { spec, cluster } = props;
    this.spec = spec;
    const { name } = props;
    // Every type shares one architecture (config validation), so the first one decides.
    const architecture = architectureOf(spec.instanceTypes[0]);

    this.launchTemplate = new LaunchTemplate(this, 'launch-template', {
      name,
      description: `Nodes of ${name}`,
      updateDefaultVersion: true,
      vpcSecurityGroupIds: [...props.securityGroupIds],
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: IMDS_HOP_LIMIT,
        instanceMetadataTags: 'disabled',
      },
      blockDeviceMappings: [
        {
          // Root device of the Amazon Linux 2023 EKS AMIs.
          deviceName: '/dev/xvda',
          ebs: {
            volumeSize: spec.diskSizeGiB,
            volumeType: 'gp3',
            encrypted: 'true',
            kmsKeyId: props.kmsKeyArn,
            deleteOnTermination: 'true',
          },
        },
      ],
      monitoring: { enabled: true },
      tagSpecifications: ['instance', 'volume', 'network-interface'].map((resourceType) => ({
        resourceType,
        tags: { Name: name },
      })),
    });

    const labels: Record<string, string> = {
      ...spec.labels,
      [NODE_KIND_LABEL]: spec.kind,
      [NODE_GROUP_LABEL]: spec.name,
    };
    // The NVIDIA device plugin chart's default node affinity selects nodes carrying this label.
    if (spec.kind === 'gpu') labels[GPU_PRESENT_LABEL] = 'true';
    const taint = taintOf(spec.kind);
    this.nodeGroup = new EksNodeGroup(this, 'node-group', {
      clusterName: cluster.name,
      nodeGroupName: name,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: [...props.subnetIds],
      // Nodes follow the control plane's version: upgrading the cluster rolls the nodes after it.
      version: cluster.version,
      amiType: amiTypeFor(spec.kind, architecture),
      capacityType: 'ON_DEMAND',
      instanceTypes: [...spec.instanceTypes],
      labels,
      taint: taint ? [{ ...taint }] : undefined,
      scalingConfig: { minSize: spec.minSize, desiredSize: spec.desiredSize, maxSize: spec.maxSize },
      updateConfig: { maxUnavailablePercentage: 33 },
      nodeRepairConfig: { enabled: true },
      launchTemplate: { id: this.launchTemplate.id, version: `${this.launchTemplate.latestVersion}` },
      // The cluster autoscaler owns the desired size after creation.
      lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
      dependsOn: props.dependsOn,
    });
  }
}
