import { TerraformDataSource, TerraformResource, type TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { suppressionsOn, type PolicySuppression } from '../../modules/common/policy';
import { PlatformStack } from '../stacks/platform-stack';
import { blocks, isExpression, referencedAddresses } from './attributes';
import { RULES } from './rules';
import type { Finding, PolicyRule, ResourceView, StackView, SuppressedFinding } from './types';

/** A suppression reason must say something: at least this many characters. */
export const MIN_REASON_LENGTH = 15;

interface Element {
  readonly view: ResourceView;
  readonly construct: IConstruct;
}

/** The parts of a stack's synthesized Terraform JSON the pack reads. */
export interface TerraformJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly provider?: Record<string, unknown>;
}

/**
 * Every resource and data source of a stack's Terraform JSON that came from a construct (its
 * metadata names the construct path), in the shape Terraform will read. Pure: also reads a
 * synthesized `cdk.tf.json` back from disk.
 */
export function terraformViews(json: TerraformJson): ResourceView[] {
  const regionOf = awsRegions(json.provider);
  const views: ResourceView[] = [];
  for (const kind of ['resource', 'data'] as const) {
    for (const [type, byName] of Object.entries(json[kind] ?? {})) {
      for (const [name, body] of Object.entries(byName)) {
        const { ['//']: metadata, ...attributes } = body;
        const path = (metadata as { metadata?: { path?: string } } | undefined)?.metadata?.path;
        if (path === undefined) continue;
        views.push({
          kind,
          type,
          address: `${kind === 'data' ? 'data.' : ''}${type}.${name}`,
          path,
          attributes,
          ...(type.startsWith('aws_') ? { region: regionOf(attributes.provider) } : {}),
        });
      }
    }
  }
  return views;
}

/**
 * Every resource and data source of a stack with its construct, taken from the stack's resolved
 * Terraform JSON. A PlatformStack resolves that JSON once here and hands the same object to the
 * synthesizer (`freezeTerraform`), so checking costs no second resolution.
 */
export function stackElements(stack: TerraformStack): Element[] {
  const json = (stack instanceof PlatformStack ? stack.freezeTerraform() : stack.toTerraform()) as TerraformJson;
  const byPath = new Map<string, IConstruct>();
  for (const node of stack.node.findAll()) {
    if (TerraformResource.isTerraformResource(node) || TerraformDataSource.isTerraformDataSource(node)) {
      byPath.set(node.node.path, node);
    }
  }
  return terraformViews(json).flatMap((view) => {
    const construct = byPath.get(view.path);
    return construct ? [{ construct, view }] : []; // not from a construct of this stack
  });
}

/**
 * The region of each aws provider of a stack, by the value a resource's `provider` meta-argument
 * takes (`aws.<alias>`; no value: the default provider). Only literal regions: a region Terraform
 * computes is unknown here.
 */
function awsRegions(providers: Record<string, unknown> | undefined): (provider: unknown) => string | undefined {
  const byAlias = new Map<string, string>();
  for (const config of blocks(providers?.aws)) {
    const region = config.region;
    if (typeof region === 'string' && region.length > 0 && !isExpression(region)) {
      byAlias.set(typeof config.alias === 'string' ? `aws.${config.alias}` : 'aws', region);
    }
  }
  return (provider) => byAlias.get(typeof provider === 'string' ? provider : 'aws');
}

/** A StackView over resolved resources (also handy to unit-test stack rules with literal views). */
export function createStackView(resources: readonly ResourceView[]): StackView {
  const byAddress = new Map(resources.map((r) => [r.address, r]));
  return {
    resources,
    ofType: (type) => resources.filter((r) => r.kind === 'resource' && r.type === type),
    referenced: (value) => {
      for (const address of referencedAddresses(value)) {
        const found = byAddress.get(address);
        if (found) return found;
      }
      return undefined;
    },
  };
}

/** Raw findings of `rules` over a set of resources, before suppressions. */
export function checkResources(resources: readonly ResourceView[], rules: readonly PolicyRule[] = RULES): Finding[] {
  const findings: Finding[] = [];
  const add = (rule: PolicyRule, resource: ResourceView, problem: string) =>
    findings.push({
      ruleId: rule.id,
      rationale: rule.rationale,
      path: resource.path,
      address: resource.address,
      problem,
    });
  const stack = createStackView(resources);
  for (const rule of rules) {
    if (rule.scope === 'stack') {
      for (const f of rule.check(stack)) add(rule, f.resource, f.problem);
      continue;
    }
    for (const resource of resources) {
      const type = resource.kind === 'data' ? `data.${resource.type}` : resource.type;
      if (!rule.appliesTo.includes(type)) continue;
      for (const problem of rule.check(resource)) add(rule, resource, problem);
    }
  }
  return findings;
}

export interface Evaluation {
  /** Violations: each fails synth. */
  readonly findings: readonly Finding[];
  /** Violations accepted by a suppression with its reason. */
  readonly suppressed: readonly SuppressedFinding[];
  /** Invalid suppressions (no reason, unknown rule, matching nothing): each fails synth. */
  readonly suppressionErrors: readonly string[];
}

/** Runs the pack over one stack and applies the suppressions declared in its construct tree. */
export function evaluateStack(stack: TerraformStack, rules: readonly PolicyRule[] = RULES): Evaluation {
  const elements = stackElements(stack);
  const constructByPath = new Map(elements.map((e) => [e.view.path, e.construct]));
  const known = new Set(rules.map((r) => r.id));
  const used = new Set<PolicySuppression>();
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];

  for (const finding of checkResources(
    elements.map((e) => e.view),
    rules,
  )) {
    const construct = constructByPath.get(finding.path)!;
    // The nearest declaration wins: walk from the resource up to the stack.
    const match = [...construct.node.scopes]
      .reverse()
      .flatMap((scope) => suppressionsOn(scope).map((s) => ({ scope, s })))
      .find(({ s }) => s.ruleId === finding.ruleId && validReason(s));
    if (match) {
      used.add(match.s);
      suppressed.push({ ...finding, reason: match.s.reason, suppressedAt: match.scope.node.path });
    } else findings.push(finding);
  }

  const suppressionErrors: string[] = [];
  for (const node of stack.node.findAll()) {
    for (const s of suppressionsOn(node)) {
      const at = `${node.node.path}: suppression of ${s.ruleId}`;
      if (!known.has(s.ruleId)) suppressionErrors.push(`${at} names no known rule (see docs/policy.md)`);
      else if (!validReason(s))
        suppressionErrors.push(`${at} needs a written reason of at least ${MIN_REASON_LENGTH} characters`);
      else if (!used.has(s)) suppressionErrors.push(`${at} matches no finding: remove it`);
    }
  }
  return { findings, suppressed, suppressionErrors };
}

function validReason(s: PolicySuppression): boolean {
  return typeof s.reason === 'string' && s.reason.trim().length >= MIN_REASON_LENGTH && s.reason.trim() !== s.ruleId;
}

/** One line per finding: rule id, construct path, Terraform address, problem and rationale. */
export function formatFinding(f: Finding): string {
  return `[${f.ruleId}] ${f.path} (${f.address}): ${f.problem}. Rule: ${f.rationale}`;
}

/** The messages that fail synth for an evaluation. */
export function evaluationErrors(evaluation: Evaluation): string[] {
  const errors = [...evaluation.findings.map(formatFinding), ...evaluation.suppressionErrors];
  if (evaluation.findings.length > 0) {
    errors.push(
      "Fix the resources above, or accept a finding with suppress(construct, '<rule id>', '<reason>') from modules/common/policy.ts (docs/policy.md).",
    );
  }
  return errors;
}
