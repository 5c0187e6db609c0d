import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cloudtrail } from '@cdktf/provider-aws/lib/cloudtrail';
import { runCommand } from '../src/cli/command';
import { production } from '../src/config/environments/production';
import { resolvePlan } from '../src/plan/resolve';
import { ReadinessError } from '../src/readiness';
import { reportCommand } from '../src/report';
import { synthesizePlatform } from '../src/synth';
import type * as AppModule from '../src/app';
import { defaultSynth } from './support/shared-synth';
import { tempDir } from './support/synth';

/**
 * The deploy-readiness check at synth (src/synth.ts) and in `npm run report`. Each check has its own
 * suite with planted defects (readiness-paths, -iam, -kubernetes); here: a finding stops the synth
 * the way a configuration error does, and the report lists what the check proves.
 */

// The synth path (main.ts -> synthesizePlatform) with one planted defect: the trail renamed, so the
// name the audit tooling looks up no longer exists.
let plantDefect = false;
jest.mock('../src/app', () => {
  const actual = jest.requireActual<typeof AppModule>('../src/app');
  return {
    ...actual,
    buildPlatform: (...args: Parameters<typeof actual.buildPlatform>) => {
      const platform = actual.buildPlatform(...args);
      if (plantDefect) {
        const trail = platform.app.node.findAll().find((c): c is Cloudtrail => c instanceof Cloudtrail)!;
        trail.addOverride('name', 'renamed-trail');
      }
      return platform;
    },
  };
});

test('a readiness finding fails the synth, names the defect and leaves cdktf.out untouched', async () => {
  const outdir = join(tempDir('readiness-cli'), 'cdktf.out');
  mkdirSync(outdir);
  writeFileSync(join(outdir, 'manifest.json'), '{"previous":true}');
  plantDefect = true;
  const plan = resolvePlan(production);
  const failure = await synthesizePlatform(plan, { outdir, hclOutput: false }).then(
    () => undefined,
    (error: unknown) => error,
  );
  plantDefect = false;
  expect(failure).toBeInstanceOf(ReadinessError);
  const message = (failure as ReadinessError).message;
  expect(message).toMatch(/^Deploy-readiness check failed \(1 problem\); nothing was written:\n/);
  expect(message).toContain(
    `  - [identifier] audit: trail ${plan.names.trail}: no aws_cloudtrail has name = "${plan.names.trail}" in any stack`,
  );
  expect(readdirSync(outdir)).toEqual(['manifest.json']);
  expect(readFileSync(join(outdir, 'manifest.json'), 'utf8')).toBe('{"previous":true}');
});

describe('npm run report: the readiness of a synthesized output', () => {
  const report = async (argv: string[]) => {
    let stdout = '';
    const code = await runCommand(reportCommand, argv, {
      env: { PLATFORM_ENV: 'production' },
      stdout: (t) => (stdout += t),
      stderr: () => undefined,
    });
    return { code, stdout };
  };

  test('--json lists every proven path of the plan and no finding', async () => {
    const { outdir } = defaultSynth('production');
    const { code, stdout } = await report(['--json', '--outdir', outdir]);
    expect(code).toBe(0);
    const readiness = (JSON.parse(stdout) as { readiness: { proven: { check: string; subject: string }[] } })
      .readiness as { outdir: string; proven: { check: string; subject: string }[]; findings: unknown[] };
    expect(readiness.outdir).toBe(outdir);
    expect(readiness.findings).toEqual([]);
    const paths = readiness.proven.filter((p) => p.check === 'path');
    expect(paths).toHaveLength(resolvePlan(production).dataPaths.length);
    for (const check of ['iam', 'kubernetes', 'identifier']) {
      expect(readiness.proven.some((p) => p.check === check)).toBe(true);
    }
  });

  test('without a synth it says which command to run, and still reports the budgets', async () => {
    const { code, stdout } = await report(['--outdir', join(tempDir('no-synth'), 'cdktf.out')]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Failover budget, production/);
    expect(stdout).toMatch(/Deploy readiness, production: not checked here: no synthesized output in .*npm run synth/);
  });
});
