// npm run bench [-- --runs N]: times the synth of the default configuration and of a 10-region
// configuration against a one-resource cdktf app run the same way (the floor), and checks the
// targets: default <= 4x floor, 10 regions <= 2x default, peak memory < 400 MiB.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

// Every case runs with the node options of the app command cdktf runs (cdktf.json `app`, the same
// line as `npm run synth`): `node <options> main.ts` -> the options, the entry replaced per case.
const app = JSON.parse(readFileSync(join(root, 'cdktf.json'), 'utf8'))
  .app.trim()
  .split(/\s+/);
if (app[0] !== 'node' || app.at(-1) !== 'main.ts')
  throw new Error(`cdktf.json app: expected node <options> main.ts, got ${app.join(' ')}`);
const nodeOptions = app.slice(1, -1);
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;

const cases = [
  { name: 'floor (1 resource)', entry: 'bench/floor.ts' },
  { name: 'default (3 regions)', entry: 'main.ts' },
  { name: '10 regions', entry: 'bench/ten-regions.ts' },
];

function measure(entry) {
  const work = mkdtempSync(join(tmpdir(), 'mrp-bench-'));
  const rssFile = join(work, 'rss');
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--require', './bench/peak-rss.cjs', ...nodeOptions, entry], {
    cwd: root,
    env: {
      ...process.env,
      CHECKPOINT_DISABLE: '1',
      PLATFORM_ENV: 'production',
      CDKTF_OUTDIR: join(work, 'cdktf.out'),
      BENCH_RSS_FILE: rssFile,
    },
    encoding: 'utf8',
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    throw new Error(`${entry} failed (${result.status}):\n${result.stderr}`);
  }
  const rssMiB = Number(readFileSync(rssFile, 'utf8').trim()) / 1024;
  rmSync(work, { recursive: true, force: true });
  return { seconds, rssMiB };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

measure('bench/floor.ts'); // warm the file system cache
const results = cases.map((c) => {
  const samples = Array.from({ length: runs }, () => measure(c.entry));
  return {
    ...c,
    median: median(samples.map((s) => s.seconds)),
    peak: Math.max(...samples.map((s) => s.rssMiB)),
  };
});

const [floor, defaults, ten] = results;
console.log(`synth benchmark, ${runs} runs each (median wall time, peak RSS)\n`);
console.log('case                 median s   x floor   peak MiB');
for (const r of results) {
  console.log(
    `${r.name.padEnd(20)} ${r.median.toFixed(2).padStart(8)}   ${(r.median / floor.median).toFixed(2).padStart(7)}   ${r.peak.toFixed(0).padStart(8)}`,
  );
}
const targets = [
  ['default synth <= 4x floor', defaults.median / floor.median, 4],
  ['10 regions <= 2x default', ten.median / defaults.median, 2],
  ['peak memory < 400 MiB', Math.max(...results.map((r) => r.peak)), 400],
];
console.log('');
let failed = false;
for (const [label, value, limit] of targets) {
  const ok = value < limit || (label.includes('<=') && value === limit);
  failed ||= !ok;
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${label}: ${value.toFixed(2)}`);
}
process.exitCode = failed ? 1 : 0;
