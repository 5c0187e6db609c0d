// Every `npm run dr -- ...` line of docs/runbook.md, run in the situation its section describes
// (a healthy platform, a lost primary region, the failback after it) against the stateful fake of
// AWS built from the plan's names (test/support/dr-mocks.ts, dr-dns.ts). A command added to the
// runbook, removed from it or moved to another section fails the section's list below until its
// scenario is written; the times the runbook states are the failover budget's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FENCE_SUFFIX, drTargets } from '../../src/dr/targets';
import { loadPlan } from '../../src/plan/resolve';
import { fakeDns } from '../support/dr-dns';
import { fakeAws, type FakeAws, sdkMocks } from '../support/dr-mocks';
import { runDrCaptured } from '../support/dr-run';

const RUNBOOK = readFileSync(join(__dirname, '..', '..', 'docs', 'runbook.md'), 'utf8');
const plan = loadPlan({ PLATFORM_ENV: 'production' });
const targets = drTargets(plan);
const region = (key: string) => targets.regions.find((r) => r.key === key)!;
const mocks = sdkMocks();

/** The `npm run dr -- ...` commands of the runbook, by the heading they appear under, in order. */
function runbookCommands(): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let heading = '';
  for (const line of RUNBOOK.split('\n')) {
    const h = /^#{1,3} (.*)$/.exec(line);
    if (h) heading = h[1];
    for (const m of line.matchAll(/npm run dr -- ([^`#\n]*)/g)) {
      const args = m[1].trim();
      if (!sections.has(heading)) sections.set(heading, []);
      sections.get(heading)!.push(args);
    }
  }
  return sections;
}

interface Step {
  /** Arguments after `npm run dr --`, as the runbook writes them. */
  readonly args: string;
  readonly exit: number;
  /** What must hold afterwards (the world, stdout). */
  readonly then?: (world: FakeAws, out: string) => void;
  /** What the operator does by hand after this command, as the runbook says. */
  readonly after?: (world: FakeAws) => void;
}

interface Section {
  readonly heading: string;
  /** The platform before the section's first command. */
  readonly given: (world: FakeAws) => void;
  readonly steps: readonly Step[];
}

const [primary, target] = [region('us-east'), region('eu-west')];
const lost = primary;
const neverCalled = (code: string) => (world: FakeAws) =>
  expect(world.calls.filter((c) => c.region === code)).toEqual([]);
const writesIn = (code: string) => (world: FakeAws) => {
  expect(world.auroraWriter).toBe(code);
  expect(world.cachePrimary).toBe(code);
};
const noneInverted = (world: FakeAws) =>
  expect(Object.values(world.healthChecks).filter((hc) => hc.inverted)).toEqual([]);
const healthy = () => undefined;
/** The world the failover section leaves: the primary lost, writes in the target, its check fenced. */
const afterFailover = (world: FakeAws) => {
  world.auroraWriter = target.code;
  world.cachePrimary = target.code;
  world.healthChecks[lost.key].fqdn = `${lost.directName}${FENCE_SUFFIX}`;
};

const SECTIONS: readonly Section[] = [
  {
    heading: 'Check the state: `status`',
    given: healthy,
    steps: [
      { args: 'status', exit: 0 },
      { args: 'status --json', exit: 0, then: (_, out) => expect(JSON.parse(out).ok).toBe(true) },
      { args: 'status --exclude us-east', exit: 0, then: neverCalled(primary.code) },
    ],
  },
  {
    heading: 'Planned switchover: `switchover --to <region>`',
    given: healthy,
    steps: [
      { args: 'switchover --to eu-west', exit: 0, then: writesIn(primary.code) },
      {
        args: 'switchover --to eu-west --execute',
        exit: 0,
        then: (world) => {
          writesIn(target.code)(world);
          noneInverted(world);
        },
      },
      {
        args: 'status --json',
        exit: 0,
        then: (_, out) => {
          const report = JSON.parse(out);
          expect([report.aurora.writerRegion, report.cache.primaryRegion]).toEqual([target.code, target.code]);
        },
      },
    ],
  },
  {
    heading: 'Failover (region lost): `failover --to <region>`',
    given: (world) => world.down.add(lost.code),
    steps: [
      // The lost region's check fails: exit 1 is the expected answer while it is down.
      { args: 'status --exclude us-east', exit: 1, then: neverCalled(lost.code) },
      { args: 'failover --to eu-west', exit: 0, then: writesIn(lost.code) },
      {
        args: 'failover --to eu-west --execute --accept-data-loss',
        exit: 0,
        then: (world) => {
          writesIn(target.code)(world);
          expect(world.healthChecks[lost.key].fqdn).toBe(`${lost.directName}${FENCE_SUFFIX}`);
          neverCalled(lost.code)(world);
        },
      },
      { args: 'status --exclude us-east', exit: 1, then: (_, out) => expect(out).toMatch(/FENCED/) },
      { args: 'status --exclude <lost>', exit: 1, then: (_, out) => expect(out).toMatch(/FENCED/) },
    ],
  },
  {
    heading: 'Failback (the lost region is back)',
    given: afterFailover,
    steps: [
      // Step 3: both members replicate again, the fenced check still fails.
      { args: 'status', exit: 1, then: (_, out) => expect(out).toMatch(/FENCED/) },
      {
        args: 'targets',
        exit: 0,
        then: (_, out) => expect(out).toContain(`probes ${lost.directName}`),
        // Step 4: the operator restores the name the check probes.
        after: (world) => void (world.healthChecks[lost.key].fqdn = lost.directName),
      },
      { args: 'switchover --to us-east', exit: 0, then: writesIn(target.code) },
      { args: 'switchover --to us-east --execute', exit: 0, then: writesIn(lost.code) },
      { args: 'status', exit: 0, then: noneInverted },
    ],
  },
  {
    heading: 'Region failure drill: `drill --region <region>`',
    given: healthy,
    steps: [
      { args: 'drill --region us-east', exit: 0, then: noneInverted },
      {
        args: 'drill --region us-east --execute',
        exit: 0,
        then: (world, out) => {
          expect(out).toMatch(/WITHIN RTO/);
          noneInverted(world);
          expect(world.calls.filter((c) => c.api === 'TestDNSAnswer').length).toBeGreaterThan(1);
        },
      },
    ],
  },
  { heading: 'Chaos experiments (AWS FIS)', given: healthy, steps: [{ args: 'status', exit: 0 }] },
];

/** Lines that show the syntax, not a command to run. */
const SYNTAX = [
  ['DR runbook', '<command>'],
  ['Region failure drill: `drill --region <region>`', '...'],
];

/** Runs a runbook line; `<lost>` stands for the lost region. */
const run = (args: string) => runDrCaptured(args.replace('<lost>', lost.key).split(/\s+/));

describe('docs/runbook.md', () => {
  const found = runbookCommands();

  test('every dr command of the runbook has its scenario here, in the order the runbook gives', () => {
    const expected = new Map<string, string[]>(SECTIONS.map((s) => [s.heading, s.steps.map((x) => x.args)]));
    // Syntax lines close their section (the drill's `...` is in its options paragraph).
    for (const [heading, args] of SYNTAX) expected.set(heading, [...(expected.get(heading) ?? []), args]);
    const byHeading = (m: Map<string, string[]>) => [...m].sort(([a], [b]) => a.localeCompare(b));
    expect(byHeading(found)).toEqual(byHeading(expected));
    expect([...found.values()].flat().length).toBeGreaterThanOrEqual(20);
  });

  test.each(SECTIONS.map((s) => [s.heading, s] as const))('%s', async (_heading, section) => {
    Object.values(mocks).forEach((m) => m.reset());
    const world = fakeAws(mocks, targets, primary.code);
    fakeDns(mocks.r53, world, targets);
    world.lags[target.code] = { rpoMs: 900, replicationMs: 400, cacheSeconds: 0.3 };
    section.given(world);
    expect(section.steps.length).toBeGreaterThan(0);
    for (const step of section.steps) {
      world.calls.length = 0;
      const { code, out, err } = await run(step.args);
      expect([step.args, code, code === step.exit ? '' : err]).toEqual([step.args, step.exit, '']);
      step.then?.(world, out);
      step.after?.(world);
    }
  });

  test('the times it states are the failover budget of production', () => {
    const budget = (path: string) => plan.traffic.budgets.find((b) => b.path === path)!.worstCaseSeconds;
    const section = (heading: string) => {
      const start = RUNBOOK.indexOf(heading);
      expect(start).toBeGreaterThanOrEqual(0);
      return RUNBOOK.slice(start, RUNBOOK.indexOf('\n## ', start + 1));
    };
    for (const heading of ['## Planned switchover', '## Failover (region lost)'])
      expect(section(heading)).toContain(`${budget('dns')} s`);
    expect(section('## Planned switchover')).toContain(`= ${budget('cloudfront')} s`);
    expect(section('### Failback')).toContain(`(${budget('dns')} s in production)`);
    for (const heading of ['## Planned switchover', '## Failover (region lost)', '### Failback'])
      expect(section(heading)).toMatch(/Verify/);
  });
});
