import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TerraformLocal, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { jsonencode } from '../modules/common/jsonencode';
import { decodeJsonencode } from './support/jsonencode';
import { tempDir } from './support/synth';
import { terraformSettings } from './support/terraform';

/** What one `jsonencode` call writes into the stack's JSON (a local's value). */
function written(document: (ref: string) => unknown): string {
  const stack = new TerraformStack(Testing.app(), 's');
  const v = new TerraformVariable(stack, 'v', { type: 'string' });
  new TerraformLocal(stack, 'x', jsonencode(document(v.stringValue)));
  return (JSON.parse(Testing.synth(stack)) as { locals: { x: string } }).locals.x;
}

/**
 * The JSON text Terraform computes for `attribute` with `var.v` set to `v`: `terraform console`
 * (no providers, no init) on a configuration holding it as a local. The HCL output holds the same
 * expression inside `"${...}"`, which Terraform reads with the same expression parser.
 */
function terraformComputes(attribute: string, v: string): string | undefined {
  const dir = tempDir('jsonencode');
  const config = { variable: { v: { type: 'string', default: v } }, locals: { x: attribute } };
  writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(config));
  try {
    const printed = execFileSync(terraformSettings.bin, ['console'], {
      cwd: dir,
      input: 'base64encode(local.x)\n',
      env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    return Buffer.from(JSON.parse(printed.toString()) as string, 'base64').toString('utf8');
  } catch (error) {
    if (terraformSettings.skip) return undefined; // no terraform here, skipped on request
    throw error;
  }
}

describe('jsonencode: JSON documents holding references, for JSON and HCL output alike', () => {
  // Text a Helm value or a Kubernetes object carries: quotes (a JAAS config), backslashes (a regex),
  // line breaks (an embedded file), a literal `${...}` (Strimzi's placeholders) and `%{`.
  const text = {
    jaas: 'ScramLoginModule required username="mm" password="${strimzidir:/opt/p:password}";',
    regex: 'genai-demo\\.production\\..*',
    file: '{\n  "pattern": "kafka\\\\.connect<type=X>"\n}\n',
    percent: '100%{x} %s',
    tab: 'a\tb\r',
    quotes: '"quoted"',
    unicode: 'é<>&',
  };

  test('the expression reads back as the document: references as interpolations, literal text as written', () => {
    const attribute = written((ref) => ({
      ...text,
      only: ref,
      mixed: `arn:${ref}:"q"`,
      list: [1, 2.5, true, [], {}, [ref]],
      'app.kubernetes.io/part-of': 'x',
      none: null,
      dropped: undefined,
    }));
    expect(attribute).toMatch(/^\$\{jsonencode\(\{/);
    expect(decodeJsonencode(attribute)).toEqual({
      ...text,
      only: '${var.v}',
      mixed: 'arn:${var.v}:"q"',
      list: [1, 2.5, true, [], {}, ['${var.v}']],
      'app.kubernetes.io/part-of': 'x',
      none: null,
    });
  });

  test('terraform itself computes the document, as JSON.stringify would write it', () => {
    const reference = 'ref"val\\x';
    const document = (ref: string) => ({ ...text, only: ref, mixed: `arn:${ref}:"q"`, list: [1, true, [], {}] });
    const computed = terraformComputes(written(document), reference);
    if (computed === undefined) return;
    expect(JSON.parse(computed)).toEqual(document(reference));
    expect(computed).toContain('password=\\"${strimzidir:/opt/p:password}\\"');
  });

  test('literal `${` and `%{` are escaped for Terraform, a reference is not', () => {
    const attribute = written((ref) => ({ jaas: text.jaas, percent: text.percent, mixed: `arn:${ref}` }));
    expect(attribute).toContain('password=\\"$${strimzidir:/opt/p:password}\\"');
    expect(attribute).toContain('"100%%{x} %s"');
    expect(attribute).toContain('"arn:${var.v}"');
    expect(decodeJsonencode(attribute, { templates: true })).toEqual({
      jaas: text.jaas.replace('${', () => '$${'),
      percent: '100%%{x} %s',
      mixed: 'arn:${var.v}',
    });
  });

  test('quotes and backslashes are escaped once: the expression stays one string literal each', () => {
    const attribute = written(() => ({ q: '"', b: '\\', qb: '\\"' }));
    expect(attribute).toBe('${jsonencode({"q" = "\\"", "b" = "\\\\", "qb" = "\\\\\\""})}');
  });

  test.each([
    ['a key with a double quote', { 'say "hi"': 1 }, /key "say \\"hi\\"" of the document cannot be written as HCL/],
    ['a key with a backslash', { a: { 'b\\c': 1 } }, /key "b\\\\c" of \.a cannot be written as HCL/],
    ['a key with a template sequence', { '${x}': 1 }, /key "\$\{x\}" of the document/],
    ['a null list element', { a: [1, null] }, /\.a\[1\] is null, which cdktf drops from lists/],
    ['a number JSON cannot hold', { a: [Number.NaN] }, /\.a\[0\] is NaN, which JSON cannot hold/],
    ['a function', { a: () => 1 }, /\.a is not a JSON value \(function\)/],
    ['a class instance', { a: new Date(0) }, /\.a is not a JSON value \(object\)/],
  ])('refuses %s', (_what, document, message) => {
    expect(() => written(() => document)).toThrow(message);
  });
});
