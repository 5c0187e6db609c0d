import { createHash } from 'node:crypto';
import { isPrivateCidr, parseCidr } from '../common/cidr';
import type { PeeredClients } from '../network/peered-clients';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { MskCluster } from '@cdktf/provider-aws/lib/msk-cluster';
import type * as MskClusterPolicyModule from '@cdktf/provider-aws/lib/msk-cluster-policy';
import { MskConfiguration } from '@cdktf/provider-aws/lib/msk-configuration';
import { MskSingleScramSecretAssociation } from '@cdktf/provider-aws/lib/msk-single-scram-secret-association';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretPolicy } from '@cdktf/provider-aws/lib/secretsmanager-secret-policy';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import type { MskClusterSettings } from './settings';
import { setComponent } from '../common/context';
import { PolicyDocument } from '../common/iam';
import type { RegionalKey } from '../kms/regional-key';
import { MSK_PORTS } from './ports';

/** Broker settings every cluster of the platform enforces (issue 5, seed 000). */
export const MSK_SERVER_PROPERTIES: Readonly<Record<string, string>> = {
  'default.replication.factor': '3',
  'min.insync.replicas': '2',
  'auto.create.topics.enable': 'false',
  'unclean.leader.election.enable': 'false',
  // No superuser by default: a SCRAM principal (the replication user) may do only what an explicit
  // ACL grants (modules/msk/acls.ts, applied by the ACL Job). IAM clients are authorized by IAM
  // policies, on which this setting has no effect. Brokers are MSK-configured super users.
  'allow.everyone.if.no.acl.found': 'false',
};

/**
 * Name of a cluster's MSK configuration: `<cluster>-config-<hash>`, the hash covering the Kafka
 * version and the properties. `name` and `kafka_versions` force replacement and MSK rejects a
 * second configuration of the same name (terraform-provider-aws#12724, #15795), so a content
 * change gets a new name: with create_before_destroy the new configuration exists, the cluster
 * moves to it, then the old one is deleted (it cannot be while in use, #15831).
 */
export function mskConfigurationName(clusterName: string, kafkaVersion: string, serverProperties: string): string {
  const hash = createHash('sha256').update(`${kafkaVersion}\n${serverProperties}`).digest('hex').slice(0, 8);
  return `${clusterName}-config-${hash}`;
}

