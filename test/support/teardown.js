// Ends the shared synths if they still run (a run that needed none can end before them), then
// removes this run's temp root (see global-setup.js), with every synth folder in it.
const { rmSync } = require('node:fs');
const { setTimeout: sleep } = require('node:timers/promises');

/** True while the process group `pid` leads has a member. */
function running(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

module.exports = async function teardown() {
  const synths = Object.values(JSON.parse(process.env.MRP_SHARED_SYNTH ?? '{}'));
  for (const { pid } of synths) {
    if (!pid || !running(pid)) continue;
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // It ended meanwhile.
    }
    for (let waited = 0; running(pid) && waited < 5000; waited += 50) await sleep(50);
  }
  if (process.env.MRP_TEST_ROOT) rmSync(process.env.MRP_TEST_ROOT, { recursive: true, force: true });
};
