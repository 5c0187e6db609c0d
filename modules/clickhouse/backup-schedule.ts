import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { KubernetesCronJob } from '../common/kubernetes-jobs';
import { setComponent } from '../common/context';
import { CLICKHOUSE_NAMESPACE, clickhouseBackupPrefix } from './backup-storage';

/**
 * Altinity's clickhouse-backup, run as a sidecar of every ClickHouse server (it needs the server's
 * data directory: the project README says never to run it remotely). 2.6.39 is the default image of
 * a published chart; the REST call the schedule uses, `POST /backup/create_remote`, arrived in
 * 2.6.30 (the project's ChangeLog). Tag, not digest: no digest could be confirmed offline.
 */
export const CLICKHOUSE_BACKUP_IMAGE = 'altinity/clickhouse-backup:2.6.39';
/** The schedule's trigger: curl only (the official curl image, non-root, pinned by tag). */
export const BACKUP_TRIGGER_IMAGE = 'curlimages/curl:8.14.1';
/** Port of the sidecar's REST API (`API_LISTEN`). */
export const CLICKHOUSE_BACKUP_API_PORT = 7171;

export interface BackupSidecarProps {
  readonly bucketName: string;
  /** AWS region code of the bucket; also names the key prefix (`clickhouseBackupPrefix`). */
  readonly region: string;
  /** Remote backups the sidecar keeps; older ones it deletes. 0 keeps all (the bucket lifecycle expires them). */
  readonly backupsToKeep: number;
}

/**
 * The sidecar container of the ClickHouse pod template: the clickhouse-backup REST API, uploading
 * to the region's own prefix with the pod's IRSA credentials (the bucket encrypts with its default
 * SSE-KMS key). Full backups only: the bucket lifecycle expires objects by age, which would break
 * the chain of an incremental backup.
 */
export function clickhouseBackupSidecar(props: BackupSidecarProps) {
  const env: Record<string, string> = {
    REMOTE_STORAGE: 's3',
    S3_BUCKET: props.bucketName,
    S3_REGION: props.region,
    S3_PATH: `${clickhouseBackupPrefix(props.region)}clickhouse-backup`,
    BACKUPS_TO_KEEP_LOCAL: '-1', // -1: delete the local copy once uploaded
    BACKUPS_TO_KEEP_REMOTE: String(props.backupsToKeep),
    API_LISTEN: `0.0.0.0:${CLICKHOUSE_BACKUP_API_PORT}`,
    API_CREATE_INTEGRATION_TABLES: 'true',
    ALLOW_EMPTY_BACKUPS: 'true',
  };
  return {
    name: 'clickhouse-backup',
    image: CLICKHOUSE_BACKUP_IMAGE,
    args: ['server'],
    env: Object.entries(env).map(([name, value]) => ({ name, value })),
    ports: [{ name: 'backup-api', containerPort: CLICKHOUSE_BACKUP_API_PORT }],
    // clickhouse-backup reads the frozen parts from the server's data volume (the installation's
    // `data` volume claim template, which the operator mounts on /var/lib/clickhouse in the server).
    volumeMounts: [{ name: 'data', mountPath: '/var/lib/clickhouse' }],
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } },
  };
}

/**
 * The host of the first replica of each shard, as the Altinity operator names its per-replica
 * (headless) services: `chi-<installation>-<cluster>-<shard>-<replica>`. One replica per shard
 * holds the shard's data; the installation chart names its cluster after the installation.
 */
export function shardBackupHosts(installation: string, shards: number, namespace = CLICKHOUSE_NAMESPACE): string[] {
  if (!Number.isInteger(shards) || shards < 1) throw new Error(`expected a positive shard count, got ${shards}`);
  return Array.from({ length: shards }, (_, s) => `chi-${installation}-${installation}-${s}-0.${namespace}.svc`);
}

/**
 * The trigger script: for every shard, start `create_remote` on its sidecar, then wait until the
 * sidecar reports no operation in progress; any error fails the Job (and Kubernetes keeps it for
 * inspection). Backup names carry the shard and the UTC time, so they never collide.
 */
export function backupTriggerScript(hosts: readonly string[], port = CLICKHOUSE_BACKUP_API_PORT): string {
  return [
    'set -eu',
    'stamp=$(date -u +%Y%m%dT%H%M%SZ)',
    'shard=0',
    `for host in ${hosts.join(' ')}; do`,
    `  api="http://$host:${port}"`,
    '  curl -sSf -X POST "$api/backup/create_remote?name=shard$shard-$stamp"',
    '  while status=$(curl -sSf "$api/backup/status") && echo "$status" | grep -q \'"status":"in progress"\'; do sleep 30; done',
    '  if echo "$status" | grep -q \'"status":"error"\'; then echo "$status" >&2; exit 1; fi',
    '  shard=$((shard + 1))',
    'done',
  ].join('\n');
}

export interface ClickHouseBackupScheduleProps {
  /** The ClickHouseInstallation's name (also its cluster's name). */
  readonly installation: string;
  readonly shards: number;
  /** Cron schedule, UTC. @default '17 3 * * *' (daily) */
  readonly schedule?: string;
  readonly kubernetesProvider?: TerraformProvider;
  /** Resources the CronJob waits for (the installation release). @default - none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Scheduled backups: a CronJob that asks every shard's clickhouse-backup sidecar for a remote
 * backup. The trigger holds no credentials (no service-account token, no AWS role): the sidecars
 * upload with the ClickHouse pods' IRSA role, limited to the region's prefix.
 */
export class ClickHouseBackupSchedule extends Construct {
  readonly cronJob: KubernetesCronJob;

  constructor(scope: Construct, id: string, props: ClickHouseBackupScheduleProps) {
    super(scope, id);
    setComponent(this, 'clickhouse');
    const labels = { 'app.kubernetes.io/name': 'clickhouse-backup-schedule' };
    this.cronJob = new KubernetesCronJob(this, 'cron-job', {
      provider: props.kubernetesProvider,
      dependsOn: props.dependsOn,
      metadata: { name: 'clickhouse-backup', namespace: CLICKHOUSE_NAMESPACE, labels },
      spec: {
        schedule: props.schedule ?? '17 3 * * *',
        timezone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels },
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 6 * 3600,
            template: {
              metadata: { labels },
              spec: {
                restartPolicy: 'Never',
                automountServiceAccountToken: false,
                securityContext: { runAsNonRoot: true, runAsUser: '100', seccompProfile: { type: 'RuntimeDefault' } },
                container: [
                  {
                    name: 'trigger',
                    image: BACKUP_TRIGGER_IMAGE,
                    command: ['/bin/sh', '-c', backupTriggerScript(shardBackupHosts(props.installation, props.shards))],
                    securityContext: {
                      allowPrivilegeEscalation: false,
                      readOnlyRootFilesystem: true,
                      capabilities: { drop: ['ALL'] },
                    },
                    resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
                  },
                ],
              },
            },
          },
        },
      },
    });
  }
}
