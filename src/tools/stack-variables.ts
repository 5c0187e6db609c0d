/**
 * Values of the input variables a synthesized stack declares, for the pipeline's plan and apply
 * steps. Pure; stack-variables-cli.ts reads the stacks and the environment and writes the result
 * to $GITHUB_ENV as TF_VAR_<name>, the way terraform reads variables without a command line
 * (`-var` would put the value in cdktf's debug log and in the process list).
 *
 * Every variable maps to one GitHub secret named after it in upper snake case
 * (`aurora_master_password` -> AURORA_MASTER_PASSWORD, `msk_scram_password_eu_west` ->
 * MSK_SCRAM_PASSWORD_EU_WEST), except region-scoped variables: each regional stack declares the
 * same name for its own region's value, so `msk_scram_password` of `region-eu-west` also reads
 * MSK_SCRAM_PASSWORD_EU_WEST. One secret per value, whichever stack needs it.
 */
import { regionOf } from './deploy-plan';

/** Variables every regional stack declares under the same name, each with its own region's value. */
export const REGION_SCOPED_VARIABLES: readonly string[] = ['msk_scram_password'];

/** A `variable` block entry of a synthesized stack, reduced to what supplying it needs. */
export interface DeclaredVariable {
  readonly name: string;
  /** No default: plan and apply fail without a value. */
  readonly required: boolean;
  /** Terraform >= 1.10 ephemeral variable: kept out of plan and state, only usable in write-only arguments. */
  readonly ephemeral: boolean;
}

export interface StackVariables {
  readonly stack: string;
  readonly variables: readonly DeclaredVariable[];
}

/** One TF_VAR_ environment variable for the steps after this one. */
export interface Assignment {
  /** `TF_VAR_<variable>`. */
  readonly name: string;
  readonly value: string;
  /** Where the value came from: the secret's name, or `generated` for a speculative plan. */
  readonly source: string;
  /** Stacks that read it. */
  readonly stacks: readonly string[];
}

export class StackVariablesError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'StackVariablesError';
  }
}

/** The variables a stack declares, from the text of its cdk.tf.json. */
export function declaredVariables(stack: string, text: string): StackVariables {
  const json = JSON.parse(text) as { variable?: Record<string, { default?: unknown; ephemeral?: boolean }> };
  const variables = Object.entries(json.variable ?? {})
    .map(([name, body]) => ({ name, required: !('default' in body), ephemeral: body.ephemeral === true }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { stack, variables };
}

const upperSnake = (text: string) => text.replace(/-/g, '_').toUpperCase();

/** The GitHub secret that holds a stack's variable. */
export function secretName(stack: string, variable: string, regions: readonly string[]): string {
  if (!REGION_SCOPED_VARIABLES.includes(variable)) return upperSnake(variable);
  const region = regionOf(stack, regions);
  if (!region) {
    throw new StackVariablesError([
      `stack ${stack} declares ${variable}, which is per region, but belongs to no region (${regions.join(', ')})`,
    ]);
  }
  return upperSnake(`${variable}_${region}`);
}

/** Adds one variable of one stack, refusing two different sources for the same TF_VAR_ name. */
function merge(into: Map<string, Assignment>, stack: string, next: Omit<Assignment, 'stacks'>, problems: string[]) {
  const previous = into.get(next.name);
  if (!previous) {
    into.set(next.name, { ...next, stacks: [stack] });
  } else if (previous.source !== next.source) {
    problems.push(
      `${next.name} would need ${previous.source} for ${previous.stacks.join(', ')} and ${next.source} for ${stack}: run these stacks in separate steps`,
    );
  } else {
    into.set(next.name, { ...previous, stacks: [...previous.stacks, stack] });
  }
}

/**
 * Values from secrets (deploys). A required variable whose secret is unset or empty is an error;
 * all missing secrets are reported together. A variable with a default takes the secret when set.
 */
export function fromSecrets(
  stacks: readonly StackVariables[],
  secrets: Readonly<Record<string, string | undefined>>,
  regions: readonly string[],
): Assignment[] {
  const problems: string[] = [];
  const result = new Map<string, Assignment>();
  for (const { stack, variables } of stacks) {
    for (const variable of variables) {
      let secret: string;
      try {
        secret = secretName(stack, variable.name, regions);
      } catch (error) {
        problems.push(...(error as StackVariablesError).problems);
        continue;
      }
      const value = secrets[secret];
      if (value === undefined || value === '') {
        if (variable.required)
          problems.push(`stack ${stack} needs the variable ${variable.name}: the secret ${secret} is missing or empty`);
        continue;
      }
      if (/[\r\n]/.test(value)) {
        problems.push(`the secret ${secret} (variable ${variable.name} of ${stack}) contains a line break`);
        continue;
      }
      merge(result, stack, { name: `TF_VAR_${variable.name}`, value, source: secret }, problems);
    }
  }
  if (problems.length > 0) throw new StackVariablesError(problems);
  return [...result.values()];
}

/**
 * Throwaway values for a speculative plan that is never applied (pull requests). Only ephemeral
 * variables qualify: Terraform lets them reach nothing but write-only arguments, provider blocks
 * and ephemeral resources, so no planned attribute and nothing in state depends on the value.
 * Any other required variable is an error: its real value could change the plan.
 */
export function generated(stacks: readonly StackVariables[], random: () => string): Assignment[] {
  const problems: string[] = [];
  const result = new Map<string, Assignment>();
  for (const { stack, variables } of stacks) {
    for (const variable of variables.filter((v) => v.required)) {
      if (!variable.ephemeral) {
        problems.push(
          `stack ${stack} needs the variable ${variable.name}, which is not ephemeral: a speculative plan cannot use a throwaway value for it`,
        );
        continue;
      }
      const previous = result.get(`TF_VAR_${variable.name}`);
      const value = previous?.value ?? random();
      merge(result, stack, { name: `TF_VAR_${variable.name}`, value, source: 'generated' }, problems);
    }
  }
  if (problems.length > 0) throw new StackVariablesError(problems);
  return [...result.values()];
}

/** Lines for $GITHUB_ENV (`NAME=value`; values never contain line breaks, see fromSecrets). */
export function githubEnvLines(assignments: readonly Assignment[]): string {
  return assignments.map((a) => `${a.name}=${a.value}\n`).join('');
}

/** What the step log may show: names and sources, never values. */
export function describeAssignments(assignments: readonly Assignment[]): string[] {
  return assignments.map((a) => `${a.name} <- ${a.source} (${a.stacks.join(', ')})`);
}
