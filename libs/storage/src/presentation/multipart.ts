import type { FastifyRequest } from 'fastify';
import { DomainError } from '@app/core';
import { FileRequiredError, MalformedMultipartError } from '../domain/object-storage';

/**
 * Reads the single multipart field `file` into memory. Its size is capped by the multipart limits
 * registered in create-app.ts (`UPLOAD_MAX_BYTES`): a larger file fails with 413 while streaming.
 */
export async function readUploadedFile(request: FastifyRequest): Promise<Buffer> {
  if (!request.isMultipart()) throw new FileRequiredError();
  try {
    const part = await request.file();
    if (!part || part.fieldname !== 'file') throw new FileRequiredError();
    return await part.toBuffer();
  } catch (error) {
    throw asMultipartError(error);
  }
}

/**
 * The multipart parser's own failures (no boundary in the content type, a body that does not follow
 * it, a part cut short) are plain `Error`s: they are the client's fault, so 400 `MALFORMED_MULTIPART`.
 * Errors with a code (Fastify's limits: 413, 415) and domain errors keep their meaning.
 */
function asMultipartError(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  if (typeof (error as { code?: unknown } | null)?.code === 'string') return error;
  return new MalformedMultipartError();
}
