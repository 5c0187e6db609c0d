/** Small predicates and checks shared by the config validators. */
import type { IssueCollector } from '../errors';
import { LOG_RETENTION_DAYS } from '../types';
export const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

export const isIntIn = (v: unknown, min: number, max: number): v is number => isInt(v) && v >= min && v <= max;

/** A CloudWatch Logs retention setting: only the periods CloudWatch Logs accepts. */
export function checkLogRetention(issues: IssueCollector, path: string, value: unknown): void {
  issues.check(
    (LOG_RETENTION_DAYS as readonly number[]).includes(value as number),
    path,
    value,
    `expected a CloudWatch Logs retention period (${LOG_RETENTION_DAYS.join(', ')})`,
  );
}
