/** Small predicates shared by the config validators. */
export const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

export const isIntIn = (v: unknown, min: number, max: number): v is number => isInt(v) && v >= min && v <= max;
