// The light kubernetes_job_v1 / kubernetes_cron_job_v1 classes (modules/common/kubernetes-jobs.ts)
// write what the generated bindings write: for the platform's three jobs and for crafted
// configurations, each light resource gets a generated twin in the same stack (so references
// resolve alike), and both bodies are compared in JSON and in HCL.
import { Fn, TerraformStack, Testing } from 'cdktf';
import type { IConstruct } from 'constructs';
import { CronJobV1, type CronJobV1Config } from '@cdktf/provider-kubernetes/lib/cron-job-v1';
import { JobV1, type JobV1Config } from '@cdktf/provider-kubernetes/lib/job-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { DbBootstrapJob } from '../modules/aurora-global/db-bootstrap-job';
import { ClickHouseBackupSchedule } from '../modules/clickhouse/backup-schedule';
import { KubernetesCronJob, KubernetesJob, toTerraformJson } from '../modules/common/kubernetes-jobs';
import { MskAclJob, strimziKafkaImage } from '../modules/msk/acl-job';
import { MSK_ACL_ADMIN_SERVICE_ACCOUNT } from '../modules/msk/acl-admin-role';
import { mirrorMakerAcls } from '../modules/msk/acls';

type Json = Record<string, Record<string, Record<string, Record<string, unknown>>>>;

/**
 * Builds `build` into a stack, adds a generated twin of every light job, and returns each pair's
 * JSON bodies and HCL blocks (names replaced, metadata and depends_on dropped).
 */
function pairs(build: (stack: TerraformStack) => void) {
  const stack = new TerraformStack(Testing.app(), 'test');
  new KubernetesProvider(stack, 'kubernetes', {});
  build(stack);
  const light = stack.node
    .findAll()
    .filter((c: IConstruct): c is KubernetesJob | KubernetesCronJob =>
      [KubernetesJob, KubernetesCronJob].some((k) => c instanceof k),
    );
  light.forEach((job, i) => {
    const config = { ...job.jobConfig, dependsOn: undefined };
    if (job instanceof KubernetesJob) new JobV1(stack, `twin-${i}`, config as JobV1Config);
    else new CronJobV1(stack, `twin-${i}`, config as CronJobV1Config);
  });
  const json = JSON.parse(Testing.synth(stack)) as { resource: Json[string] };
  const body = (type: string, name: string) => {
    const rest = { ...json.resource[type][name] };
    delete rest['//'];
    delete rest.depends_on;
    return rest;
  };
  const hcl = (stack.toHclTerraform() as { hcl: string }).hcl;
  const block = (type: string, name: string) => {
    // cdktf writes HCL without indentation: a resource ends where the next top-level block starts.
    const start = hcl.indexOf(`resource "${type}" "${name}" {`);
    expect(start).toBeGreaterThanOrEqual(0);
    const next = [...hcl.slice(start + 1).matchAll(/\n(resource|data|provider|output|terraform|variable|locals) /g)];
    const end = next.length > 0 ? start + 1 + next[0].index : hcl.length;
    return hcl
      .slice(start, end)
      .replace(`"${name}"`, '"NAME"')
      .split('\n')
      .filter((line) => !/^depends_on = \[|^"?[a-z0-9_]+\.[\w-]+"?,?$|^\]$/.test(line))
      .join('\n');
  };
  return light.map((job, i) => ({
    type: job.terraformResourceType,
    json: [body(job.terraformResourceType, job.friendlyUniqueId), body(job.terraformResourceType, `twin-${i}`)],
    hcl: [block(job.terraformResourceType, job.friendlyUniqueId), block(job.terraformResourceType, `twin-${i}`)],
  }));
}

function expectTwins(found: ReturnType<typeof pairs>, types: string[]) {
  expect(found.map((p) => p.type)).toEqual(types);
  for (const p of found) {
    expect(p.json[0]).toEqual(p.json[1]);
    expect(JSON.stringify(p.json[0])).toBe(JSON.stringify(p.json[1]));
    expect(p.hcl[0].length).toBeGreaterThan(100);
    expect(p.hcl[0]).toBe(p.hcl[1]);
  }
}

