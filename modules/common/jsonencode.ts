import { Fn, Tokenization } from 'cdktf';

/**
 * `jsonencode(...)` of a JSON document that holds references (Helm values, Kubernetes objects):
 * Terraform computes the JSON text, and cdktf writes the expression correctly in both its outputs.
 * `JSON.stringify` around references is not written correctly as HCL: cdktf 0.21 leaves the double
 * quotes of any string holding `${` unescaped, so `npm run synth:hcl` writes a file that does not parse.
 *
 * cdktf writes the string literals inside the expression with only line breaks and `${` escaped
 * (`$${`, so text such as Strimzi's `${strimzidir:...}` placeholders reaches the cluster as written),
 * so the rest of what a Terraform string literal needs (`\`, `"`, other control characters, `%{`)
 * is escaped here; references inside strings stay references. cdktf writes object keys with no
 * escaping at all, and a null list element as nothing: those are refused.
 */
export function jsonencode(document: unknown): string {
  return Fn.jsonencode(literals(document, '')) as string;
}

/** The document with its string literals escaped; throws on what JSON cannot hold. */
function literals(value: unknown, path: string): unknown {
  const where = path || 'the document';
  if (typeof value === 'string') return escapeLiteral(value);
  if (typeof value === 'boolean' || value === null || Tokenization.isResolvable(value)) return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`jsonencode: ${where} is ${value}, which JSON cannot hold`);
    return value;
  }
  if (Array.isArray(value))
    return value.map((v, i) => {
      // cdktf 0.21 writes a null list element as nothing at all (`[1, , 2]`).
      if (v === null || v === undefined)
        throw new Error(`jsonencode: ${path}[${i}] is null, which cdktf drops from lists`);
      return literals(v, `${path}[${i}]`);
    });
  if (typeof value !== 'object' || ![Object.prototype, null].includes(Object.getPrototypeOf(value) as object))
    throw new Error(`jsonencode: ${where} is not a JSON value (${typeof value})`);
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined) // left out, as JSON.stringify does
      .map(([key, v]) => {
        if (/["\\\p{Cc}]|[$%]\{/u.test(key))
          throw new Error(`jsonencode: key ${JSON.stringify(key)} of ${where} cannot be written as HCL`);
        return [key, literals(v, `${path}.${key}`)];
      }),
  );
}

/** Escapes for a Terraform string literal, except the line breaks and `${` cdktf escapes itself. */
function escapeLiteral(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/%\{/g, '%%{')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/(?!\n)\p{Cc}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
