import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { MAX_CURSOR_LENGTH } from './cursor-codec';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/**
 * `?limit=&cursor=` of every list; a list's own query DTO extends it with its filters. The cursor is
 * only typed here: its content is checked by the list's `CursorCodec` (400 `INVALID_CURSOR`).
 */
export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, description: 'Items per page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ type: String, maxLength: MAX_CURSOR_LENGTH, description: 'Opaque: a previous page’s `nextCursor` (absent or empty: the first page)' })
  @IsOptional()
  @IsString()
  cursor?: string;
}

/** The page size a query asks for. */
export const pageLimit = (query: { limit?: number }): number => query.limit ?? DEFAULT_PAGE_SIZE;

/**
 * Base of every list response (`{ items, nextCursor }`); each list adds its `items` with their type.
 */
export abstract class PageDto {
  @ApiProperty({ type: String, nullable: true, description: 'Opaque; pass as `cursor` for the next page; null on the last page' })
  nextCursor: string | null;
}
