import { registerDecorator, ValidationOptions } from 'class-validator';

/**
 * Length in characters (Unicode code points, as a person counts them), checked before anything is
 * hashed: over-long input never reaches argon2.
 */
export function IsCharLength(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isCharLength',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [min, max],
      options: { message: `$property must be ${min} to ${max} characters long`, ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && [...value].length >= min && [...value].length <= max,
      },
    });
}
