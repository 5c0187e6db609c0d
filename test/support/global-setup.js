// Gives this jest run a temp root of its own: TMPDIR points there, so every temp folder of the
// run (the suite's synth folders and the /tmp/cdktf.outdir.* folders Testing.app() leaves) lands
// inside it, and the teardown removes exactly this run's files, not those of a concurrent run.
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = async function globalSetup() {
  const root = mkdtempSync(join(tmpdir(), 'mrp-jest-'));
  process.env.MRP_TEST_ROOT = root;
  process.env.TMPDIR = root;
};
