import { ConfigError } from './config/errors';
import { formatBudgetTable } from './plan/budget';
import { loadPlan } from './plan/resolve';

/** `npm run report`: the failover-time budget of each path against the RTO (PLATFORM_ENV selects). */
function report(): void {
  try {
    const plan = loadPlan();
    process.stdout.write(`Failover budget, ${plan.environment} (RTO ${plan.config.recovery.rtoSeconds} s)\n`);
    process.stdout.write(`${formatBudgetTable(plan.traffic.budgets)}\n`);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

report();
