import { readFileSync } from 'node:fs';
import { cidrOverlaps, formatCidr, parseCidr } from '../modules/common/cidr';
import { production } from '../src/config/environments/production';
import { withExtraRegions } from '../src/config/scale';
import { STACK_IDS } from '../src/plan/naming';
import { resolvePlan } from '../src/plan/resolve';
import type { PlatformConfig, RegionConfig } from '../src/config/types';
import {
  changeSet,
  deployOrder,
  parseManifest,
  planDeployment,
  regionOf,
  renderPlan,
  workspacePlan,
  type StackNode,
  manualSteps,
} from '../src/tools/deploy-plan';
import { diffSynth, readSynthTree } from '../src/tools/synth-diff';
import { defaultSynth } from './support/shared-synth';
import { synthPlatform } from './support/synth';

/**
 * A secondary region `config` does not have, as the README recipe adds one: the first catalog region
 * it does not use (withExtraRegions), under a key and in a 10.x.0.0/16 no region of it uses, so that
 * adding it never collides with whatever production lists.
 */
function regionNotIn(config: PlatformConfig): RegionConfig {
  const added = withExtraRegions(config, 1).regions.at(-1)!;
  const keys = new Set(config.regions.map((r) => r.key));
  let key = added.key;
  for (let n = 2; keys.has(key); n++) key = `${added.key}-${n}`;
  const used = config.regions.map((r) => parseCidr(r.vpcCidr)!);
  const free = Array.from({ length: 256 }, (_, n) => parseCidr(`10.${n}.0.0/16`)!).find(
    (cidr) => !used.some((u) => cidrOverlaps(u, cidr)),
  );
  if (!free) throw new Error('no free 10.x.0.0/16 left for another region');
  return { ...added, key, vpcCidr: formatCidr(free) };
}

const OPTIONS = { regions: ['us-east', 'eu-west', 'apac'], globalStack: 'global', bootstrapStack: 'state-bootstrap' };

/** The planned graph of the platform (README), written out by hand. */
const GRAPH: StackNode[] = [
  { id: 'state-bootstrap', dependencies: [] },
  { id: 'dns', dependencies: [] },
  ...OPTIONS.regions.map((r) => ({ id: `region-${r}`, dependencies: ['dns'] })),
  { id: 'global', dependencies: OPTIONS.regions.map((r) => `region-${r}`) },
  { id: 'data-us-east', dependencies: ['global', 'region-us-east'] },
  { id: 'data-eu-west', dependencies: ['global', 'region-eu-west', 'data-us-east'] },
  { id: 'data-apac', dependencies: ['global', 'region-apac', 'data-us-east'] },
  ...OPTIONS.regions.map((r) => ({ id: `workloads-${r}`, dependencies: [`region-${r}`, `data-${r}`, 'global'] })),
];

