import { registerDecorator, type ValidationOptions } from 'class-validator';

/** Numbers a task may hold: integers well inside 32 bits, so products stay exact in JS. */
export const MAX_TASK_NUMBER = 1_000_000;

/** A JSON object whose serialized form is at most `max` characters. */
export function MaxJsonLength(max: number, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'maxJsonLength',
      target: target.constructor,
      propertyName,
      constraints: [max],
      options: {
        message: `${propertyName} must serialize to at most ${max} characters`,
        ...options,
      },
      validator: {
        validate: (value: unknown) => {
          try {
            return JSON.stringify(value).length <= max;
          } catch {
            return false;
          }
        },
      },
    });
}
