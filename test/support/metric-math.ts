/**
 * A small evaluator of the CloudWatch metric math this project's alarms use, for one period:
 * numbers, metric ids, `IF(cond, a, b)`, `FILL(x, v)`, `MAX([..])`, `SUM([..])`, comparisons
 * (`> < >= <= == !=`, 1 or 0) and `+ - * /`. A metric without a datapoint in the period is
 * `undefined` ("missing"), as CloudWatch treats it: arithmetic and comparisons with a missing
 * value are missing, FILL replaces it, MAX/SUM skip it (missing when all are), IF on a missing
 * condition is missing.
 */
export type Values = Readonly<Record<string, number | undefined>>;

type Token = { kind: 'num'; value: number } | { kind: 'id'; value: string } | { kind: 'op'; value: string };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(>=|<=|==|!=|[-+*/<>(),[\]]))/y;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < src.length && (m = re.exec(src))) {
    if (m[1] !== undefined) tokens.push({ kind: 'num', value: Number(m[1]) });
    else if (m[2] !== undefined) tokens.push({ kind: 'id', value: m[2] });
    else tokens.push({ kind: 'op', value: m[3] });
    at = re.lastIndex;
  }
  if (src.slice(at).trim() !== '') throw new Error(`metric math: cannot read ${JSON.stringify(src.slice(at))}`);
  return tokens;
}

type Value = number | undefined | (number | undefined)[];

/** Evaluates `expression` with the given metric values; undefined is "no datapoint". */
export function evaluate(expression: string, values: Values): number | undefined {
  const tokens = tokenize(expression);
  let i = 0;
  /** The next token is one of these operators. */
  const nextIs = (...ops: string[]) => {
    const t = tokens[i];
    return t?.kind === 'op' && ops.includes(t.value);
  };
  const take = (op?: string) => {
    const t = tokens[i++];
    if (!t || (op !== undefined && (t.kind !== 'op' || t.value !== op))) {
      throw new Error(`metric math: expected ${op ?? 'a token'} at ${i - 1} in ${expression}`);
    }
    return t;
  };
  const scalar = (v: Value): number | undefined => {
    if (Array.isArray(v)) throw new Error(`metric math: an array where a value is expected in ${expression}`);
    return v;
  };
  const lift = (a: number | undefined, b: number | undefined, f: (x: number, y: number) => number) =>
    a === undefined || b === undefined ? undefined : f(a, b);

  const comparison = (): Value => {
    const left = additive();
    if (nextIs('>', '<', '>=', '<=', '==', '!=')) {
      const t = take();
      const right = scalar(additive());
      const cmp: Record<string, (x: number, y: number) => boolean> = {
        '>': (x, y) => x > y,
        '<': (x, y) => x < y,
        '>=': (x, y) => x >= y,
        '<=': (x, y) => x <= y,
        '==': (x, y) => x === y,
        '!=': (x, y) => x !== y,
      };
      return lift(scalar(left), right, (x, y) => (cmp[String(t.value)](x, y) ? 1 : 0));
    }
    return left;
  };
  const additive = (): Value => {
    let left = multiplicative();
    while (nextIs('+', '-')) {
      const op = take().value;
      const right = scalar(multiplicative());
      left = lift(scalar(left), right, (x, y) => (op === '+' ? x + y : x - y));
    }
    return left;
  };
  const multiplicative = (): Value => {
    let left = unary();
    while (nextIs('*', '/')) {
      const op = take().value;
      const right = scalar(unary());
      left = lift(scalar(left), right, (x, y) => (op === '*' ? x * y : x / y));
    }
    return left;
  };
  const unary = (): Value => {
    if (nextIs('-')) {
      i++;
      const v = scalar(unary());
      return v === undefined ? undefined : -v;
    }
    return primary();
  };
  const args = (): Value[] => {
    take('(');
    const out: Value[] = [comparison()];
    while (nextIs(',')) {
      i++;
      out.push(comparison());
    }
    take(')');
    return out;
  };
  const primary = (): Value => {
    const t = take();
    if (t.kind === 'num') return t.value;
    if (t.kind === 'op' && t.value === '(') {
      const v = comparison();
      take(')');
      return v;
    }
    if (t.kind === 'op' && t.value === '[') {
      const list: (number | undefined)[] = [scalar(comparison())];
      while (nextIs(',')) {
        i++;
        list.push(scalar(comparison()));
      }
      take(']');
      return list;
    }
    if (t.kind === 'id') {
      if (nextIs('(')) {
        const a = args();
        const present = (v: Value) => (Array.isArray(v) ? v : [v]).filter((x): x is number => x !== undefined);
        switch (t.value) {
          case 'IF': {
            if (a.length !== 3) throw new Error('metric math: IF takes 3 arguments');
            const c = scalar(a[0]);
            return c === undefined ? undefined : c !== 0 ? scalar(a[1]) : scalar(a[2]);
          }
          case 'FILL': {
            const v = scalar(a[0]);
            return v === undefined ? scalar(a[1]) : v;
          }
          case 'MAX':
            return present(a[0]).length ? Math.max(...present(a[0])) : undefined;
          case 'SUM':
            return present(a[0]).length ? present(a[0]).reduce((x, y) => x + y, 0) : undefined;
          default:
            throw new Error(`metric math: function ${t.value} is not modelled here`);
        }
      }
      if (!(t.value in values)) throw new Error(`metric math: no value for ${t.value} in ${expression}`);
      return values[t.value];
    }
    throw new Error(`metric math: unexpected ${t.value} in ${expression}`);
  };

  const result = scalar(comparison());
  if (i !== tokens.length) throw new Error(`metric math: trailing tokens in ${expression}`);
  return result;
}

/** Lower-case identifiers of an expression: the metric ids it reads (functions are upper case). */
export function idsOf(expression: string): string[] {
  return [...new Set([...expression.matchAll(/\b[a-z][A-Za-z0-9_]*\b/g)].map((m) => m[0]))];
}
