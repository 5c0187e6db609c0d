// Preloaded into each benchmarked process: reports its peak resident set size on exit.
// The process's peak covers its threads (the readiness worker inherits this preload: only the main
// thread writes).
const { appendFileSync } = require('node:fs');
const { isMainThread } = require('node:worker_threads');

process.on('exit', () => {
  if (isMainThread && process.env.BENCH_RSS_FILE) {
    appendFileSync(process.env.BENCH_RSS_FILE, `${process.resourceUsage().maxRSS}\n`);
  }
});
