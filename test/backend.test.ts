import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../src/config/errors';
import { resolvePlan } from '../src/plan/resolve';
import { production } from '../src/config/environments/production';
import type { PlatformConfig } from '../src/config/types';
import { STACK_IDS } from '../src/plan/naming';
import { checkReadiness } from '../src/readiness';
import type { TerraformJson } from '../src/readiness/types';
import { defaultSynth } from './support/shared-synth';
import { synthOnce, synthPlatform, type StackJson, type SynthOutput } from './support/synth';
import { TERRAFORM_CLOUD, terraformCloudConfig, type Mutable } from './support/config';

const CLOUD = TERRAFORM_CLOUD;
const cloudConfig = terraformCloudConfig;

type RemoteState = { backend: string; config: Record<string, unknown> };

function remoteStates(stack: StackJson): [string, RemoteState][] {
  return Object.entries((stack.data?.terraform_remote_state ?? {}) as Record<string, RemoteState>);
}

/** Stacks that keep remote state (all but the bootstrap stack, which starts on local state). */
function remoteStacks(synth: SynthOutput): string[] {
  return synth.stackIds.filter((id) => id !== STACK_IDS.bootstrap);
}

describe('S3 backend (state.mode = s3)', () => {
  // The README's `npm run synth` of production (shared by the run).
  let synth: SynthOutput;
  beforeAll(() => {
    synth = defaultSynth('production');
  });

  test('every stack but the bootstrap keeps its state under its own key, locked and encrypted', () => {
    const stacks = remoteStacks(synth);
    expect(stacks.length).toBeGreaterThan(1);
    for (const id of stacks) {
      const terraform = synth.stack(id).terraform as StackJson['terraform'] & { cloud?: unknown };
      expect(terraform.cloud).toBeUndefined();
      expect(terraform.backend?.s3).toEqual(
        expect.objectContaining({
          bucket: production.state.bucket,
          key: `production/${id}.tfstate`,
          encrypt: true,
          kms_key_id: production.state.kmsKeyAlias,
          use_lockfile: true,
        }),
      );
    }
  });

  test('cross-stack references read the S3 state of the producing stack', () => {
    const reads = remoteStates(synth.stack(STACK_IDS.global));
    expect(reads.length).toBeGreaterThan(0);
    for (const [, read] of reads) {
      expect(read.backend).toBe('s3');
      expect(read.config).toEqual(expect.objectContaining({ bucket: production.state.bucket }));
    }
  });
});

describe('Terraform Cloud (state.mode = terraform-cloud)', () => {
  let synth: SynthOutput;
  beforeAll(() => {
    synth = synthOnce(cloudConfig());
  });

  // Readers name the producer's workspace, not a state key: the readiness check follows those
  // references too, so a Terraform Cloud synth is judged (and passes) like an S3 one.
  test('the synth is deploy-ready: every data path is followed through the remote backend', async () => {
    const plan = resolvePlan(cloudConfig());
    const stacks = Object.fromEntries(synth.stackIds.map((id) => [id, synth.stack(id) as TerraformJson]));
    const { findings, proven } = await checkReadiness({ plan, stacks });
    expect(findings.map((f) => `[${f.check}] ${f.subject}: ${f.problem}`)).toEqual([]);
    expect(proven.filter((p) => p.check === 'path')).toHaveLength(plan.dataPaths.length);
  });

  test('every stack but the bootstrap gets a cloud block naming its own workspace and no S3 backend', () => {
    const stacks = remoteStacks(synth);
    expect(stacks.length).toBeGreaterThan(1);
    for (const id of stacks) {
      const terraform = synth.stack(id).terraform as StackJson['terraform'] & { cloud?: unknown };
      expect(terraform.backend).toBeUndefined();
      expect(terraform.cloud).toEqual({
        organization: CLOUD.organization,
        hostname: CLOUD.hostname,
        workspaces: { name: `mi-production-${id}`, project: CLOUD.project },
      });
    }
  });

  test('workspace names are unique across stacks', () => {
    const names = remoteStacks(synth).map(
      (id) =>
        (synth.stack(id).terraform as unknown as { cloud: { workspaces: { name: string } } }).cloud.workspaces.name,
    );
    expect(new Set(names).size).toBe(names.length);
  });

  test('the bootstrap stack stays on local state, at a path relative to its stack folder', () => {
    const terraform = synth.stack(STACK_IDS.bootstrap).terraform as StackJson['terraform'] & { cloud?: unknown };
    expect(terraform.backend).toEqual({ local: { path: '../../../terraform.state-bootstrap.tfstate' } });
    expect(terraform.cloud).toBeUndefined();
  });

  test('cross-stack references read the producing stack workspace through the remote backend', () => {
    const workspaces = new Set(remoteStacks(synth).map((id) => `mi-production-${id}`));
    const reads = remoteStates(synth.stack(STACK_IDS.global));
    expect(reads.length).toBeGreaterThan(0);
    for (const [name, read] of reads) {
      const source = name.replace(/^cross-stack-reference-input-/, '');
      expect(read).toEqual({
        backend: 'remote',
        config: {
          hostname: CLOUD.hostname,
          organization: CLOUD.organization,
          workspaces: { name: `mi-production-${source}` },
        },
      });
      expect(workspaces.has(`mi-production-${source}`)).toBe(true);
    }
  });

  test('the stack metadata records the cloud backend', () => {
    const meta = (synth.stack(STACK_IDS.global) as unknown as { '//': { metadata: Record<string, unknown> } })['//']
      .metadata;
    expect(meta).toEqual(expect.objectContaining({ backend: 'cloud', cloud: 'tfc' }));
  });
});

