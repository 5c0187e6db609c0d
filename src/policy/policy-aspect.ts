import { TerraformStack, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { evaluateStack, evaluationErrors } from './engine';
import { RULES } from './rules';
import type { PolicyRule } from './types';

/**
 * The security policy pack as an Aspect (cdk-nag style). Added to every stack; on the stack node
 * it registers a validation, so the rules run after every aspect (tagging included) has finished
 * changing resources and any finding fails `app.synth()` with the construct path of the resource.
 */
export class PolicyAspect implements IAspect {
  constructor(private readonly rules: readonly PolicyRule[] = RULES) {}

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const stack = node;
    node.node.addValidation({ validate: () => evaluationErrors(evaluateStack(stack, this.rules)) });
  }
}