describe('deploy order', () => {
  test('shared stacks, then one region at a time, then global, then one region at a time', () => {
    expect(planDeployment(GRAPH, OPTIONS)).toEqual({
      before: [
        { name: 'shared', stacks: 'dns' },
        { name: 'us-east', stacks: 'region-us-east' },
        { name: 'eu-west', stacks: 'region-eu-west' },
        { name: 'apac', stacks: 'region-apac' },
      ],
      global: 'global',
      after: [
        { name: 'us-east', stacks: 'data-us-east workloads-us-east' },
        { name: 'eu-west', stacks: 'data-eu-west workloads-eu-west' },
        { name: 'apac', stacks: 'data-apac workloads-apac' },
      ],
    });
  });

  test('the bootstrap stack is never deployed, even when a stack lists it as a dependency', () => {
    const graph = GRAPH.map((s) => (s.id === 'dns' ? { ...s, dependencies: ['state-bootstrap'] } : s));
    expect(deployOrder(planDeployment(graph, OPTIONS))).not.toContain('state-bootstrap');
  });

  test('every stack comes after all of its dependencies', () => {
    const order = deployOrder(planDeployment(GRAPH, OPTIONS));
    expect(order).toHaveLength(GRAPH.length - 1);
    for (const stack of GRAPH.filter((s) => s.id !== 'state-bootstrap')) {
      for (const dependency of stack.dependencies)
        expect(order.indexOf(dependency)).toBeLessThan(order.indexOf(stack.id));
    }
  });

  test('regions follow the order given, not the order of the manifest', () => {
    const graph = [...GRAPH].reverse().filter((s) => !s.id.startsWith('data-') && !s.id.startsWith('workloads-'));
    const plan = planDeployment(graph, { ...OPTIONS, regions: ['eu-west', 'us-east', 'apac'] });
    expect(plan.before.map((s) => s.name)).toEqual(['shared', 'eu-west', 'us-east', 'apac']);
  });

  test('a secondary data stack never runs before the primary one it joins', () => {
    expect(() => planDeployment(GRAPH, { ...OPTIONS, regions: ['eu-west', 'us-east', 'apac'] })).toThrow(
      /stack data-eu-west would deploy before data-us-east/,
    );
  });

  test.each<[string, StackNode[], RegExp]>([
    ['a cycle', [...GRAPH, { id: 'x', dependencies: ['y'] }, { id: 'y', dependencies: ['x'] }], /cycle among x, y/],
    [
      'an unknown dependency',
      [...GRAPH, { id: 'x', dependencies: ['nope'] }],
      /x depends on nope, which is not in the manifest/,
    ],
    ['no global stack', GRAPH.filter((s) => s.id !== 'global'), /no stack global in the manifest/],
    [
      'a shared stack reading a region before global',
      GRAPH.map((s) => (s.id === 'region-apac' ? { ...s, dependencies: ['dns', 'audit'] } : s)).concat({
        id: 'audit',
        dependencies: ['region-us-east'],
      }),
      /stack audit would deploy before region-us-east/,
    ],
  ])('refuses %s', (_name, graph, message) => {
    expect(() => planDeployment(graph, OPTIONS)).toThrow(message);
  });

  test('a stack belongs to the longest region key it ends with', () => {
    expect(regionOf('data-us-east', ['east', 'us-east'])).toBe('us-east');
    expect(regionOf('data-east', ['east', 'us-east'])).toBe('east');
    expect(regionOf('dns', ['east', 'us-east'])).toBeUndefined();
  });

  test('the summary table lists each phase', () => {
    const text = renderPlan('production', planDeployment(GRAPH, OPTIONS));
    expect(text).toContain('| before global | us-east | region-us-east |');
    expect(text).toContain('| global (approval) | global | global |');
    expect(text).toContain('| after global | apac | data-apac workloads-apac |');
  });
});

describe('Terraform Cloud workspaces', () => {
  test('one per stack, working directory = its synthesized folder, run triggers = its dependencies', () => {
    const plan = workspacePlan(GRAPH, 'state-bootstrap', (id) => `mi-production-${id}`);
    expect(plan.map((w) => w.stack)).not.toContain('state-bootstrap');
    expect(plan.find((w) => w.stack === 'data-eu-west')).toEqual({
      stack: 'data-eu-west',
      workspace: 'mi-production-data-eu-west',
      workingDirectory: 'stacks/data-eu-west',
      runTriggers: ['mi-production-data-us-east', 'mi-production-global', 'mi-production-region-eu-west'],
    });
  });
});

describe('deploy order of the synthesized platform', () => {
  test('is derived from the real manifest: bootstrap excluded, global after every region stack', () => {
    const { outdir, stackIds } = defaultSynth('production'); // `npm run synth`, shared by the run
    const graph = parseManifest(readFileSync(`${outdir}/manifest.json`, 'utf8'));
    const regions = production.regions.map((r) => r.key);
    const order = deployOrder(
      planDeployment(graph, { regions, globalStack: STACK_IDS.global, bootstrapStack: STACK_IDS.bootstrap }),
    );
    expect([...order].sort()).toEqual(stackIds.filter((id) => id !== STACK_IDS.bootstrap).sort());
    for (const key of regions) {
      expect(order.indexOf(STACK_IDS.regional(key))).toBeLessThan(order.indexOf(STACK_IDS.global));
    }
  });
});

