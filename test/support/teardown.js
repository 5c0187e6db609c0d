// Removes this run's temp root (see global-setup.js), with every synth folder in it.
const { rmSync } = require('node:fs');

module.exports = async function teardown() {
  if (process.env.MRP_TEST_ROOT) rmSync(process.env.MRP_TEST_ROOT, { recursive: true, force: true });
};
