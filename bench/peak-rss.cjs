// Preloaded into each benchmarked process: reports its peak resident set size on exit.
const { appendFileSync } = require('node:fs');

process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE) {
    appendFileSync(process.env.BENCH_RSS_FILE, `${process.resourceUsage().maxRSS}\n`);
  }
});
