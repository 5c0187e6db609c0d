/**
 * AWS Backup rules: vaults under a customer-managed key and locked, plans that expire their
 * recovery points and copy them to another region (docs/data.md, "AWS Backup").
 */
import {
  arnRegion,
  asNumber,
  block,
  blocks,
  isCustomerManagedKey,
  isExpression,
  referencedAddresses,
  references,
  type Attributes,
} from '../attributes';
import type { ResourceView, StackView } from '../types';
import { problemUnless, resourceRule, stackRule } from './define';

const SERVICE = 'Backup';

/** A day count that is set: a whole number of at least one day, or a value Terraform computes. */
function isDays(value: unknown): boolean {
  const days = asNumber(value);
  return isExpression(value) || (days !== undefined && days >= 1);
}

/** The vault a `backup_vault_name` value names: by reference, or by its literal name. */
function namesVault(value: unknown, vault: ResourceView): boolean {
  return references(value, vault) || (typeof value === 'string' && value === vault.attributes.name);
}

/** The locks of `vault` in the stack. */
function locksOf(stack: StackView, vault: ResourceView): ResourceView[] {
  return stack
    .ofType('aws_backup_vault_lock_configuration')
    .filter((l) => namesVault(l.attributes.backup_vault_name, vault));
}

/** The vault name at the end of a literal backup vault ARN (`...:backup-vault:<name>`). */
const vaultNameOf = (arn: string) => /:backup-vault:([^:${}]+)$/.exec(arn)?.[1];

/** What keeps a copy action from being an expiring copy in another region (empty: it is one). */
function copyProblems(stack: StackView, plan: ResourceView, rule: Attributes, copy: Attributes): string[] {
  const destination = copy.destination_vault_arn;
  const problems: string[] = [];
  if (typeof destination !== 'string' || destination.length === 0) problems.push('has no destination_vault_arn');
  else {
    const referenced = stack.referenced(destination);
    // A literal ARN may still reference the partition or account: only a vault's region counts.
    const region = referenced?.type === 'aws_backup_vault' ? referenced.region : arnRegion(destination, 'backup');
    const target = rule.target_vault_name;
    const targetName = isExpression(target) ? stack.referenced(target)?.attributes.name : target;
    const sameRegion = region !== undefined && region === plan.region;
    const vaults = (value: unknown) => referencedAddresses(value).filter((a) => a.startsWith('aws_backup_vault.'));
    // The rule's own vault: the same vault resource, or its name in an ARN of the same (or an unknown) region.
    const ownVault =
      vaults(target).some((a) => vaults(destination).includes(a)) ||
      (typeof targetName === 'string' &&
        targetName === vaultNameOf(destination) &&
        (region === undefined || plan.region === undefined || sameRegion));
    if (ownVault) problems.push("copies into the rule's own vault");
    else if (sameRegion) problems.push(`copies within ${region} (a regional outage takes both copies)`);
  }
  if (!isDays(block(copy.lifecycle)?.delete_after)) {
    problems.push('has no lifecycle.delete_after (copies kept forever, past any vault lock maximum)');
  }
  return problems;
}

export const backupRules = [
  resourceRule({
    id: 'MRP-BACKUP-1',
    service: SERVICE,
    rationale: 'Backup vaults encrypt recovery points with a customer-managed KMS key (kms_key_arn).',
    appliesTo: ['aws_backup_vault'],
    check: (r) =>
      problemUnless(
        isCustomerManagedKey(r.attributes.kms_key_arn),
        'kms_key_arn is not a customer-managed key (unset: the AWS managed aws/backup key)',
      ),
  }),
  stackRule({
    id: 'MRP-BACKUP-2',
    service: SERVICE,
    rationale:
      'Every backup vault has a vault lock with min_retention_days, so no one deletes recovery points before they expire.',
    check: (stack) =>
      stack.ofType('aws_backup_vault').flatMap((vault) => {
        const locks = locksOf(stack, vault);
        if (locks.length === 0)
          return [{ resource: vault, problem: 'no aws_backup_vault_lock_configuration locks the vault' }];
        return locks.some((l) => isDays(l.attributes.min_retention_days))
          ? []
          : [
              {
                resource: vault,
                problem: `the vault lock sets min_retention_days ${String(locks[0].attributes.min_retention_days ?? 'unset')} (recovery points can be deleted at any time)`,
              },
            ];
      }),
  }),
  resourceRule({
    id: 'MRP-BACKUP-3',
    service: SERVICE,
    rationale: 'Every backup plan rule expires its recovery points (lifecycle.delete_after): none is kept forever.',
    appliesTo: ['aws_backup_plan'],
    check: (r) => {
      const rules = blocks(r.attributes.rule);
      if (rules.length === 0) return ['the plan has no rule'];
      return rules
        .filter((rule) => !isDays(block(rule.lifecycle)?.delete_after))
        .map((rule) => `rule ${String(rule.rule_name)} has no lifecycle.delete_after (recovery points kept forever)`);
    },
  }),
  stackRule({
    id: 'MRP-BACKUP-4',
    service: SERVICE,
    rationale:
      'Every backup plan rule copies its recovery points to a vault in another region (copy_action), with their own expiry.',
    check: (stack) =>
      stack.ofType('aws_backup_plan').flatMap((plan) =>
        blocks(plan.attributes.rule).flatMap((rule) => {
          const name = String(rule.rule_name);
          const copies = blocks(rule.copy_action);
          if (copies.length === 0)
            return [{ resource: plan, problem: `rule ${name} has no copy_action to another region` }];
          const problems = copies.map((copy) => copyProblems(stack, plan, rule, copy));
          if (problems.some((p) => p.length === 0)) return [];
          return problems.flatMap((p, i) =>
            p.map((problem) => ({ resource: plan, problem: `rule ${name}, copy_action ${i + 1} ${problem}` })),
          );
        }),
      ),
  }),
];
