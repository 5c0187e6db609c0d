/**
 * Composite alarm rules have no counting: "at least `k` of these alarms" is written as an OR of
 * ANDs over every `k`-combination. Pairs keep the rule small (N(N-1)/2 terms: 10 for 5 regions);
 * CloudWatch allows 10240 characters and 100 referenced alarms per rule.
 */
export function atLeastRule(k: number, alarmNames: readonly string[]): string {
  if (!Number.isInteger(k) || k < 1) throw new Error(`atLeastRule: k must be a positive integer, got ${k}`);
  if (new Set(alarmNames).size !== alarmNames.length) throw new Error('atLeastRule: alarm names must be unique');
  if (alarmNames.length < k) {
    throw new Error(`atLeastRule: ${alarmNames.length} alarm(s) can never reach ${k} in ALARM`);
  }
  const terms = combinations(alarmNames, k).map((group) => group.map(alarmState).join(' AND '));
  const rule = terms.length === 1 ? terms[0] : terms.map((t) => (k === 1 ? t : `(${t})`)).join(' OR ');
  if (rule.length > 10240) throw new Error(`atLeastRule: rule of ${rule.length} characters exceeds 10240`);
  return rule;
}

/** `ALARM("name")`: names are quoted, so dashes and dots are safe. */
export function alarmState(name: string): string {
  if (name.includes('"')) throw new Error(`alarm name ${name} contains a double quote`);
  return `ALARM("${name}")`;
}

/** Any of the alarms in ALARM. */
export function anyRule(alarmNames: readonly string[]): string {
  return atLeastRule(1, alarmNames);
}

function combinations<T>(items: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  const out: T[][] = [];
  items.forEach((item, i) => {
    for (const rest of combinations(items.slice(i + 1), k - 1)) out.push([item, ...rest]);
  });
  return out;
}