describe('changes of a configuration change (deploy:plan --since)', () => {
  const order = ['dns', 'region-us-east', 'region-eu-west', 'global', 'data-us-east', 'data-eu-west'];

  test('added and changed stacks come out in apply order; unchanged ones are left out', () => {
    const diff = {
      stacksAdded: ['region-eu-west', 'data-eu-west'],
      stacksRemoved: [],
      stacks: [{ stack: 'data-us-east' }, { stack: 'global' }, { stack: 'state-bootstrap' }],
    };
    expect(changeSet(order, diff, 'state-bootstrap')).toEqual({
      added: ['region-eu-west', 'data-eu-west'],
      changed: ['global', 'data-us-east'],
      apply: ['region-eu-west', 'global', 'data-us-east', 'data-eu-west'],
      removed: [],
    });
  });

  test('a changed stack missing from the deploy order is refused', () => {
    const diff = { stacksAdded: [], stacksRemoved: ['data-apac'], stacks: [{ stack: 'workloads-x' }] };
    expect(() => changeSet(order, diff, 'state-bootstrap')).toThrow(/workloads-x are not in the deploy order/);
  });

  test('adding a region (as the README recipe does) changes the existing global, region, data and workloads stacks', () => {
    const before = defaultSynth('production');
    const added = regionNotIn(production);
    const withRegion: PlatformConfig = { ...production, regions: [...production.regions, added] };
    const after = synthPlatform(withRegion);
    const regions = withRegion.regions.map((r) => r.key);
    const plan = planDeployment(parseManifest(readFileSync(`${after.outdir}/manifest.json`, 'utf8')), {
      regions,
      globalStack: STACK_IDS.global,
      bootstrapStack: STACK_IDS.bootstrap,
    });
    const order = deployOrder(plan);
    const changes = changeSet(
      order,
      diffSynth(readSynthTree(before.outdir), readSynthTree(after.outdir)),
      STACK_IDS.bootstrap,
    );
    expect(changes.added).toEqual([
      STACK_IDS.regional(added.key),
      STACK_IDS.data(added.key),
      STACK_IDS.workloads(added.key),
    ]);
    const existing = production.regions.map((r) => r.key);
    // Global: peering, records, memberships. Every workloads stack: MirrorMaker 2 pulls from the new
    // region. Every region: its event forwarder targets the new bus.
    expect(changes.changed).toEqual(
      expect.arrayContaining([
        STACK_IDS.global,
        ...existing.map(STACK_IDS.workloads),
        ...existing.map(STACK_IDS.regional),
      ]),
    );
    expect(changes.changed).not.toContain(STACK_IDS.dns);
    expect(changes.removed).toEqual([]);
    // Apply order: every stack after what it depends on; the new region's stack before global.
    expect(changes.apply).toEqual(order.filter((id) => changes.apply.includes(id)));
    expect(changes.apply.indexOf(STACK_IDS.regional(added.key))).toBeLessThan(changes.apply.indexOf(STACK_IDS.global));
    const primary = STACK_IDS.workloads(resolvePlan(production).primary.key);
    expect(changes.apply.indexOf(STACK_IDS.global)).toBeLessThan(changes.apply.indexOf(primary));
  });
});

describe('manual steps of a first deploy', () => {
  const order = ['dns', 'region-us-east', 'region-eu-west', 'global'];

  test('a created zone is delegated after the dns stack, before the first stack that validates a certificate', () => {
    expect(manualSteps(order, 'dns', true)).toEqual([
      {
        after: 'dns',
        before: 'region-us-east',
        step: expect.stringMatching(/^delegate the domain to the dns stack's zone_name_servers output.*DS record/),
      },
    ]);
  });

  test('an adopted zone is delegated already; no dns stack or nothing after it: no step', () => {
    expect(manualSteps(order, 'dns', false)).toEqual([]);
    expect(manualSteps(order.slice(1), 'dns', true)).toEqual([]);
    expect(manualSteps(['region-us-east', 'dns'], 'dns', true)).toEqual([]);
  });
});
