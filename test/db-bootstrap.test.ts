import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import {
  DB_BOOTSTRAP_SERVICE_ACCOUNT,
  DbBootstrapAccess,
  dbBootstrapNames,
} from '../modules/aurora-global/db-bootstrap-access';
import {
  DB_BOOTSTRAP_IMAGES,
  DbBootstrapJob,
  dbBootstrapJobName,
  dbBootstrapSql,
  type DbBootstrapJobProps,
} from '../modules/aurora-global/db-bootstrap-job';
import { production } from '../src/config/environments/production';
import { applicationDbUser } from '../src/parts/workloads-data';
import { resolvePlan } from '../src/plan/resolve';
import { STACK_IDS } from '../src/plan/naming';
import { defaultSynth } from './support/shared-synth';
import { allResources, resources, type StackJson } from './support/stack-json';

type Body = Record<string, unknown>;
type Statement = { sid: string; effect: string; actions: string[]; resources: string[]; condition?: Body[] };
type Container = {
  name: string;
  image: string;
  command: string[];
  env: { name: string; value: string }[];
  security_context: Body;
  resources: Body;
};
type PodSpec = {
  service_account_name: string;
  restart_policy: string;
  security_context: Body;
  init_container: Container[];
  container: Container[];
  volume: { name: string; empty_dir: Body }[];
};

/** The trust and the permissions policy documents of a stack with one IRSA role. */
function documentsOf(stack: StackJson): { trust: Statement[]; permissions: Statement[] } {
  const docs = Object.values(stack.data?.aws_iam_policy_document ?? {}) as { statement: Statement[] }[];
  expect(docs).toHaveLength(2);
  const isTrust = (d: { statement: Statement[] }) =>
    d.statement.some((s) => s.actions.includes('sts:AssumeRoleWithWebIdentity'));
  return { trust: docs.find(isTrust)!.statement, permissions: docs.find((d) => !isTrust(d))!.statement };
}
const SECRET_ARN_REF = /^\$\{aws_secretsmanager_secret\.[^.}]+\.arn\}$/;
const podSpec = (job: Body): PodSpec => (job.spec as { template: { spec: PodSpec } }).template.spec;
const envOf = (c: Container) => Object.fromEntries(c.env.map((e) => [e.name, e.value]));

/** Every string in a JSON value with the path to it. */
function strings(value: unknown, path = ''): { path: string; value: string }[] {
  if (typeof value === 'string') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  }
  return [];
}

const jobProps: DbBootstrapJobProps = {
  namespace: 'marketintel',
  roleArn: 'arn:aws:iam::111122223333:role/mi-production-us-east-aurora-db-bootstrap',
  secretArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:mi-production-us-east-aurora-master-password-AbCdEf',
  secretRegion: 'us-east-1',
  writerEndpoint: 'mi-production-aurora.global-abc.global.rds.amazonaws.com',
  databaseName: 'marketintel',
  masterUsername: 'platform_admin',
  appUser: 'marketintel_app',
  schema: 'marketintel',
};

function synthJob(props: DbBootstrapJobProps = jobProps): { stack: StackJson; job: Body; construct: DbBootstrapJob } {
  const s = new TerraformStack(Testing.app(), 'test');
  new KubernetesProvider(s, 'kubernetes', {});
  const construct = new DbBootstrapJob(s, 'db-bootstrap', props);
  const stack = JSON.parse(Testing.synth(s)) as StackJson;
  const jobs = resources(stack, 'kubernetes_job_v1');
  expect(jobs).toHaveLength(1);
  return { stack, job: jobs[0], construct };
}

