// Testing.app() and synthScope leave a /tmp/cdktf.outdir.* folder per call; the suite's own
// synth folders share the mrp-test- prefix. Remove both once every test file has run.
const { readdirSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = async function teardown() {
  const root = tmpdir();
  for (const entry of readdirSync(root)) {
    if (entry.startsWith('cdktf.outdir.') || entry.startsWith('mrp-test-')) {
      rmSync(join(root, entry), { recursive: true, force: true });
    }
  }
};
