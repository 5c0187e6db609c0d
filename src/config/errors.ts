/** One problem in the configuration: where, what was there, and what would be accepted. */
export interface ConfigIssue {
  readonly path: string;
  readonly value: unknown;
  readonly expected: string;
}

/** Raised for user mistakes in configuration; main.ts prints it without a stack trace. */
export class ConfigError extends Error {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(formatIssues(issues));
    this.name = 'ConfigError';
  }
}

export function formatIssues(issues: readonly ConfigIssue[]): string {
  const lines = issues.map((i) => `  - ${i.path}: got ${describe(i.value)}; ${i.expected}`);
  return `Invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Collects issues so every problem is reported at once. */
export class IssueCollector {
  private readonly list: ConfigIssue[] = [];

  add(path: string, value: unknown, expected: string): void {
    this.list.push({ path, value, expected });
  }

  /** Adds an issue when `ok` is false; returns `ok` so callers can skip dependent checks. */
  check(ok: boolean, path: string, value: unknown, expected: string): boolean {
    if (!ok) this.add(path, value, expected);
    return ok;
  }

  get issues(): readonly ConfigIssue[] {
    return this.list;
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw new ConfigError(this.list);
  }
}