describe('dbBootstrapSql', () => {
  const sql = dbBootstrapSql(jobProps);

  test('creates the role only when it is missing, as a LOGIN role with rds_iam and no password', () => {
    const lines = sql.split('\n');
    const create = lines.findIndex((l) => l.includes('CREATE ROLE marketintel_app'));
    expect(create).toBeGreaterThan(0);
    expect(lines[create]).toMatch(/CREATE ROLE marketintel_app WITH LOGIN;$/);
    // The CREATE ROLE sits inside the guard: IF NOT EXISTS (pg_roles) ... END IF.
    const guard = lines.findIndex((l) =>
      /IF NOT EXISTS \(SELECT 1 FROM pg_catalog\.pg_roles WHERE rolname = 'marketintel_app'\)/.test(l),
    );
    const endIf = lines.findIndex((l) => l.trim() === 'END IF;');
    expect(guard).toBeGreaterThanOrEqual(0);
    expect(guard).toBeLessThan(create);
    expect(endIf).toBeGreaterThan(create);
    expect(sql.match(/CREATE ROLE/g)).toHaveLength(1);
    expect(sql).toContain('GRANT rds_iam TO marketintel_app;');
    expect(sql).not.toMatch(/PASSWORD\s+'/i);
    expect(sql).not.toMatch(/SUPERUSER|CREATEDB|CREATEROLE|BYPASSRLS|GRANT rds_superuser/);
  });

  test('every other statement is safe to repeat', () => {
    const statements = sql
      .slice(sql.lastIndexOf('$bootstrap$;') + '$bootstrap$;'.length)
      .split('\n')
      .filter((l) => l.trim() !== '');
    expect(statements).toHaveLength(10);
    for (const s of statements) {
      expect(s).toMatch(/^(GRANT |ALTER ROLE |ALTER DEFAULT PRIVILEGES |CREATE SCHEMA IF NOT EXISTS )/);
    }
  });

  test('privileges: connect to the database, use and create in the schema, default privileges of the master', () => {
    expect(sql).toContain('GRANT CONNECT ON DATABASE marketintel TO marketintel_app;');
    expect(sql).toContain('GRANT USAGE, CREATE ON SCHEMA marketintel TO marketintel_app;');
    expect(sql).toContain(
      'ALTER DEFAULT PRIVILEGES FOR ROLE platform_admin IN SCHEMA marketintel GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO marketintel_app;',
    );
    expect(sql).toContain(
      'ALTER DEFAULT PRIVILEGES FOR ROLE platform_admin IN SCHEMA marketintel GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO marketintel_app;',
    );
  });

  test.each([
    ['appUser', { appUser: 'app; DROP TABLE x' }],
    ['schema', { schema: 'Public' }],
    ['databaseName', { databaseName: '' }],
    ['masterUsername', { masterUsername: "admin'--" }],
  ])('an identifier that is not plain lowercase is refused (%s)', (prop, change) => {
    expect(() => dbBootstrapSql({ ...jobProps, ...change })).toThrow(
      new RegExp(`${prop} must be a lowercase PostgreSQL identifier`),
    );
  });
});

describe('dbBootstrapJobName', () => {
  test('same spec, same name; any change, another name', () => {
    const spec = { sql: 'a', image: 'b' };
    expect(dbBootstrapJobName(spec)).toBe(dbBootstrapJobName({ image: 'b', sql: 'a' }));
    expect(dbBootstrapJobName(spec)).toMatch(/^db-bootstrap-[0-9a-f]{10}$/);
    expect(dbBootstrapJobName({ ...spec, sql: 'a ' })).not.toBe(dbBootstrapJobName(spec));
  });

  test('a value known only at apply cannot be hashed', () => {
    const s = new TerraformStack(Testing.app(), 'test');
    const v = new TerraformVariable(s, 'v', { type: 'string' });
    expect(() => dbBootstrapJobName({ endpoint: v.stringValue })).toThrow(/endpoint is not known at synth/);
  });
});

describe('DbBootstrapJob', () => {
  const { stack, job, construct } = synthJob();
  const spec = podSpec(job);

  test('its name is a hash of what it does: unchanged props keep it, a changed script or image changes it', () => {
    const name = (job.metadata as { name: string }).name;
    expect(name).toMatch(/^db-bootstrap-[0-9a-f]{10}$/);
    expect(name).toBe(construct.name);
    expect((synthJob().job.metadata as { name: string }).name).toBe(name);
    // Apply-time values are not part of it: another endpoint or role keeps the finished Job.
    expect(synthJob({ ...jobProps, writerEndpoint: 'other.example' }).construct.name).toBe(name);
    for (const changed of [
      { appUser: 'other_app' },
      { schema: 'app' },
      { masterUsername: 'admin2' },
      { images: { ...DB_BOOTSTRAP_IMAGES, postgres: 'public.ecr.aws/docker/library/postgres:17.6' } },
      { caBundleUrl: 'https://truststore.pki.rds.amazonaws.com/us-east-1/us-east-1-bundle.pem' },
    ]) {
      expect(synthJob({ ...jobProps, ...changed }).construct.name).not.toBe(name);
    }
  });

  test('waits for completion with a timeout, never retries for long, and has no TTL', () => {
    expect(job.wait_for_completion).toBe(true);
    expect(job.timeouts).toEqual({ create: '15m', update: '15m' });
    const jobSpec = job.spec as Body;
    expect(jobSpec.backoff_limit).toBeLessThanOrEqual(3);
    expect(jobSpec.active_deadline_seconds).toBe(600);
    expect(jobSpec).not.toHaveProperty('ttl_seconds_after_finished');
    expect(spec.restart_policy).toBe('Never');
  });

  test('runs as the IRSA service account, annotated with the role', () => {
    const [sa] = resources(stack, 'kubernetes_service_account_v1');
    expect(sa.metadata).toMatchObject({
      name: DB_BOOTSTRAP_SERVICE_ACCOUNT,
      namespace: 'marketintel',
      annotations: { 'eks.amazonaws.com/role-arn': jobProps.roleArn },
    });
    expect(spec.service_account_name).toBe(DB_BOOTSTRAP_SERVICE_ACCOUNT);
  });

  test('every container is non-root, read-only, without privileges, with resources', () => {
    expect(spec.security_context).toMatchObject({ run_as_non_root: true, run_as_user: '70', fs_group: '70' });
    const containers = [...spec.init_container, ...spec.container];
    expect(containers).toHaveLength(2);
    for (const c of containers) {
      expect(c.security_context).toEqual({
        allow_privilege_escalation: false,
        read_only_root_filesystem: true,
        run_as_non_root: true,
        capabilities: { drop: ['ALL'] },
        seccomp_profile: { type: 'RuntimeDefault' },
      });
      expect(c.resources).toMatchObject({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } });
    }
  });

  test('the init container fetches the secret and the CA bundle into a memory-backed volume', () => {
    const [init] = spec.init_container;
    expect(init.image).toBe(DB_BOOTSTRAP_IMAGES.awsCli);
    expect(init.image).toMatch(/^public\.ecr\.aws\/aws-cli\/aws-cli:\d+\.\d+\.\d+$/);
    const script = init.command[2];
    expect(script).toContain('aws secretsmanager get-secret-value --secret-id "$SECRET_ARN"');
    expect(script).toContain('> /secrets/master-password');
    expect(envOf(init)).toMatchObject({
      SECRET_ARN: jobProps.secretArn,
      AWS_REGION: 'us-east-1',
      RDS_CA_BUNDLE_URL: 'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem',
    });
    const secrets = spec.volume.find((v) => v.name === 'secrets');
    expect(secrets?.empty_dir).toMatchObject({ medium: 'Memory' });
  });

  test('psql runs the SQL against the writer with verify-full, stopping at the first error', () => {
    const [main] = spec.container;
    expect(main.image).toBe(DB_BOOTSTRAP_IMAGES.postgres);
    expect(main.image).toMatch(/^public\.ecr\.aws\/docker\/library\/postgres:\d+\.\d+(-alpine)?$/);
    expect(main.command[2]).toMatch(/psql -X -v ON_ERROR_STOP=1 --single-transaction -f -$/m);
    expect(envOf(main)).toMatchObject({
      PGHOST: jobProps.writerEndpoint,
      PGPORT: '5432',
      PGDATABASE: 'marketintel',
      PGUSER: 'platform_admin',
      PGSSLMODE: 'verify-full',
      PGSSLROOTCERT: '/secrets/rds-ca.pem',
      BOOTSTRAP_SQL: dbBootstrapSql(jobProps),
    });
    // The password is read from the volume at run time, never set as a value in the spec.
    expect(main.env.map((e) => e.name)).not.toContain('PGPASSWORD');
    expect(main.command[2]).toContain('PGPASSWORD="$(cat /secrets/master-password)"');
  });
});

