// Gives this jest run a temp root of its own: TMPDIR points there, so every temp folder of the
// run (the suite's synth folders and the /tmp/cdktf.outdir.* folders Testing.app() leaves) lands
// inside it, and the teardown removes exactly this run's files, not those of a concurrent run.
//
// It also starts the default production and staging synths, once per run, as child processes in
// parallel: `node --import tsx main.ts` as `cdktf synth` runs it. Suites that only read the JSON of
// a default environment share them (test/support/shared-synth.ts, which finds them through
// MRP_SHARED_SYNTH). The setup does not wait for them, so suites that need no synth start at once;
// a suite that reads one waits for its status file, which the child's shell writes itself (a suite
// running in band blocks this process while it waits).
const { spawn } = require('node:child_process');
const { mkdirSync, mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..', '..');
const ENVIRONMENTS = ['production', 'staging'];

/** Starts `main.ts` for one environment; its shell writes the exit code to `status` once it ended. */
function startSynth(folder, environment) {
  mkdirSync(folder, { recursive: true });
  const paths = { outdir: join(folder, 'cdktf.out'), log: join(folder, 'synth.log'), status: join(folder, 'status') };
  const env = { ...process.env, CDKTF_OUTDIR: paths.outdir, PLATFORM_ENV: environment, CHECKPOINT_DISABLE: '1' };
  delete env.SYNTH_HCL_OUTPUT;
  delete env.PLATFORM_DEBUG;
  const script = '"$0" --import tsx main.ts >"$1" 2>&1; echo $? >"$2.tmp"; mv "$2.tmp" "$2"';
  // Its own process group, so the teardown can end the shell and its node child together.
  const child = spawn('/bin/sh', ['-c', script, process.execPath, paths.log, paths.status], {
    cwd: ROOT,
    env,
    stdio: 'ignore',
    detached: true,
  });
  child.unref();
  return { ...paths, pid: child.pid };
}

module.exports = async function globalSetup() {
  const root = mkdtempSync(join(tmpdir(), 'mrp-jest-'));
  process.env.MRP_TEST_ROOT = root;
  process.env.TMPDIR = root;
  const synths = Object.fromEntries(
    ENVIRONMENTS.map((environment) => [environment, startSynth(join(root, 'shared-synth', environment), environment)]),
  );
  process.env.MRP_SHARED_SYNTH = JSON.stringify(synths);
};
