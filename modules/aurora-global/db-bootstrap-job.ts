import { createHash } from 'node:crypto';
import { Token, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { KubernetesJob } from '../common/kubernetes-jobs';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { setComponent } from '../common/context';
import { restrictedContainer } from '../common/pod-security';
import { DB_BOOTSTRAP_SERVICE_ACCOUNT } from './db-bootstrap-access';

/**
 * Images of the Job, pinned by tag (no digest could be confirmed offline; the MSK ACL Job does the
 * same). Both tags were seen pinned in public material: the AWS CLI tag in a backup-verifier
 * Dockerfile contract check (pinned there with its digest), the PostgreSQL tag in a script that pins
 * the newest image per PostgreSQL family (17.11 also appears as `17.11-bookworm` with a digest
 * elsewhere). psql 17 talks to Aurora PostgreSQL 13-17 servers.
 */
export const DB_BOOTSTRAP_IMAGES = {
  awsCli: 'public.ecr.aws/aws-cli/aws-cli:2.31.23',
  postgres: 'public.ecr.aws/docker/library/postgres:17.11-alpine',
} as const;

/**
 * The RDS CA bundle of every region (the regional bundles are subsets): the writer endpoint follows the
 * primary to another region at switchover, so a regional bundle would stop verifying it there.
 */
export const RDS_GLOBAL_CA_BUNDLE_URL = 'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem';

/** uid/gid 70 is `postgres` in the alpine PostgreSQL image; the AWS CLI runs as any uid with HOME set. */
const RUN_AS = '70';
const PG_IDENTIFIER_RE = /^[a-z][a-z0-9_]{0,62}$/;

export interface DbBootstrapSqlProps {
  readonly databaseName: string;
  /** The master user: owner of the schema and the role whose new objects default-grant to the application. */
  readonly masterUsername: string;
  /** The application's database user, authenticated with IAM (`rds_iam`). */
  readonly appUser: string;
  /** Schema the application uses. */
  readonly schema: string;
}

/**
 * The bootstrap SQL. Every statement is idempotent, so a re-run (a new Job, or a retried pod) on a
 * database it already ran on changes nothing: the role is created only when missing (a concurrent
 * creator's duplicate_object is swallowed), `GRANT` of something held is a notice, `IF NOT EXISTS`
 * guards the schema, and default privileges and settings are replaced with the same values.
 */
export function dbBootstrapSql(props: DbBootstrapSqlProps): string {
  const { databaseName: db, masterUsername: master, appUser: app, schema } = props;
  for (const [prop, value] of Object.entries({ databaseName: db, masterUsername: master, appUser: app, schema })) {
    if (!PG_IDENTIFIER_RE.test(value)) {
      throw new Error(
        `dbBootstrapSql: ${prop} must be a lowercase PostgreSQL identifier, got ${JSON.stringify(value)}`,
      );
    }
  }
  return [
    'DO $bootstrap$',
    'BEGIN',
    `  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = '${app}') THEN`,
    `    CREATE ROLE ${app} WITH LOGIN;`,
    '  END IF;',
    'EXCEPTION WHEN duplicate_object THEN',
    '  NULL;',
    'END',
    '$bootstrap$;',
    // Repairs a role that exists without LOGIN; no password: rds_iam makes IAM its only way in.
    `ALTER ROLE ${app} WITH LOGIN;`,
    `GRANT rds_iam TO ${app};`,
    `GRANT CONNECT ON DATABASE ${db} TO ${app};`,
    `CREATE SCHEMA IF NOT EXISTS ${schema} AUTHORIZATION ${master};`,
    `GRANT USAGE, CREATE ON SCHEMA ${schema} TO ${app};`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${app};`,
    `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${app};`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${master} IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app};`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${master} IN SCHEMA ${schema} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${app};`,
    `ALTER ROLE ${app} IN DATABASE ${db} SET search_path = ${schema}, public;`,
  ].join('\n');
}

/** Init container: the master password and the RDS CA bundle into the memory-backed volume. */
const FETCH_SCRIPT = [
  'set -eu',
  'umask 077',
  'aws secretsmanager get-secret-value --secret-id "$SECRET_ARN" --query SecretString --output text > /secrets/master-password',
  'curl -fsS --retry 5 -o /secrets/rds-ca.pem "$RDS_CA_BUNDLE_URL"',
  'grep -q "BEGIN CERTIFICATE" /secrets/rds-ca.pem',
].join('\n');

/** Main container: the SQL as the master user, one transaction, stopping at the first error. */
const RUN_SCRIPT = [
  'set -eu',
  'PGPASSWORD="$(cat /secrets/master-password)"',
  'export PGPASSWORD',
  'printf "%s\\n" "$BOOTSTRAP_SQL" | psql -X -v ON_ERROR_STOP=1 --single-transaction -f -',
].join('\n');

export interface DbBootstrapJobProps extends DbBootstrapSqlProps {
  /** Namespace of the Job and its service account (the application namespace). */
  readonly namespace: string;
  /** IRSA role allowed to read the master secret (`DbBootstrapAccess`). */
  readonly roleArn: string;
  readonly secretArn: string;
  /** AWS region code of the secret. */
  readonly secretRegion: string;
  /** The global cluster's writer endpoint: DDL goes to the writer wherever it is. */
  readonly writerEndpoint: string;
  /** @default 5432 */
  readonly port?: number;
  /** @default DB_BOOTSTRAP_IMAGES */
  readonly images?: { readonly awsCli: string; readonly postgres: string };
  /** @default RDS_GLOBAL_CA_BUNDLE_URL */
  readonly caBundleUrl?: string;
  readonly kubernetesProvider?: TerraformProvider;
  /** What must exist first (the namespace). @default - none */
  readonly dependsOn?: readonly Construct[];
}

/**
 * The Job's name: `db-bootstrap-<10 hex>` of a hash, taken at synth, of everything the Job does that
 * configuration decides (SQL with its user, database and schema names, scripts, images, CA bundle).
 * A change makes a new Job, which Terraform creates and waits for; an unchanged apply leaves the
 * finished Job alone. Values known only at apply (endpoint, ARNs) are not hashed: they would make
 * the name unknown while planning, and a new endpoint alone needs no re-run.
 */
export function dbBootstrapJobName(spec: Readonly<Record<string, string>>): string {
  for (const [key, value] of Object.entries(spec)) {
    if (Token.isUnresolved(value)) throw new Error(`dbBootstrapJobName: ${key} is not known at synth`);
  }
  const canonical = JSON.stringify(Object.entries(spec).sort(([a], [b]) => a.localeCompare(b)));
  return `db-bootstrap-${createHash('sha256').update(canonical).digest('hex').slice(0, 10)}`;
}

/**
 * A Kubernetes Job that creates the application's IAM-authenticated database user with the privileges
 * it needs (docs/data.md, "Database bootstrap"). An init container (AWS CLI, IRSA) copies the master
 * password and the RDS CA bundle into a memory-backed volume; the main container (psql) runs
 * `dbBootstrapSql` against the global writer endpoint with `sslmode=verify-full`. No TTL: the
 * kubernetes provider re-creates a Job the TTL controller deleted, which would re-run it on every
 * apply. The secret value never appears in the Job spec, Terraform configuration or state.
 */
export class DbBootstrapJob extends Construct {
  readonly serviceAccount: ServiceAccountV1;
  readonly job: KubernetesJob;
  readonly sql: string;
  readonly name: string;

  constructor(scope: Construct, id: string, props: DbBootstrapJobProps) {
    super(scope, id);
    setComponent(this, 'aurora');
    const images = props.images ?? DB_BOOTSTRAP_IMAGES;
    const caBundleUrl = props.caBundleUrl ?? RDS_GLOBAL_CA_BUNDLE_URL;
    this.sql = dbBootstrapSql(props);
    this.name = dbBootstrapJobName({
      sql: this.sql,
      fetchScript: FETCH_SCRIPT,
      runScript: RUN_SCRIPT,
      awsCliImage: images.awsCli,
      postgresImage: images.postgres,
      caBundleUrl,
      masterUsername: props.masterUsername,
      appUser: props.appUser,
      databaseName: props.databaseName,
    });
    const labels = { 'app.kubernetes.io/name': 'db-bootstrap', 'app.kubernetes.io/part-of': 'data' };

    this.serviceAccount = new ServiceAccountV1(this, 'sa', {
      provider: props.kubernetesProvider,
      metadata: {
        name: DB_BOOTSTRAP_SERVICE_ACCOUNT,
        namespace: props.namespace,
        labels,
        annotations: { 'eks.amazonaws.com/role-arn': props.roleArn },
      },
      dependsOn: props.dependsOn as never,
    });

    const securityContext = restrictedContainer();
    const resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } };
    const mounts = [
      { name: 'secrets', mountPath: '/secrets' },
      { name: 'tmp', mountPath: '/tmp' },
    ];

    this.job = new KubernetesJob(this, 'job', {
      provider: props.kubernetesProvider,
      metadata: { name: this.name, namespace: props.namespace, labels },
      spec: {
        backoffLimit: 3,
        activeDeadlineSeconds: 600,
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: DB_BOOTSTRAP_SERVICE_ACCOUNT,
            restartPolicy: 'Never',
            securityContext: {
              runAsNonRoot: true,
              runAsUser: RUN_AS,
              runAsGroup: RUN_AS,
              fsGroup: RUN_AS,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            initContainer: [
              {
                name: 'fetch-credentials',
                image: images.awsCli,
                command: ['/bin/sh', '-c', FETCH_SCRIPT],
                env: [
                  { name: 'SECRET_ARN', value: props.secretArn },
                  { name: 'AWS_REGION', value: props.secretRegion },
                  { name: 'RDS_CA_BUNDLE_URL', value: caBundleUrl },
                  { name: 'HOME', value: '/tmp' },
                ],
                securityContext,
                volumeMount: mounts,
                resources,
              },
            ],
            container: [
              {
                name: 'bootstrap',
                image: images.postgres,
                command: ['/bin/sh', '-c', RUN_SCRIPT],
                env: [
                  { name: 'PGHOST', value: props.writerEndpoint },
                  { name: 'PGPORT', value: String(props.port ?? 5432) },
                  { name: 'PGDATABASE', value: props.databaseName },
                  { name: 'PGUSER', value: props.masterUsername },
                  { name: 'PGSSLMODE', value: 'verify-full' },
                  { name: 'PGSSLROOTCERT', value: '/secrets/rds-ca.pem' },
                  { name: 'PGCONNECT_TIMEOUT', value: '10' },
                  { name: 'PGAPPNAME', value: 'db-bootstrap' },
                  { name: 'HOME', value: '/tmp' },
                  { name: 'BOOTSTRAP_SQL', value: this.sql },
                ],
                securityContext,
                volumeMount: mounts,
                resources,
              },
            ],
            volume: [
              // Memory-backed: the password never touches the node's disk.
              { name: 'secrets', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
              { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
            ],
          },
        },
      },
      waitForCompletion: true,
      timeouts: { create: '15m', update: '15m' },
      dependsOn: [this.serviceAccount] as never,
    });
  }
}