describe('DbBootstrapAccess', () => {
  let stack: StackJson;
  beforeAll(() => {
    const s = new TerraformStack(Testing.app(), 'test');
    new AwsProvider(s, 'aws', { region: 'us-east-1' });
    const password = new TerraformVariable(s, 'aurora_master_password', { type: 'string', sensitive: true });
    password.addOverride('ephemeral', true);
    new DbBootstrapAccess(s, 'db-bootstrap', {
      clusterName: 'mi-production-us-east-aurora',
      masterPassword: password.stringValue,
      masterPasswordVersion: 3,
      kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/regional',
      region: 'us-east-1',
      oidc: {
        providerArn: 'arn:aws:iam::111122223333:oidc-provider/oidc.example/id/X',
        issuerHost: 'oidc.example/id/X',
      },
      namespace: 'marketintel',
      partition: 'aws',
    });
    stack = JSON.parse(Testing.synth(s)) as StackJson;
  });

  test('a KMS-encrypted secret whose value is written write-only from the variable', () => {
    const [secret] = resources(stack, 'aws_secretsmanager_secret');
    expect(secret).toMatchObject({
      name: dbBootstrapNames('mi-production-us-east-aurora').secret,
      kms_key_id: 'arn:aws:kms:us-east-1:111122223333:key/regional',
    });
    const versions = resources(stack, 'aws_secretsmanager_secret_version');
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({
      secret_string_wo: '${var.aurora_master_password}',
      secret_string_wo_version: 3,
    });
    expect(versions[0]).not.toHaveProperty('secret_string');
  });

  test('the role trusts only <namespace>:db-bootstrap through the OIDC provider, audience sts', () => {
    const { trust } = documentsOf(stack);
    expect(trust).toHaveLength(1);
    expect(trust[0].condition).toEqual(
      expect.arrayContaining([
        {
          test: 'StringEquals',
          variable: 'oidc.example/id/X:sub',
          values: ['system:serviceaccount:marketintel:db-bootstrap'],
        },
        { test: 'StringEquals', variable: 'oidc.example/id/X:aud', values: ['sts.amazonaws.com'] },
      ]),
    );
  });

  test('the role reads exactly that secret and decrypts only through Secrets Manager for it', () => {
    const statements = documentsOf(stack).permissions;
    expect(statements).toHaveLength(2);
    const [read, decrypt] = statements;
    expect(read).toMatchObject({ effect: 'Allow', actions: ['secretsmanager:GetSecretValue'] });
    expect(read.resources).toHaveLength(1);
    expect(read.resources[0]).toMatch(SECRET_ARN_REF);
    expect(read.condition).toBeUndefined();
    expect(decrypt).toMatchObject({
      effect: 'Allow',
      actions: ['kms:Decrypt'],
      resources: ['arn:aws:kms:us-east-1:111122223333:key/regional'],
    });
    expect(decrypt.condition).toEqual([
      { test: 'StringEquals', variable: 'kms:ViaService', values: ['secretsmanager.us-east-1.amazonaws.com'] },
      {
        test: 'StringEquals',
        variable: 'kms:EncryptionContext:SecretARN',
        values: [read.resources[0]],
      },
    ]);
  });
});