/** The broker properties as MSK's server.properties text. */
export function mskServerProperties(properties: Readonly<Record<string, string>> = MSK_SERVER_PROPERTIES): string {
  return Object.entries(properties)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

/** SCRAM credential of the replication user (MirrorMaker 2 mode). */
export interface MskScramProps {
  /** SCRAM user name. */
  readonly username: string;
  /**
   * The password as a write-only value (an ephemeral Terraform variable): it reaches Secrets
   * Manager through `secret_string_wo` and is never stored in state or plan.
   */
  readonly password: string;
  /** Bump to write a new password (write-only values are only sent when this changes). */
  readonly version: number;
}

export interface MskClusterProps extends MskClusterSettings {
  /** Name prefix, e.g. `mi-production-us-east`; the cluster is `<name>-msk`. */
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** One private subnet per zone MSK spans (2 or 3); `brokerCount` must be a multiple of their number. */
  readonly subnetIds: readonly string[];
  /** Encrypts data at rest, the broker log group and the SCRAM secret. */
  readonly kmsKey: RegionalKey;
  /** Security groups of the region's Kafka clients (EKS nodes/pods): IAM port, SCRAM port, exporters. */
  readonly clientSecurityGroupIds: readonly string[];
  /**
   * The peered regions' MirrorMaker 2 subnets, whose pods pull from this cluster over SCRAM: never
   * a whole VPC or its application subnets, so only the peers' replication nodes reach the brokers.
   */
  readonly peers: readonly PeeredClients[];
  /** Turn on SASL/SCRAM (port 9096) with this credential. @default - IAM only */
  readonly scram?: MskScramProps;
  /**
   * Turn on multi-VPC private connectivity (IAM) and a cluster policy letting MSK Replicator in
   * other regions read from this cluster. @default false
   */
  readonly replicatorSource?: boolean;
}

/**
 * One region's MSK cluster: brokers spread evenly over 2-3 private subnets, EBS with storage
 * autoscaling, KMS at rest, TLS everywhere, IAM auth (plus SCRAM for MirrorMaker 2), a hardened
 * broker configuration, encrypted retained broker logs, enhanced and open monitoring, and a
 * security group admitting only the ports in use.
 */
export class MskKafkaCluster extends Construct {
  readonly cluster: MskCluster;
  readonly configuration: MskConfiguration;
  readonly securityGroup: SecurityGroup;
  readonly logGroup: CloudwatchLogGroup;
  readonly scramSecret?: SecretsmanagerSecret;
  readonly clusterName: string;

  constructor(scope: Construct, id: string, props: MskClusterProps) {
    super(scope, id);
    setComponent(this, 'msk');
    const zones = props.subnetIds.length;
    if (zones < 2 || zones > 3)
      throw new Error(`MskKafkaCluster ${props.name}: MSK spans 2 or 3 subnets, got ${zones}`);
    if (props.brokerCount % zones !== 0) {
      throw new Error(
        `MskKafkaCluster ${props.name}: brokerCount ${props.brokerCount} is not a multiple of ${zones} zones`,
      );
    }
    this.clusterName = `${props.name}-msk`;

    this.logGroup = new CloudwatchLogGroup(this, 'broker-logs', {
      name: `/aws/msk/${this.clusterName}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKey.arn,
      lifecycle: { preventDestroy: true },
    });

    this.securityGroup = new SecurityGroup(this, 'sg', {
      name: `${this.clusterName}-brokers`,
      description: `MSK brokers of ${this.clusterName}`,
      vpcId: props.vpcId,
      tags: { Name: `${this.clusterName}-brokers` },
      lifecycle: { createBeforeDestroy: true },
    });
    this.addIngress(props);
    // Brokers talk to each other (replication, ZooKeeper/KRaft) inside the group only.
    new VpcSecurityGroupEgressRule(this, 'egress-self', {
      securityGroupId: this.securityGroup.id,
      referencedSecurityGroupId: this.securityGroup.id,
      ipProtocol: '-1',
      description: 'Broker to broker',
    });

    const serverProperties = mskServerProperties();
    this.configuration = new MskConfiguration(this, 'configuration', {
      name: mskConfigurationName(this.clusterName, props.kafkaVersion, serverProperties),
      kafkaVersions: [props.kafkaVersion],
      serverProperties,
      lifecycle: { createBeforeDestroy: true },
    });

    this.cluster = new MskCluster(this, 'cluster', {
      clusterName: this.clusterName,
      kafkaVersion: props.kafkaVersion,
      numberOfBrokerNodes: props.brokerCount,
      brokerNodeGroupInfo: {
        instanceType: props.instanceType,
        clientSubnets: [...props.subnetIds],
        securityGroups: [this.securityGroup.id],
        storageInfo: { ebsStorageInfo: { volumeSize: props.volumeSizeGiB } },
        connectivityInfo: props.replicatorSource
          ? { vpcConnectivity: { clientAuthentication: { sasl: { iam: true } } } }
          : undefined,
      },
      clientAuthentication: {
        unauthenticated: false,
        sasl: { iam: true, scram: props.scram !== undefined },
      },
      encryptionInfo: {
        encryptionAtRestKmsKeyArn: props.kmsKey.arn,
        encryptionInTransit: { clientBroker: 'TLS', inCluster: true },
      },
      configurationInfo: { arn: this.configuration.arn, revision: this.configuration.latestRevision },
      // Monitoring (enhanced, open, broker logs) has one owner: this resource, whose update sends one
      // UpdateMonitoring call and waits for it before the next cluster operation (configuration,
      // version, security), refreshing current_version in between. Nothing else in any stack changes
      // the cluster's monitoring; test/msk.test.ts holds that. docs/streaming.md, "Cluster updates".
      enhancedMonitoring: props.enhancedMonitoring,
      openMonitoring: {
        prometheus: { jmxExporter: { enabledInBroker: true }, nodeExporter: { enabledInBroker: true } },
      },
      loggingInfo: {
        brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: this.logGroup.name } },
      },
      lifecycle: {
        preventDestroy: true,
        // Storage autoscaling grows volumes; Terraform must not shrink them back (it cannot anyway).
        ignoreChanges: ['broker_node_group_info[0].storage_info[0].ebs_storage_info[0].volume_size'],
      },
    });

    const storage = new AppautoscalingTarget(this, 'storage-target', {
      serviceNamespace: 'kafka',
      scalableDimension: 'kafka:broker-storage:VolumeSize',
      resourceId: this.cluster.arn,
      minCapacity: 1,
      maxCapacity: props.maxVolumeSizeGiB,
    });
    new AppautoscalingPolicy(this, 'storage-policy', {
      name: `${this.clusterName}-storage`,
      policyType: 'TargetTrackingScaling',
      serviceNamespace: storage.serviceNamespace,
      scalableDimension: storage.scalableDimension,
      resourceId: storage.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: props.storageTargetUtilizationPercent,
        // MSK cannot shrink volumes.
        disableScaleIn: true,
        predefinedMetricSpecification: { predefinedMetricType: 'KafkaBrokerStorageUtilization' },
      },
    });

    if (props.scram) this.scramSecret = this.addScram(props, props.scram);

    if (props.replicatorSource) {
      // MSK Replicator in another region reaches this cluster over multi-VPC private connectivity.
      const policy = new PolicyDocument(this, 'replicator-policy', [
        {
          Sid: 'MskReplicatorSource',
          Effect: 'Allow',
          Principal: { Service: 'kafka.amazonaws.com' },
          Action: ['kafka:CreateVpcConnection', 'kafka:GetBootstrapBrokers', 'kafka:DescribeClusterV2'],
          Resource: this.cluster.arn,
          Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
        },
      ]);
      // Loaded only in MSK Replicator mode (MirrorMaker 2 is the default).
      const { MskClusterPolicy } =
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require('@cdktf/provider-aws/lib/msk-cluster-policy') as typeof MskClusterPolicyModule;
      new MskClusterPolicy(this, 'cluster-policy', { clusterArn: this.cluster.arn, policy: policy.json });
    }
  }

  get arn(): string {
    return this.cluster.arn;
  }

  /** TLS + IAM bootstrap brokers (port 9098). */
  get bootstrapBrokersIam(): string {
    return this.cluster.bootstrapBrokersSaslIam;
  }

  /** TLS + SCRAM bootstrap brokers (port 9096); empty unless SCRAM is on. */
  get bootstrapBrokersScram(): string {
    return this.cluster.bootstrapBrokersSaslScram;
  }

  private addIngress(props: MskClusterProps): void {
    const kafkaPorts = [MSK_PORTS.iam, ...(props.scram ? [MSK_PORTS.scram] : [])];
    // Regional clients by security group only: address ranges reach the SCRAM port alone (MRP-MSK-7).
    const sources: { key: string; sg: string; what: string }[] = props.clientSecurityGroupIds.map((sg, i) => ({
      key: `client-sg-${i}`,
      sg,
      what: 'regional clients (EKS)',
    }));
    for (const s of sources) {
      for (const port of kafkaPorts) this.ingress(`${s.key}-${port}`, port, port, s, `Kafka ${port} from ${s.what}`);
    }
    // Prometheus (kube-prometheus-stack on EKS) scrapes the JMX and node exporters.
    for (const s of sources) {
      this.ingress(`${s.key}-exporters`, MSK_PORTS.jmxExporter, MSK_PORTS.nodeExporter, s, 'Open monitoring exporters');
    }
    // Peered regions' MirrorMaker 2 pods pull from this cluster with SCRAM only.
    if (props.scram) {
      for (const peer of props.peers) {
        peer.cidrs.forEach((cidr, i) => {
          const parsed = parseCidr(cidr);
          if (!parsed || !isPrivateCidr(parsed))
            throw new Error(`${this.node.path}: peers of ${peer.region}: expected a private IPv4 CIDR, got ${cidr}`);
          this.ingress(
            `peer-${peer.region}-${i}-scram`,
            MSK_PORTS.scram,
            MSK_PORTS.scram,
            { cidr },
            `MirrorMaker 2 of peered region ${peer.region} (replication subnet ${cidr})`,
          );
        });
      }
    }
    if (props.replicatorSource) {
      // MSK Replicator ENIs carry this group: IAM to the brokers and the multi-VPC connectivity ports.
      const self = { sg: this.securityGroup.id };
      this.ingress('replicator-iam', MSK_PORTS.iam, MSK_PORTS.iam, self, 'MSK Replicator (IAM)');
      this.ingress(
        'replicator-multivpc',
        MSK_PORTS.multiVpcIamFrom,
        MSK_PORTS.multiVpcIamTo,
        self,
        'MSK multi-VPC connectivity (IAM)',
      );
    }
  }

  private ingress(id: string, from: number, to: number, source: { sg?: string; cidr?: string }, description: string) {
    new VpcSecurityGroupIngressRule(this, `ingress-${id}`, {
      securityGroupId: this.securityGroup.id,
      ipProtocol: 'tcp',
      fromPort: from,
      toPort: to,
      referencedSecurityGroupId: source.sg,
      cidrIpv4: source.cidr,
      description,
    });
  }

  private addScram(props: MskClusterProps, scram: MskScramProps): SecretsmanagerSecret {
    // MSK only accepts secrets named AmazonMSK_* and encrypted with a customer-managed key.
    const secret = new SecretsmanagerSecret(this, 'scram-secret', {
      name: `AmazonMSK_${this.clusterName}-${scram.username}`,
      description: `SCRAM credential of ${scram.username} on ${this.clusterName}`,
      kmsKeyId: props.kmsKey.arn,
      recoveryWindowInDays: 30,
      lifecycle: { preventDestroy: true },
    });
    const policy = new PolicyDocument(this, 'scram-secret-policy', [
      {
        Sid: 'AWSKafkaResourcePolicy',
        Effect: 'Allow',
        Principal: { Service: 'kafka.amazonaws.com' },
        Action: 'secretsmanager:getSecretValue',
        Resource: secret.arn,
        Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
      },
    ]);
    const secretPolicy = new SecretsmanagerSecretPolicy(this, 'scram-secret-resource-policy', {
      secretArn: secret.arn,
      policy: policy.json,
    });
    const version = new SecretsmanagerSecretVersion(this, 'scram-secret-value', {
      secretId: secret.id,
      // Write-only: sent to Secrets Manager when the version changes, never stored in state.
      secretStringWo: Fn.jsonencode({ username: scram.username, password: scram.password }),
      secretStringWoVersion: scram.version,
    });
    new MskSingleScramSecretAssociation(this, 'scram-association', {
      clusterArn: this.cluster.arn,
      secretArn: secret.arn,
      // MSK reads the secret when associating it: without the value and the resource policy in place
      // first, the association fails with InvalidSecretArn ("wasn't able to access the secret").
      dependsOn: [version, secretPolicy],
    });
    return secret;
  }
}
