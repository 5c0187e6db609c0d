import type { ResourceRule, StackRule } from '../types';

/** Declares a rule over one resource. */
export function resourceRule(rule: Omit<ResourceRule, 'scope'>): ResourceRule {
  return { scope: 'resource', ...rule };
}

/** Declares a rule over a whole stack. */
export function stackRule(rule: Omit<StackRule, 'scope'>): StackRule {
  return { scope: 'stack', ...rule };
}

/** `[problem]` when `ok` is false, else no problem. */
export function problemUnless(ok: boolean, problem: string): string[] {
  return ok ? [] : [problem];
}
