// Reads back a value cdktf wrote as `${jsonencode(<HCL value>)}` in the synthesized JSON (dashboard
// bodies, Helm values holding references): for the deploy-readiness check and the tests.

export interface DecodeOptions {
  /**
   * Strings as Terraform templates: the escapes `$${` and `%%{` of literal text stay as written, so
   * literal text (`$${strimzidir:...}`) and an interpolation (`${data.x.y}`) stay apart.
   * @default false - escapes read as the text Terraform produces (`${strimzidir:...}`)
   */
  readonly templates?: boolean;
}

/**
 * The value inside `${jsonencode(...)}`: objects, lists, strings, numbers and booleans as in JSON;
 * each bare reference or function call becomes the string `${<expression>}`, as Terraform would
 * interpolate it; strings keep their own `${...}` interpolations. Throws on anything else.
 */
export function decodeJsonencode(attribute: unknown, options: DecodeOptions = {}): unknown {
  const text = String(attribute);
  const match = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(text);
  if (!match) throw new Error(`not a \${jsonencode(...)} expression: ${text.slice(0, 80)}`);
  const reader = new Reader(match[1], options.templates ?? false);
  const value = reader.value();
  reader.end();
  return value;
}

class Reader {
  private at = 0;

  constructor(
    private readonly text: string,
    private readonly templates: boolean,
  ) {}

  value(): unknown {
    this.space();
    const c = this.text[this.at];
    if (c === '{') return this.object();
    if (c === '[') return this.list();
    if (c === '"') return this.string();
    const literal = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)(?=[\s,\]})]|$)/.exec(this.text.slice(this.at));
    if (literal) {
      this.at += literal[0].length;
      return JSON.parse(literal[0]) as unknown;
    }
    return `\${${this.expression()}}`;
  }

  end(): void {
    this.space();
    if (this.at !== this.text.length) this.fail('end of the value');
  }

  private object(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.expect('{');
    for (this.space(); this.text[this.at] !== '}'; this.space()) {
      const key = this.text[this.at] === '"' ? this.string() : this.expression();
      this.space();
      if (this.text[this.at] !== '=' && this.text[this.at] !== ':') this.fail('= after an object key');
      this.at++;
      result[key] = this.value();
      this.separator('}');
    }
    this.at++;
    return result;
  }

  private list(): unknown[] {
    const result: unknown[] = [];
    this.expect('[');
    for (this.space(); this.text[this.at] !== ']'; this.space()) {
      result.push(this.value());
      this.separator(']');
    }
    this.at++;
    return result;
  }

  /** A quoted HCL string; `${...}` interpolations stay as they are, `$${` and `%%{` are escapes. */
  private string(): string {
    this.expect('"');
    let result = '';
    for (;;) {
      const c = this.text[this.at];
      if (c === undefined) this.fail('a closing quote');
      if (c === '"') break;
      if (c === '\\') {
        const escaped = this.text[this.at + 1];
        if (escaped === 'u') {
          result += String.fromCharCode(parseInt(this.text.slice(this.at + 2, this.at + 6), 16));
          this.at += 6;
          continue;
        }
        const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
        if (!(escaped in simple)) this.fail('a known escape');
        result += simple[escaped];
        this.at += 2;
        continue;
      }
      if (this.text.startsWith('$${', this.at) || this.text.startsWith('%%{', this.at)) {
        result += this.templates ? `${c}${c}{` : `${c}{`;
        this.at += 3;
        continue;
      }
      if (this.text.startsWith('${', this.at)) {
        const start = this.at;
        this.at += 2;
        this.expression('}');
        this.expect('}');
        result += this.text.slice(start, this.at);
        continue;
      }
      result += c;
      this.at++;
    }
    this.at++;
    return result;
  }

  /** A bare expression (reference, function call): up to a separator outside brackets and strings. */
  private expression(until = ''): string {
    const start = this.at;
    const open: string[] = [];
    const closing: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
    for (;;) {
      const c = this.text[this.at];
      if (c === undefined) break;
      if (open.length === 0 && (c === ',' || c === ']' || c === '}' || c === ')' || c === '=' || c === until)) break;
      if (c === '"') {
        this.string();
        continue;
      }
      if (c in closing) open.push(closing[c]);
      else if (c === open[open.length - 1]) open.pop();
      this.at++;
    }
    const expression = this.text.slice(start, this.at).trim();
    if (!expression) this.fail('a value');
    return expression;
  }

  private separator(close: string): void {
    this.space();
    if (this.text[this.at] === ',') this.at++;
    else if (this.text[this.at] !== close) this.fail(`, or ${close}`);
  }

  private expect(c: string): void {
    if (this.text[this.at] !== c) this.fail(c);
    this.at++;
  }

  private space(): void {
    while (/\s/.test(this.text[this.at] ?? '')) this.at++;
  }

  private fail(expected: string): never {
    throw new Error(`jsonencode: expected ${expected} at ${this.at}: ...${this.text.slice(this.at, this.at + 60)}`);
  }
}
