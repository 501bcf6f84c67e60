import { isCorrectAnswer, Operator } from './operator.js';

describe('isCorrectAnswer: first <op> ? = second', () => {
  it('adds: 3 + ? = 7 is solved by 4', () => {
    expect(isCorrectAnswer(3, Operator.Add, 7, 4)).toBe(true);
    expect(isCorrectAnswer(3, Operator.Add, 7, 10)).toBe(false);
    expect(isCorrectAnswer(3, Operator.Add, 3, 0)).toBe(true);
    expect(isCorrectAnswer(-3, Operator.Add, 2, 5)).toBe(true);
    expect(isCorrectAnswer(5, Operator.Add, 2, -3)).toBe(true);
  });

  it('subtracts: 9 - ? = 4 is solved by 5', () => {
    expect(isCorrectAnswer(9, Operator.Subtract, 4, 5)).toBe(true);
    expect(isCorrectAnswer(9, Operator.Subtract, 4, -5)).toBe(false);
    expect(isCorrectAnswer(4, Operator.Subtract, 9, -5)).toBe(true);
    expect(isCorrectAnswer(0, Operator.Subtract, 0, 0)).toBe(true);
  });

  it('multiplies: 6 * ? = 42 is solved by 7', () => {
    expect(isCorrectAnswer(6, Operator.Multiply, 42, 7)).toBe(true);
    expect(isCorrectAnswer(6, Operator.Multiply, 42, 6)).toBe(false);
    expect(isCorrectAnswer(-6, Operator.Multiply, 42, -7)).toBe(true);
    expect(isCorrectAnswer(0, Operator.Multiply, 0, 123)).toBe(true);
    expect(isCorrectAnswer(0, Operator.Multiply, 5, 1)).toBe(false);
    expect(isCorrectAnswer(1_000_000, Operator.Multiply, 1_000_000, 1)).toBe(true);
  });

  it('divides exactly: 12 / ? = 4 is solved by 3, never by a rounded quotient', () => {
    expect(isCorrectAnswer(12, Operator.Divide, 4, 3)).toBe(true);
    expect(isCorrectAnswer(12, Operator.Divide, 4, 4)).toBe(false);
    expect(isCorrectAnswer(-12, Operator.Divide, 4, -3)).toBe(true);
    expect(isCorrectAnswer(12, Operator.Divide, -4, -3)).toBe(true);
    // 7 / ? = 2 has no integer answer: 3 (7/3 = 2 in integer division) is wrong.
    expect(isCorrectAnswer(7, Operator.Divide, 2, 3)).toBe(false);
    expect(isCorrectAnswer(7, Operator.Divide, 2, 4)).toBe(false);
  });

  it('never accepts 0 as a divisor: 0 / ? = 0 is solved by any other number', () => {
    expect(isCorrectAnswer(0, Operator.Divide, 0, 0)).toBe(false);
    expect(isCorrectAnswer(5, Operator.Divide, 0, 0)).toBe(false);
    expect(isCorrectAnswer(0, Operator.Divide, 0, 9)).toBe(true);
    expect(isCorrectAnswer(0, Operator.Divide, 3, 9)).toBe(false);
  });

  it('is null, not false, for an unanswered task', () => {
    for (const op of Object.values(Operator)) {
      expect(isCorrectAnswer(1, op, 1, null)).toBeNull();
      expect(isCorrectAnswer(1, op, 1, undefined)).toBeNull();
    }
  });
});
