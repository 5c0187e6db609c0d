// `npm run test:mutation [-- <layer>... [stryker options]]`: runs Stryker (stryker.config.mjs) once
// per logic layer, all of them unless some are named, and prints one line per layer: mutation
// score, mutants by outcome and wall time (also written to reports/mutation/summary.md).
// Options other than layer names go to every Stryker run, e.g. `--concurrency 1`.
// Exits 1 when a layer scores below the break threshold (80 %) or Stryker fails.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LAYERS } from './mutation-layers.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const REPORTS = join(ROOT, 'reports', 'mutation');
const args = process.argv.slice(2);
const named = args.filter((a) => a in LAYERS);
const options = args.filter((a) => !(a in LAYERS));
const layers = named.length > 0 ? named : Object.keys(LAYERS);

/** Counts of a Stryker JSON report (mutation-testing-report-schema) and its score. */
function summarize(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const count = {};
  for (const { mutants } of Object.values(report.files))
    for (const m of mutants) count[m.status] = (count[m.status] ?? 0) + 1;
  const detected = (count.Killed ?? 0) + (count.Timeout ?? 0);
  const undetected = (count.Survived ?? 0) + (count.NoCoverage ?? 0);
  const valid = detected + undetected;
  return { count, valid, score: valid === 0 ? NaN : (100 * detected) / valid };
}

const rows = [];
let failed = false;
for (const layer of layers) {
  const started = Date.now();
  // A temp root per run, removed after it: the policy suites synthesize with Testing.app(), which
  // leaves a /tmp/cdktf.outdir.* folder per call (thousands per run, since every mutant reruns them),
  // and the jest config Stryker uses has no global teardown (it would run once per mutant).
  const temp = mkdtempSync(join(tmpdir(), `mrp-mutation-${layer}-`));
  const run = spawnSync(join(ROOT, 'node_modules', '.bin', 'stryker'), ['run', ...options], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, MUTATION_LAYER: layer, TMPDIR: temp },
  });
  rmSync(temp, { recursive: true, force: true });
  const minutes = (Date.now() - started) / 60000;
  if (run.status !== 0) failed = true;
  let line;
  try {
    const { count, valid, score } = summarize(join(REPORTS, `${layer}.json`));
    const n = (k) => count[k] ?? 0;
    line = `| ${layer} | ${score.toFixed(1)} % | ${valid} | ${n('Killed')} | ${n('Timeout')} | ${n('Survived')} | ${n('NoCoverage')} | ${n('Ignored') + n('CompileError') + n('RuntimeError')} | ${minutes.toFixed(0)} min |`;
  } catch {
    line = `| ${layer} | no report (Stryker exit ${run.status}) | | | | | | | ${minutes.toFixed(0)} min |`;
  }
  rows.push(line);
}

const table = [
  '| layer | score | mutants | killed | timeout | survived | no coverage | ignored/errors | wall time |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows,
].join('\n');
mkdirSync(REPORTS, { recursive: true });
writeFileSync(join(REPORTS, 'summary.md'), `${table}\n`);
console.log(`\n${table}\n`);
process.exit(failed ? 1 : 0);
