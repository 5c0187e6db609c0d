/**
 * Readers for synthesized attributes. Values Terraform computes at plan time are `${...}` strings:
 * a rule can tell that such a value is set, but not what it will be.
 */
import type { ResourceView, StackView } from './types';

export type Attributes = Readonly<Record<string, unknown>>;

const EXPRESSION_RE = /\$\{/;

/** True for a `${...}` expression (a reference, variable or function call) or an unresolved token. */
export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && (EXPRESSION_RE.test(value) || value.includes('TfToken['));
}

/** Set to something (a literal or an expression), not empty. */
export function isSet(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim().length > 0;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** Literally true (Terraform accepts the string "true" in JSON as well). */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** Literally false. */
export function isFalse(value: unknown): boolean {
  return value === false || value === 'false';
}

/** A number, or a numeric string; undefined for expressions and anything else. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return undefined;
}

/** A nested block as a list: JSON output writes blocks as an object or a list of objects. */
export function blocks(value: unknown): Attributes[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is Attributes => typeof v === 'object' && v !== null && !Array.isArray(v));
}

/** The first (usually only) instance of a nested block. */
export function block(value: unknown): Attributes | undefined {
  return blocks(value)[0];
}

/** Reads a nested path of single blocks, e.g. `nested(attrs, 'encryption_info', 'encryption_in_transit')`. */
export function nested(attributes: Attributes | undefined, ...keys: string[]): Attributes | undefined {
  let current = attributes;
  for (const key of keys) {
    if (!current) return undefined;
    current = block(current[key]);
  }
  return current;
}

/** A list of strings (a single string counts as a list of one); expressions stay as they are. */
export function strings(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is string => typeof v === 'string');
}

/** `lifecycle { prevent_destroy = true }` is set. */
export function preventsDestroy(resource: ResourceView): boolean {
  return isTrue(block(resource.attributes.lifecycle)?.prevent_destroy);
}

/** Terraform addresses referenced by a value, e.g. `${aws_s3_bucket.b.id}` -> `aws_s3_bucket.b`. */
export function referencedAddresses(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  const found: string[] = [];
  for (const match of value.matchAll(/\$\{(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)/g)) {
    found.push(`${match[1] ?? ''}${match[2]}.${match[3]}`);
  }
  return found;
}

/** True when `value` references `target` (any of its attributes). */
export function references(value: unknown, target: ResourceView): boolean {
  return strings(value).some((s) => referencedAddresses(s).includes(target.address));
}

/** Resources of `type` whose `attribute` references `target`. */
export function referrers(stack: StackView, type: string, attribute: string, target: ResourceView): ResourceView[] {
  return stack.ofType(type).filter((r) => references(r.attributes[attribute], target));
}

/** Customer-managed key reference, i.e. set and not an AWS-managed `alias/aws/...` key. */
export function isCustomerManagedKey(value: unknown): boolean {
  return isSet(value) && !(typeof value === 'string' && /(^|:)alias\/aws\//.test(value));
}

/**
 * The region of an ARN of `service` whose region field is literal, e.g. `eu-west-1` of
 * `arn:${partition}:backup:eu-west-1:${account}:backup-vault:v`; undefined otherwise.
 */
export function arnRegion(value: unknown, service: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  return new RegExp(`^arn:[^\\s]*?:${service}:([a-z]{2}(?:-[a-z]+)+-\\d+):`).exec(value)?.[1];
}
