import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsDate, ValidateBy, ValidationOptions } from 'class-validator';

/**
 * The instants this API accepts anywhere (due dates, filters): years 0001 to 9999, which every ISO
 * 8601 writer can print with four digits and Postgres can store. JavaScript dates reach ±275 760
 * years, beyond `timestamptz`, so without this rule `dueAfter=-271821-04-20` was a database error.
 */
export const DATE_RANGE = {
  min: new Date('0001-01-01T00:00:00.000Z'),
  max: new Date('9999-12-31T23:59:59.999Z'),
} as const;

export function isWithinDateRange(value: unknown): boolean {
  const time = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(time) && time >= DATE_RANGE.min.getTime() && time <= DATE_RANGE.max.getTime();
}

/** The one date-range rule: a `Date` or date string between the years 0001 and 9999. */
export function IsWithinDateRange(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isWithinDateRange',
      validator: { validate: isWithinDateRange, defaultMessage: () => '$property must be a date between the years 0001 and 9999' },
    },
    options,
  );
}

/** A date-time field: converted to `Date`, valid, and within `DATE_RANGE`. */
export function IsTimestamp(): PropertyDecorator {
  return applyDecorators(Type(() => Date), IsDate(), IsWithinDateRange());
}
