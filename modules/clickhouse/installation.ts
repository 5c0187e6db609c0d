import { resolve } from 'node:path';
import { AssetType, TerraformAsset, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { setComponent } from '../common/context';
import { jsonencode } from '../common/jsonencode';
import { ClickHouseBackupSchedule, clickhouseBackupSidecar } from './backup-schedule';
import { CLICKHOUSE_NAMESPACE, CLICKHOUSE_SERVICE_ACCOUNT, clickhouseBackupPrefix } from './backup-storage';

export const ALTINITY_CHART_REPOSITORY = 'https://helm.altinity.com';
/** The local chart holding the ClickHouseInstallation and its Keeper (CRs rendered by Helm, not Terraform). */
export const INSTALLATION_CHART_DIR = resolve(__dirname, '../../charts/clickhouse-installation');

/** Name of the ClickHouseInstallation and of its one cluster (the chart uses it for both). */
export const INSTALLATION_NAME = 'analytics';

export interface ClickHouseInstallationProps {
  /** Pinned version of the `altinity-clickhouse-operator` chart. */
  readonly operatorChartVersion: string;
  /** ClickHouse server image, pinned by tag. */
  readonly image: string;
  readonly shards: number;
  readonly replicas: number;
  readonly cpu: string;
  readonly memory: string;
  readonly storageGiB: number;
  /** Storage class of the data volumes. @default - the cluster default (an encrypted gp3 class) */
  readonly storageClass?: string;
  /** IRSA role of the ClickHouse pods (ClickHouseBackupStorage.podRole). */
  readonly podRoleArn: string;
  readonly backupBucketName: string;
  /** AWS region code: the bucket's region and the backup key prefix (`clickhouseBackupPrefix`). */
  readonly region: string;
  /** Cron schedule of the backups, UTC. @default - ClickHouseBackupSchedule's daily default */
  readonly backupSchedule?: string;
  /** Remote backups kept by clickhouse-backup. @default 0 - all; the bucket lifecycle expires them */
  readonly backupsToKeep?: number;
  readonly helmProvider?: TerraformProvider;
  readonly kubernetesProvider?: TerraformProvider;
}

/**
 * The Altinity operator (Helm, pinned) and one ClickHouse installation sized from config. The
 * installation is a custom resource whose CRD the operator chart installs: a `kubernetes_manifest`
 * would need the CRD at plan time, so the CRs ship in a local chart released after the operator.
 */
export class ClickHouseInstallation extends Construct {
  readonly namespace: NamespaceV1;
  readonly operator: Release;
  readonly installation: Release;
  readonly backupSchedule: ClickHouseBackupSchedule;

  constructor(scope: Construct, id: string, props: ClickHouseInstallationProps) {
    super(scope, id);
    setComponent(this, 'clickhouse');
    const provider = props.helmProvider;
    this.namespace = new NamespaceV1(this, 'namespace', {
      provider: props.kubernetesProvider,
      metadata: {
        name: CLICKHOUSE_NAMESPACE,
        labels: {
          'pod-security.kubernetes.io/enforce': 'baseline',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    });
    this.operator = new Release(this, 'operator', {
      provider,
      name: 'clickhouse-operator',
      repository: ALTINITY_CHART_REPOSITORY,
      chart: 'altinity-clickhouse-operator',
      version: props.operatorChartVersion,
      namespace: CLICKHOUSE_NAMESPACE,
      atomic: true,
      cleanupOnFail: true,
      timeout: 600,
      dependsOn: [this.namespace],
    });
    const chart = new TerraformAsset(this, 'chart', { path: INSTALLATION_CHART_DIR, type: AssetType.DIRECTORY });
    this.installation = new Release(this, 'installation', {
      provider,
      name: 'clickhouse',
      chart: chart.path,
      namespace: CLICKHOUSE_NAMESPACE,
      atomic: true,
      cleanupOnFail: true,
      timeout: 900,
      // jsonencode, not JSON.stringify: the role ARN and bucket are references (modules/common/jsonencode.ts).
      values: [
        jsonencode({
          name: INSTALLATION_NAME,
          image: props.image,
          shards: props.shards,
          replicas: props.replicas,
          cpu: props.cpu,
          memory: props.memory,
          storageGiB: props.storageGiB,
          storageClass: props.storageClass ?? '',
          serviceAccount: { name: CLICKHOUSE_SERVICE_ACCOUNT, roleArn: props.podRoleArn },
          backup: {
            bucket: props.backupBucketName,
            region: props.region,
            // Native BACKUP's disk and clickhouse-backup both write under the region's own prefix.
            prefix: clickhouseBackupPrefix(props.region),
            sidecar: clickhouseBackupSidecar({
              bucketName: props.backupBucketName,
              region: props.region,
              backupsToKeep: props.backupsToKeep ?? 0,
            }),
          },
        }),
      ],
      dependsOn: [this.operator],
    });
    this.backupSchedule = new ClickHouseBackupSchedule(this, 'backup-schedule', {
      installation: INSTALLATION_NAME,
      shards: props.shards,
      schedule: props.backupSchedule,
      kubernetesProvider: props.kubernetesProvider,
      // The sidecars it calls exist once the installation is up.
      dependsOn: [this.installation],
    });
  }
}
