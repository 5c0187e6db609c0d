import { ConfigError } from './config/errors';
import { loadConfig } from './config/load';
import { failoverBudgets, formatBudgetTable } from './traffic/budget';

/** `npm run report`: the failover-time budget of each path against the RTO (PLATFORM_ENV selects). */
function report(): void {
  try {
    const config = loadConfig();
    process.stdout.write(`Failover budget, ${config.environment} (RTO ${config.recovery.rtoSeconds} s)\n`);
    process.stdout.write(`${formatBudgetTable(failoverBudgets(config))}\n`);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

report();