describe('Terraform Cloud in HCL output', () => {
  test('the cloud block keeps the workspace project (cdktf 0.21 drops it unless the stack adds it back)', () => {
    const synth = synthPlatform(cloudConfig(), { hclOutput: true });
    const hcl = readFileSync(join(synth.outdir, 'stacks', STACK_IDS.global, 'cdk.tf'), 'utf8');
    const cloud = /cloud \{[\s\S]*?workspaces \{([\s\S]*?)\}/.exec(hcl);
    expect(cloud?.[1]).toMatch(/name = "mi-production-global"/);
    expect(cloud?.[1]).toMatch(/project = "market intelligence"/);
    expect(hcl).not.toMatch(/backend "s3"/);
  });
});

describe('validation of the state mode', () => {
  /** Only the problems under `state` and `environment`, so unrelated sections do not interfere. */
  function stateIssues(config: PlatformConfig): ConfigError['issues'] {
    try {
      resolvePlan(config);
    } catch (error) {
      if (error instanceof ConfigError) return error.issues.filter((i) => i.path.startsWith('state'));
      throw error;
    }
    return [];
  }

  test('both modes are accepted with their settings', () => {
    expect(stateIssues(production)).toEqual([]);
    expect(stateIssues(cloudConfig())).toEqual([]);
    expect(
      stateIssues(cloudConfig((c) => (c.state.terraformCloud = { ...CLOUD, hostname: 'tfe.example.org:8443' }))),
    ).toEqual([]);
  });

  test('s3 mode needs no terraformCloud settings', () => {
    expect(stateIssues(cloudConfig((c) => ((c.state.mode = 's3'), delete c.state.terraformCloud)))).toEqual([]);
  });

  test.each<[string, (c: Mutable<PlatformConfig>) => void, RegExp]>([
    [
      'an unknown mode',
      (c) => ((c.state as { mode: string }).mode = 'gcs'),
      /state\.mode: got "gcs"; expected one of s3, terraform-cloud/,
    ],
    [
      'cloud mode without settings',
      (c) => delete c.state.terraformCloud,
      /state\.terraformCloud: got nothing; expected \{ organization, project, hostname \} when state\.mode is "terraform-cloud"/,
    ],
    [
      'an organization with a space',
      (c) => (c.state.terraformCloud = { ...CLOUD, organization: 'acme infra' }),
      /state\.terraformCloud\.organization: got "acme infra"; expected a Terraform Cloud organization name/,
    ],
    [
      'an empty project',
      (c) => (c.state.terraformCloud = { ...CLOUD, project: '' }),
      /state\.terraformCloud\.project: got ""; expected a Terraform Cloud project name/,
    ],
    [
      'a project with a trailing space',
      (c) => (c.state.terraformCloud = { ...CLOUD, project: 'platform ' }),
      /state\.terraformCloud\.project: got "platform "; .*no leading or trailing space/,
    ],
    [
      'a hostname with a scheme',
      (c) => (c.state.terraformCloud = { ...CLOUD, hostname: 'https://app.terraform.io' }),
      /state\.terraformCloud\.hostname: got "https:\/\/app\.terraform\.io"; expected a host name without scheme or path/,
    ],
    [
      'a hostname with a path',
      (c) => (c.state.terraformCloud = { ...CLOUD, hostname: 'app.terraform.io/acme' }),
      /state\.terraformCloud\.hostname: got "app\.terraform\.io\/acme"/,
    ],
  ])('%s is refused', (_name, change, message) => {
    const issues = stateIssues(cloudConfig(change));
    expect(issues).toHaveLength(1);
    expect(() => {
      throw new ConfigError(issues);
    }).toThrow(message);
  });

  test('all problems of the cloud settings are reported together', () => {
    const issues = stateIssues(
      cloudConfig((c) => {
        c.state.terraformCloud = { organization: '', project: '', hostname: '' };
      }),
    );
    expect(issues.map((i) => i.path)).toEqual([
      'state.terraformCloud.organization',
      'state.terraformCloud.project',
      'state.terraformCloud.hostname',
    ]);
  });
});
