/**
 * The four operators, stored and served as their symbols. A const object and a string-literal
 * union rather than a TS enum: the Swagger CLI plugin inlines a union's values, whereas for an
 * enum it emits an `await import()` that breaks ESM builds (see swagger-types.ts).
 */
export const Operator = {
  Add: '+',
  Subtract: '-',
  Multiply: '*',
  Divide: '/',
} as const;
export type Operator = (typeof Operator)[keyof typeof Operator];

export const OPERATORS: readonly Operator[] = Object.values(Operator);

/**
 * Whether `answer` solves the task `first <operator> ? = second` (SPEC §7: `3 + ? = 7` is stored
 * as first 3, second 7, so the child must find 4). Null when the task was not answered.
 * Integers only: a division is correct only when exact (`first === second * answer`, answer ≠ 0),
 * so no floating point is involved.
 */
export function isCorrectAnswer(
  first: number,
  operator: Operator,
  second: number,
  answer: number | null | undefined,
): boolean | null {
  if (answer === null || answer === undefined) return null;
  switch (operator) {
    case Operator.Add:
      return first + answer === second;
    case Operator.Subtract:
      return first - answer === second;
    case Operator.Multiply:
      return first * answer === second;
    case Operator.Divide:
      return answer !== 0 && second * answer === first;
  }
}
