import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The layout's import rules (.dependency-cruiser.cjs) hold over src/ and modules/: no cycles,
 * modules/ never import src/, config -> plan -> parts -> stacks -> app in one direction, the
 * operator CLIs apart from the builders, no orphans, no dead index.ts. dependency-cruiser runs in a
 * child process (test/support/cruise.mjs): it is ESM only, which Jest's CommonJS runtime cannot load.
 */
const ROOT = resolve(__dirname, '..');
const CONSTRUCT_PACKAGES = /^node_modules\/(cdktf|constructs|@cdktf\/[^/]+)\//;

interface Violation {
  readonly rule: string;
  readonly from: string;
  readonly to: string;
  readonly cycle?: readonly string[];
  readonly comment?: string;
}

interface CruiseReport {
  readonly totalCruised: number;
  readonly violations: readonly Violation[];
  readonly modules: readonly {
    readonly source: string;
    readonly dependencies: readonly { readonly resolved: string; readonly typeOnly: boolean }[];
  }[];
}

function cruise(): CruiseReport {
  const out = execFileSync(process.execPath, [join(ROOT, 'test', 'support', 'cruise.mjs'), 'src', 'modules'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out) as CruiseReport;
}

/** One violation as a reader wants it: rule, the offending import (or the whole cycle), why. */
function describeViolation(v: Violation): string {
  // Module rules (orphans, dead index files) report the module as both ends.
  const edge = v.cycle?.length
    ? [v.from, ...v.cycle].join(' -> ')
    : v.to && v.to !== v.from
      ? `${v.from} -> ${v.to}`
      : v.from;
  return `${v.rule}: ${edge}${v.comment ? `\n      ${v.comment}` : ''}`;
}

let report: CruiseReport;
beforeAll(() => {
  report = cruise();
});

test('dependency-cruiser sees the whole tree', () => {
  const sources = new Set(report.modules.map((m) => m.source));
  for (const file of ['src/app.ts', 'src/plan/resolve.ts', 'src/stacks/regional-stack.ts', 'modules/eks/cluster.ts'])
    expect(sources).toContain(file);
});

test('no import breaks a rule of .dependency-cruiser.cjs', () => {
  if (report.violations.length > 0) {
    throw new Error(
      `${report.violations.length} import rule violation(s) (.dependency-cruiser.cjs):\n` +
        report.violations.map((v) => `  - ${describeViolation(v)}`).join('\n'),
    );
  }
});

test('the plan loads no construct or provider package, not even through modules/', () => {
  // The rule `plan-is-pure` sees direct imports only; this follows every runtime import.
  const edges = new Map(report.modules.map((m) => [m.source, m.dependencies.filter((d) => !d.typeOnly)]));
  const via = new Map<string, string>();
  const queue = [...edges.keys()].filter((s) => s.startsWith('src/plan/'));
  for (const s of queue) via.set(s, '');
  const pulled: string[] = [];
  while (queue.length > 0) {
    const source = queue.shift()!;
    for (const { resolved } of edges.get(source) ?? []) {
      if (via.has(resolved)) continue;
      via.set(resolved, source);
      if (CONSTRUCT_PACKAGES.test(resolved)) {
        const path = [resolved];
        for (let at = source; at; at = via.get(at)!) path.unshift(at);
        pulled.push(path.join(' -> '));
      } else queue.push(resolved);
    }
  }
  expect(pulled).toEqual([]);
});

test('src/stacks holds only stack classes', () => {
  const dir = join(ROOT, 'src', 'stacks');
  const notStacks = readdirSync(dir).filter(
    (file) =>
      !file.endsWith('-stack.ts') ||
      !/^export (abstract )?class \w+Stack extends \w+/m.test(readFileSync(join(dir, file), 'utf8')),
  );
  expect(notStacks).toEqual([]);
});
