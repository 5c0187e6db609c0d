/**
 * IAM statements in one normalized shape, read from `aws_iam_policy_document` data sources (how
 * this repository writes every policy) or from literal JSON policy strings.
 */
import { blocks, isExpression, strings, type Attributes } from './attributes';

export interface Statement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  /** Principals as `type:identifier`, e.g. `AWS:*`, `Service:logs.amazonaws.com`, `*:*`. */
  readonly principals: readonly string[];
  readonly hasPrincipals: boolean;
  readonly conditions: readonly { test: string; variable: string; values: readonly string[] }[];
}

/** Statements of an `aws_iam_policy_document` data source. */
export function documentStatements(attributes: Attributes): Statement[] {
  return blocks(attributes.statement).map((s) => {
    const principals = blocks(s.principals).flatMap((p) =>
      strings(p.identifiers).map((id) => `${String(p.type)}:${id}`),
    );
    return {
      effect: s.effect === 'Deny' ? 'Deny' : 'Allow',
      actions: strings(s.actions),
      notActions: strings(s.not_actions),
      resources: strings(s.resources),
      notResources: strings(s.not_resources),
      principals,
      hasPrincipals: principals.length > 0 || blocks(s.not_principals).length > 0,
      conditions: blocks(s.condition).map((c) => ({
        test: String(c.test),
        variable: String(c.variable),
        values: strings(c.values),
      })),
    };
  });
}

/** Statements of a literal JSON policy; empty when the value is an expression or not JSON. */
export function jsonStatements(value: unknown): Statement[] {
  if (typeof value !== 'string' || isExpression(value)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return [];
  }
  const raw = (parsed as { Statement?: unknown }).Statement;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list.map((s: Record<string, unknown>) => {
    const principal = s.Principal;
    const principals =
      principal === '*'
        ? ['*:*']
        : typeof principal === 'object' && principal !== null
          ? Object.entries(principal).flatMap(([type, ids]) => strings(ids).map((id) => `${type}:${id}`))
          : [];
    const condition = (s.Condition ?? {}) as Record<string, Record<string, unknown>>;
    return {
      effect: s.Effect === 'Deny' ? 'Deny' : 'Allow',
      actions: strings(s.Action),
      notActions: strings(s.NotAction),
      resources: strings(s.Resource),
      notResources: strings(s.NotResource),
      principals,
      hasPrincipals: principals.length > 0 || s.NotPrincipal !== undefined,
      conditions: Object.entries(condition).flatMap(([test, byVariable]) =>
        Object.entries(byVariable).map(([variable, values]) => ({ test, variable, values: strings(values) })),
      ),
    };
  });
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

/** The statement grants (or denies) `action`, honouring wildcards and NotAction. */
export function coversAction(statement: Statement, action: string): boolean {
  if (statement.notActions.length > 0) return !statement.notActions.some((p) => globToRegExp(p).test(action));
  return statement.actions.some((p) => globToRegExp(p).test(action));
}

/** The statement applies to every resource (`*`, or NotResource). */
export function onAllResources(statement: Statement): boolean {
  return statement.notResources.length > 0 || statement.resources.includes('*');
}

/** An identity-based statement: no principals (resource policies name who they apply to). */
export function isIdentityStatement(statement: Statement): boolean {
  return !statement.hasPrincipals;
}
