import { TerraformStack, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { evaluateStack, evaluationErrors } from './engine';
import { RULES } from './rules';
import type { PolicyRule, SuppressedFinding } from './types';

/** What the pack accepted in each stack it checked (filled when the stack validates). */
const accepted = new WeakMap<TerraformStack, readonly SuppressedFinding[]>();

/** The findings suppressions accepted in `stack` at its last validation (none before synth). */
export function acceptedFindings(stack: TerraformStack): readonly SuppressedFinding[] {
  return accepted.get(stack) ?? [];
}

/**
 * The security policy pack as an Aspect (cdk-nag style). Added to every stack; on the stack node
 * it registers a validation, so the rules run after every aspect (tagging included) has finished
 * changing resources and any finding fails `app.synth()` with the construct path of the resource.
 * What suppressions accepted is kept per stack (`acceptedFindings`): the synth writes it next to the
 * output for `npm run report`. Idempotent: platform stacks invoke their aspects before cdktf does
 * (`FrozenTerraformStack` in src/cdktf-workarounds.ts), and a pack registers one validation per stack.
 */
export class PolicyAspect implements IAspect {
  /** Stacks this pack registered its validation on: a second visit adds none (aspects may run twice). */
  private readonly registered = new WeakSet<TerraformStack>();

  constructor(private readonly rules: readonly PolicyRule[] = RULES) {}

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node) || this.registered.has(node)) return;
    const stack = node;
    this.registered.add(stack);
    node.node.addValidation({
      validate: () => {
        const evaluation = evaluateStack(stack, this.rules);
        accepted.set(stack, evaluation.suppressed);
        return evaluationErrors(evaluation);
      },
    });
  }
}
