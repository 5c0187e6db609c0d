import { strings } from '../attributes';
import {
  coversAction,
  documentStatements,
  isIdentityStatement,
  jsonStatements,
  onAllResources,
  type Statement,
} from '../statements';
import type { ResourceView } from '../types';
import { problemUnless, resourceRule } from './define';

const SERVICE = 'IAM';

/** Where policies live: documents (this repository's way) and literal JSON on policy resources. */
const POLICY_SOURCES = [
  'data.aws_iam_policy_document',
  'aws_iam_policy',
  'aws_iam_role_policy',
  'aws_iam_user_policy',
  'aws_iam_group_policy',
];

function statementsOf(r: ResourceView): Statement[] {
  return r.kind === 'data' ? documentStatements(r.attributes) : jsonStatements(r.attributes.policy);
}

const identityAllows = (r: ResourceView) =>
  statementsOf(r).filter((s) => s.effect === 'Allow' && isIdentityStatement(s));

/**
 * Actions that let a principal grant itself more permissions (the well-known IAM privilege
 * escalation paths); allowed only on named resources.
 */
export const ESCALATION_ACTIONS = [
  'iam:CreatePolicyVersion',
  'iam:SetDefaultPolicyVersion',
  'iam:AttachRolePolicy',
  'iam:AttachUserPolicy',
  'iam:AttachGroupPolicy',
  'iam:PutRolePolicy',
  'iam:PutUserPolicy',
  'iam:PutGroupPolicy',
  'iam:UpdateAssumeRolePolicy',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:UpdateLoginProfile',
  'iam:AddUserToGroup',
  'iam:PutRolePermissionsBoundary',
  'iam:DeleteRolePermissionsBoundary',
] as const;

/** AWS managed policies too broad to attach to anything this platform creates. */
export const ADMIN_MANAGED_POLICIES = ['AdministratorAccess', 'PowerUserAccess', 'IAMFullAccess'] as const;

export const iamRules = [
  resourceRule({
    id: 'MRP-IAM-1',
    service: SERVICE,
    rationale: 'No identity policy allows every action ("*") on every resource.',
    appliesTo: POLICY_SOURCES,
    check: (r) =>
      problemUnless(
        !identityAllows(r).some((s) => onAllResources(s) && coversAction(s, 'anyservice:AnyAction')),
        'a statement allows "*" actions on "*" resources',
      ),
  }),
  resourceRule({
    id: 'MRP-IAM-2',
    service: SERVICE,
    rationale: 'iam:PassRole is granted on named roles only, never on "*".',
    appliesTo: POLICY_SOURCES,
    check: (r) =>
      problemUnless(
        !identityAllows(r).some((s) => onAllResources(s) && coversAction(s, 'iam:PassRole')),
        'a statement allows iam:PassRole on "*"',
      ),
  }),
  resourceRule({
    id: 'MRP-IAM-3',
    service: SERVICE,
    rationale: 'No privilege-escalation action (policy versions, attach/put policies, access keys...) on "*".',
    appliesTo: POLICY_SOURCES,
    check: (r) => {
      const found = ESCALATION_ACTIONS.filter((action) =>
        identityAllows(r).some((s) => onAllResources(s) && coversAction(s, action)),
      );
      return problemUnless(found.length === 0, `a statement allows ${found.join(', ')} on "*"`);
    },
  }),
  resourceRule({
    id: 'MRP-IAM-4',
    service: SERVICE,
    rationale: `None of ${ADMIN_MANAGED_POLICIES.join(', ')} is attached: grant what a role needs.`,
    appliesTo: [
      'aws_iam_role_policy_attachment',
      'aws_iam_user_policy_attachment',
      'aws_iam_group_policy_attachment',
      'aws_iam_policy_attachment',
      'aws_iam_role',
    ],
    check: (r) => {
      const arns = [...strings(r.attributes.policy_arn), ...strings(r.attributes.managed_policy_arns)];
      const admin = arns.filter((arn) => ADMIN_MANAGED_POLICIES.some((p) => arn.endsWith(`:policy/${p}`)));
      return problemUnless(admin.length === 0, `attaches ${admin.join(', ')}`);
    },
  }),
  resourceRule({
    id: 'MRP-IAM-5',
    service: SERVICE,
    rationale: 'No resource policy allows anyone (Principal "*") without a condition narrowing who.',
    appliesTo: POLICY_SOURCES,
    check: (r) =>
      problemUnless(
        !statementsOf(r).some(
          (s) =>
            s.effect === 'Allow' && s.conditions.length === 0 && s.principals.some((p) => p === '*:*' || p === 'AWS:*'),
        ),
        'a statement allows Principal "*" without a condition',
      ),
  }),
  resourceRule({
    id: 'MRP-IAM-6',
    service: SERVICE,
    rationale: 'No long-lived IAM access keys: their secret would sit in Terraform state.',
    appliesTo: ['aws_iam_access_key'],
    check: () => ['an aws_iam_access_key is created'],
  }),
];
