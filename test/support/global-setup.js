// Gives this jest run a temp root of its own: TMPDIR points there, so every temp folder of the
// run (the suite's synth folders and the /tmp/cdktf.outdir.* folders Testing.app() leaves) lands
// inside it, and the teardown removes exactly this run's files, not those of a concurrent run.
//
// It also starts the README's three synth commands, once per run, in parallel, as a newcomer's
// shell runs them (no CHECKPOINT_DISABLE, no PLATFORM_ENV of the caller), each into a folder of
// its own (`--output`):
//   production       npm run synth
//   staging          PLATFORM_ENV=staging npm run synth
//   production-hcl   npm run synth:hcl
// Their output is shared by every suite that only reads a default synth (test/support/shared-synth.ts
// finds them through MRP_SHARED_SYNTH), and test/readme-commands.test.ts judges the commands
// themselves from the exit code and output they left. The setup does not wait for them, so suites
// that need no synth start at once; a suite that reads one waits for its status file, which the
// child's shell writes itself (a suite running in band blocks this process while it waits).
const { spawn } = require('node:child_process');
const { mkdirSync, mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..', '..');

/** The README's synth commands; shared-synth.ts runs the same ones when this setup did not. */
const SHARED_SYNTHS = require('./shared-synth-commands.json');

/** Variables a newcomer's shell does not have: the npm scripts must set what they need themselves. */
const NOT_IN_A_NEWCOMERS_SHELL = [
  'CHECKPOINT_DISABLE',
  'PLATFORM_ENV',
  'PLATFORM_STATE_COPY',
  'CDKTF_OUTDIR',
  'SYNTH_HCL_OUTPUT',
  'PLATFORM_DEBUG',
  'GITHUB_ENV',
  'GITHUB_OUTPUT',
  'GITHUB_STEP_SUMMARY',
];

/** Starts one README command; its shell writes the exit code to `status` once it ended. */
function startSynth(folder, command) {
  mkdirSync(folder, { recursive: true });
  const paths = {
    command,
    outdir: join(folder, 'cdktf.out'),
    stdout: join(folder, 'stdout'),
    stderr: join(folder, 'stderr'),
    status: join(folder, 'status'),
  };
  const env = { ...process.env };
  for (const name of NOT_IN_A_NEWCOMERS_SHELL) delete env[name];
  const script = `${command} --output "$0" >"$1" 2>"$2"; echo $? >"$3.tmp"; mv "$3.tmp" "$3"`;
  // Its own process group, so the teardown can end the shell and all its children together.
  const child = spawn('/bin/bash', ['-c', script, paths.outdir, paths.stdout, paths.stderr, paths.status], {
    cwd: ROOT,
    env,
    stdio: 'ignore',
    detached: true,
  });
  child.unref();
  return { ...paths, pid: child.pid };
}

module.exports = async function globalSetup(globalConfig) {
  const root = mkdtempSync(join(tmpdir(), 'mrp-jest-'));
  process.env.MRP_TEST_ROOT = root;
  process.env.TMPDIR = root;
  // A run of chosen suites (`npx jest test/x.test.ts`) starts nothing here: a suite among them that
  // reads a shared synth runs its command itself (shared-synth.ts), the others need none.
  if (globalConfig.testPathPattern) return;
  const synths = Object.fromEntries(
    Object.entries(SHARED_SYNTHS).map(([name, command]) => [
      name,
      startSynth(join(root, 'shared-synth', name), command),
    ]),
  );
  process.env.MRP_SHARED_SYNTH = JSON.stringify(synths);
};
