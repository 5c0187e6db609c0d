import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { production } from '../src/config/environments/production';
import type { PlatformConfig, RegionConfig } from '../src/config/types';
import { resolvePlan } from '../src/plan/resolve';
import type { PlatformPlan } from '../src/plan/types';
import { checkReadiness } from '../src/readiness';
import type { TerraformJson } from '../src/readiness/types';
import { threeRegions } from './support/config';
import { synthOnce, type SynthOutput } from './support/synth';

/**
 * The README's "Adding a region" recipe, run literally: the region entries are read from the
 * README's own text (the fenced block and the fifth-region line), appended to the production
 * configuration and synthesized. No helper adds anything the README does not say. The recipe starts
 * from production's three seed regions (`threeRegions`), the production the README describes, so
 * it still runs after a region was added to production, by this recipe or otherwise.
 */
function recipeEntries(): RegionConfig[] {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('## Adding a region'),
    readme.indexOf('\n## ', readme.indexOf('## Adding a region') + 3),
  );
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  const fifth = /A fifth region works the same way, e\.g\.\s*`(\{[^`]+\})`/.exec(section)?.[1];
  if (!block || !fifth) throw new Error('README: the "Adding a region" recipe lost its region entries');
  // The entries are TypeScript object literals, exactly as a reader pastes them.
  const literal = (text: string) => new Function(`return (${text.trim().replace(/,$/, '')});`)() as RegionConfig;
  return [literal(block), literal(fifth)];
}

/**
 * The deploy-readiness check over a synth (src/readiness): every data path open, workload IAM, Kubernetes
 * objects, and every identifier the DR CLI and the other tools look up. Each finding as one line.
 */
async function readinessFindings(plan: PlatformPlan, synth: SynthOutput): Promise<string[]> {
  const stacks = Object.fromEntries(synth.stackIds.map((id) => [id, synth.stack(id) as TerraformJson]));
  const { findings } = await checkReadiness({ plan, stacks });
  return findings.map((f) => `[${f.check}] ${f.subject}: ${f.problem}`);
}

describe('the README region recipe, followed literally', () => {
  const [fourth, fifth] = recipeEntries();
  const withFour: PlatformConfig = { ...threeRegions, regions: [...threeRegions.regions, fourth] };
  const withFive: PlatformConfig = { ...withFour, regions: [...withFour.regions, fifth] };

  test('the recipe names us-west-2 and ap-northeast-1', () => {
    expect([fourth.code, fifth.code]).toEqual(['us-west-2', 'ap-northeast-1']);
  });

  test('a fourth region resolves with no other change: staggered window, a cache reader, a weight', () => {
    const plan = resolvePlan(withFour);
    const added = plan.regions[3];
    expect(added.cache).toMatchObject({ role: 'reader', readsFrom: 'us-east' });
    // Sunday 02:00 in Oregon (UTC-8) is Sunday 10:00 UTC: it overlaps us-east's 07:00-11:00 and moves.
    expect(added.maintenance).toMatchObject({ source: 'staggered', maintenanceWindow: 'sun:11:00-sun:15:00' });
    expect(plan.traffic.weights.find((w) => w.region === added.key)).toEqual({
      region: 'us-west',
      weight: 33,
      source: 'share',
    });
  });

  describe('with a fifth region', () => {
    let plan: PlatformPlan;
    let synth: SynthOutput;
    beforeAll(() => {
      plan = resolvePlan(withFive);
      synth = synthOnce(withFive);
    });

    test('every region gets its regional, data and workloads stacks', () => {
      for (const r of plan.regions) {
        expect(synth.stackIds).toEqual(expect.arrayContaining(Object.values(r.stackIds)));
      }
      expect(synth.stackIds).toHaveLength(3 + 3 * 5);
    });

    test('Tokyo reads the nearest cache member (Singapore)', () => {
      expect(plan.regions[4].cache).toMatchObject({ role: 'reader', readsFrom: 'apac' });
    });

    test('the synth is deploy-ready: paths, IAM, Kubernetes objects, and every name the DR CLI uses', async () => {
      expect(await readinessFindings(plan, synth)).toEqual([]);
    });

    test("the plan's apply order deploys every stack after the stacks the manifest says it depends on", () => {
      const manifest = JSON.parse(readFileSync(join(synth.outdir, 'manifest.json'), 'utf8')) as {
        stacks: Record<string, { dependencies?: string[] }>;
      };
      expect([...plan.applyOrder].sort()).toEqual(Object.keys(manifest.stacks).sort());
      const late = Object.entries(manifest.stacks).flatMap(([id, entry]) =>
        (entry.dependencies ?? [])
          .filter((dep) => plan.applyOrder.indexOf(dep) > plan.applyOrder.indexOf(id))
          .map((dep) => `${dep} after ${id}`),
      );
      expect(late).toEqual([]);
    });
  });
});

describe('Taiwan and Tokyo as a two-region platform', () => {
  const config: PlatformConfig = {
    ...production,
    regions: [
      { key: 'taipei', code: 'ap-east-2', role: 'primary', vpcCidr: '10.60.0.0/16', azCount: 3 },
      { key: 'tokyo', code: 'ap-northeast-1', role: 'secondary', vpcCidr: '10.70.0.0/16', azCount: 3 },
    ],
    traffic: {
      ...production.traffic,
      geoRouting: { 'country:TW': 'taipei', 'country:JP': 'tokyo' },
      weights: { taipei: 50, tokyo: 50 },
      drRegion: 'tokyo',
    },
  };
  let plan: PlatformPlan;
  let synth: SynthOutput;
  beforeAll(() => {
    plan = resolvePlan(config);
    synth = synthOnce(config);
  });

  test('Taipei is primary and both regions hold data-store members', () => {
    expect(plan.primary.key).toBe('taipei');
    expect(plan.regions.map((r) => [r.key, r.aurora.role, r.cache.role])).toEqual([
      ['taipei', 'primary', 'primary'],
      ['tokyo', 'secondary', 'secondary'],
    ]);
    // Both UTC+8/+9 Sunday 02:00 windows would overlap: Tokyo is moved to the next free slot.
    expect(plan.regions.map((r) => r.maintenance.source)).toEqual(['default', 'staggered']);
  });

  test('synthesizes every stack, deploy-ready: paths, IAM, Kubernetes objects, every name the DR CLI uses', async () => {
    expect(synth.stackIds).toHaveLength(3 + 3 * 2);
    expect(await readinessFindings(plan, synth)).toEqual([]);
  });
});
