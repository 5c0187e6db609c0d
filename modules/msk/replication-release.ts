import { join } from 'node:path';
import { AssetType, TerraformAsset, TerraformVariable, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { setComponent } from '../common/context';
import { jsonencode } from '../common/jsonencode';
import type { KubeObject } from './kube-object';
import { renderReplicationObjects, type KafkaClusterRef, type PodPlacement } from './mirrormaker';

/** The chart (committed) whose only template prints the objects passed in as values. */
export const REPLICATION_CHART_DIR = join(__dirname, '..', '..', 'charts', 'kafka-replication');

/** An MSK cluster to replicate with, as read from its regional stack. */
export interface ReplicationPeer {
  /** Region key: the MirrorMaker 2 cluster alias. */
  readonly key: string;
  readonly bootstrapBrokersScram: string;
}

export interface MirrorMakerReleaseProps {
  /** Name of the KafkaMirrorMaker2, e.g. `mi-production-us-east-mm2`. */
  readonly name: string;
  readonly namespace: string;
  readonly username: string;
  readonly local: ReplicationPeer;
  readonly remotes: readonly ReplicationPeer[];
  readonly topicsPattern: string;
  readonly groupsPattern: string;
  readonly replicationFactor: number;
  readonly tasksPerConnector: number;
  readonly replicas: number;
  /**
   * Version of the Strimzi operator chart the cluster runs: synth fails when it does not serve the objects.
   * @default - not checked here (the deploy-readiness check still proves the synthesized objects)
   */
  readonly operatorVersion?: string;
  /** Where the MirrorMaker 2 pods run (`renderReplicationObjects`). @default - anywhere */
  readonly placement?: PodPlacement;
  /** Bump together with new passwords: write-only Secret data is only sent when this changes. */
  readonly credentialVersion: number;
  readonly helmProvider?: TerraformProvider;
  readonly kubernetesProvider?: TerraformProvider;
  /** Releases that must exist first (the Strimzi operator and the Prometheus operator, for their CRDs). */
  readonly dependsOn?: readonly Construct[];
}

/**
 * One region's MirrorMaker 2 deployment: a Kubernetes Secret per MSK cluster holding the SCRAM
 * password (write-only from an ephemeral variable: never in state), and a Helm release of the
 * local `kafka-replication` chart carrying the schema-validated Strimzi objects.
 */
export class MirrorMakerRelease extends Construct {
  readonly objects: KubeObject[];
  readonly release: Release;
  /** Ephemeral variables `msk_scram_password_<region>` the operator supplies at plan and apply. */
  readonly passwordVariables: TerraformVariable[] = [];

  constructor(scope: Construct, id: string, props: MirrorMakerReleaseProps) {
    super(scope, id);
    setComponent(this, 'kafka-replication');
    const secrets: SecretV1[] = [];
    const ref = (peer: ReplicationPeer): KafkaClusterRef => {
      const secretName = `msk-scram-${peer.key}`;
      const variable = new TerraformVariable(this, `msk_scram_password_${peer.key.replace(/-/g, '_')}`, {
        type: 'string',
        sensitive: true,
        description: `SCRAM password of ${props.username} on the ${peer.key} MSK cluster (same value as that region's msk_scram_password)`,
      });
      variable.overrideLogicalId(`msk_scram_password_${peer.key.replace(/-/g, '_')}`);
      // Ephemeral (Terraform >= 1.10): the value is in neither the plan nor the state.
      variable.addOverride('ephemeral', true);
      this.passwordVariables.push(variable);
      secrets.push(
        new SecretV1(this, `scram-${peer.key}`, {
          provider: props.kubernetesProvider,
          metadata: {
            name: secretName,
            namespace: props.namespace,
            labels: { 'app.kubernetes.io/part-of': 'kafka-replication' },
          },
          type: 'Opaque',
          dataWo: { password: variable.stringValue },
          dataWoRevision: props.credentialVersion,
        }),
      );
      return { alias: peer.key, bootstrapServers: peer.bootstrapBrokersScram, passwordSecretName: secretName };
    };

    this.objects = renderReplicationObjects({
      name: props.name,
      namespace: props.namespace,
      username: props.username,
      target: ref(props.local),
      sources: props.remotes.map(ref),
      topicsPattern: props.topicsPattern,
      groupsPattern: props.groupsPattern,
      replicationFactor: props.replicationFactor,
      tasksPerConnector: props.tasksPerConnector,
      replicas: props.replicas,
      operatorVersion: props.operatorVersion,
      placement: props.placement,
    });

    const chart = new TerraformAsset(this, 'chart', { path: REPLICATION_CHART_DIR, type: AssetType.DIRECTORY });
    this.release = new Release(this, 'release', {
      provider: props.helmProvider,
      name: 'kafka-replication',
      namespace: props.namespace,
      chart: chart.path,
      // jsonencode escapes the literal `${` and `%{` of the objects (Strimzi's `${strimzidir:...}`
      // placeholders, which Kafka Connect resolves) and keeps the brokers as references.
      values: [jsonencode({ objects: this.objects })],
      atomic: true,
      cleanupOnFail: true,
      timeout: 600,
      dependsOn: [...secrets, ...(props.dependsOn ?? [])] as never,
    });
  }
}