describe('the default platform (production)', () => {
  const result = defaultSynth('production');
  const plan = resolvePlan(production);
  const primary = plan.primary.key;
  const bootstrapJobs = result.stackIds.flatMap((id) =>
    resources(result.stack(id), 'kubernetes_job_v1')
      .filter((j) => (j.metadata as { name: string }).name.startsWith('db-bootstrap-'))
      .map((job) => ({ id, job })),
  );

  test('the Job and its service account exist only in the primary region workloads stack', () => {
    expect(plan.regions.length).toBeGreaterThan(1);
    expect(bootstrapJobs.map((j) => j.id)).toEqual([STACK_IDS.workloads(primary)]);
    const accounts = result.stackIds.flatMap((id) =>
      resources(result.stack(id), 'kubernetes_service_account_v1')
        .filter((sa) => (sa.metadata as { name: string }).name === DB_BOOTSTRAP_SERVICE_ACCOUNT)
        .map(() => id),
    );
    expect(accounts).toEqual([STACK_IDS.workloads(primary)]);
  });

  test("the application's release waits for the Job in the primary region only", () => {
    const chart = production.workloads.charts.application.chart;
    for (const r of plan.regions) {
      const stack = result.stack(STACK_IDS.workloads(r.key));
      const app = Object.entries(stack.resource?.helm_release ?? {}).find(([, body]) => body.name === chart)!;
      const waits = ((app[1].depends_on as string[] | undefined) ?? []).filter((d) =>
        d.startsWith('kubernetes_job_v1.'),
      );
      if (r.key === primary) {
        const [jobName] = Object.entries(stack.resource!.kubernetes_job_v1).find(([, j]) =>
          (j.metadata as { name: string }).name.startsWith('db-bootstrap-'),
        )!;
        expect(waits).toEqual([`kubernetes_job_v1.${jobName}`]);
      } else expect(waits).toEqual([]);
    }
  });

  test('it creates the user the application logs in as, on the global writer, from the data stack secret', () => {
    const [{ job }] = bootstrapJobs;
    const spec = podSpec(job);
    const main = envOf(spec.container[0]);
    expect(main.BOOTSTRAP_SQL).toContain(`CREATE ROLE ${applicationDbUser(plan)} WITH LOGIN;`);
    expect(main.PGHOST).toMatch(/^\$\{data\.terraform_remote_state\.[^}]+\.outputs\.[^}]+\}$/);
    expect(envOf(spec.init_container[0]).SECRET_ARN).toMatch(/^\$\{data\.terraform_remote_state\.[^}]+\}$/);
  });

  test('the secret and the role exist only in the primary data stack', () => {
    const owners = result.stackIds.filter((id) =>
      resources(result.stack(id), 'aws_secretsmanager_secret').some((s) => String(s.name).endsWith('-master-password')),
    );
    expect(owners).toEqual([STACK_IDS.data(primary)]);
    const roles = result.stackIds.filter((id) =>
      resources(result.stack(id), 'aws_iam_role').some((r) => String(r.name).endsWith('-db-bootstrap')),
    );
    expect(roles).toEqual([STACK_IDS.data(primary)]);
  });

  test('the master password reaches only write-only arguments, in every stack', () => {
    const uses = result.stackIds.flatMap((id) =>
      strings(result.stack(id))
        .filter((s) => s.value.includes('var.aurora_master_password'))
        .map((s) => ({ id, path: s.path })),
    );
    // The cluster's master_password_wo and the secret's secret_string_wo, both in data-<primary>.
    expect(uses.length).toBe(2);
    for (const use of uses) {
      expect(use.id).toBe(STACK_IDS.data(primary));
      expect(use.path).toMatch(/\.(master_password_wo|secret_string_wo)$/);
    }
    const variable = result.stack(STACK_IDS.data(primary)) as StackJson & { variable: Record<string, Body> };
    expect(variable.variable.aurora_master_password).toMatchObject({ sensitive: true, ephemeral: true });
    expect(variable.variable.aurora_master_password).not.toHaveProperty('default');
    // No stack carries a readable secret value: no secret_string, no password argument.
    const readable = result.stackIds.flatMap((id) =>
      allResources(result.stack(id))
        .filter((r) => ['secret_string', 'master_password', 'password', 'auth_token'].some((k) => k in r.body))
        .map((r) => `${id}: ${r.type}.${r.name}`),
    );
    expect(readable).toEqual([]);
  });
});