describe('light kubernetes jobs write what the generated bindings write', () => {
  test('the Aurora bootstrap job', () => {
    expectTwins(
      pairs((s) => {
        new DbBootstrapJob(s, 'db-bootstrap', {
          namespace: 'marketintel',
          roleArn: 'arn:aws:iam::111122223333:role/mi-production-us-east-aurora-db-bootstrap',
          secretArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:mi-aurora-master-AbCdEf',
          secretRegion: 'us-east-1',
          writerEndpoint: 'mi-production-aurora.global-abc.global.rds.amazonaws.com',
          databaseName: 'marketintel',
          masterUsername: 'platform_admin',
          appUser: 'marketintel_app',
          schema: 'marketintel',
        });
      }),
      ['kubernetes_job_v1'],
    );
  });

  test("MirrorMaker 2's MSK ACL job", () => {
    expectTwins(
      pairs((s) => {
        new MskAclJob(s, 'acls', {
          name: 'msk-acls',
          namespace: 'kafka',
          serviceAccountName: MSK_ACL_ADMIN_SERVICE_ACCOUNT,
          adminRoleArn: 'arn:aws:iam::111111111111:role/mi-production-eu-west-msk-acl-admin',
          bootstrapBrokersIam: 'b-1.x.kafka.eu-west-1.amazonaws.com:9098',
          principal: 'User:mirrormaker',
          acls: mirrorMakerAcls({
            principal: 'User:mirrormaker',
            localAlias: 'eu-west',
            peerAliases: ['us-east', 'apac'],
            mirrorMakerName: 'mi-eu-west-mm2',
            topicsPattern: 'genai-demo\\.production\\..*',
            groupsPattern: '.*',
          }),
          image: strimziKafkaImage('1.0.1'),
        });
      }),
      ['kubernetes_job_v1'],
    );
  });

  test('the ClickHouse backup CronJob', () => {
    expectTwins(
      pairs((s) => {
        new ClickHouseBackupSchedule(s, 'backup-schedule', { installation: 'analytics', shards: 2 });
      }),
      ['kubernetes_cron_job_v1'],
    );
  });

  test('crafted: maps keep their keys, tokens, numbers, booleans, lists of strings and blocks, timeouts', () => {
    const spec: JobV1Config['spec'] = {
      backoffLimit: 0,
      ttlSecondsAfterFinished: '60',
      template: {
        metadata: { annotations: { 'example.com/Mixed-Case': 'yes' } },
        spec: {
          nodeSelector: { 'kubernetes.io/os': 'linux', 'topology.kubernetes.io/zoneName': 'a' },
          automountServiceAccountToken: false,
          container: [
            {
              name: 'a',
              image: 'busybox:1.37',
              args: ['--x', Fn.upper('y')],
              env: [{ name: 'MULTI', value: 'line one\nline "two"' }],
              resources: { limits: { 'nvidia.com/gpu': '1' }, requests: { cpu: '10m' } },
              securityContext: { capabilities: { drop: ['ALL'], add: [] }, readOnlyRootFilesystem: true },
            },
            { name: 'b', image: 'busybox:1.37' },
          ],
          volume: [{ name: 'v', emptyDir: { medium: 'Memory' } }],
        },
      },
    };
    expectTwins(
      pairs((s) => {
        new KubernetesJob(s, 'job', {
          metadata: { name: 'x', labels: { 'app.kubernetes.io/name': 'x', camelCaseKey: 'kept' } },
          spec,
          waitForCompletion: false,
          timeouts: { create: '5m' },
        });
        new KubernetesCronJob(s, 'cron', {
          metadata: { generateName: 'y-' },
          spec: {
            schedule: '0 3 * * *',
            suspend: true,
            jobTemplate: { metadata: {}, spec },
          },
        });
      }),
      ['kubernetes_job_v1', 'kubernetes_cron_job_v1'],
    );
  });
});

describe('toTerraformJson', () => {
  test('snake_case keys outside string maps; nothing else changes', () => {
    expect(
      toTerraformJson({
        runAsNonRoot: true,
        labels: { camelCase: 'v', 'a.b/c': 'w' },
        volumeMount: [{ mountPath: '/x', readOnly: false }],
        skipped: undefined,
        count: 0,
        nothing: null,
      }),
    ).toEqual({
      run_as_non_root: true,
      labels: { camelCase: 'v', 'a.b/c': 'w' },
      volume_mount: [{ mount_path: '/x', read_only: false }],
      count: 0,
      nothing: null,
    });
  });

  test('a key that is no schema field name, outside a known map, is refused with its path', () => {
    expect(() => toTerraformJson({ template: { spec: { overhead: { 'example.com/x': '1' } } } })).toThrow(
      'kubernetes job config .template.spec.overhead: "example.com/x" is not a schema field name',
    );
  });
});
