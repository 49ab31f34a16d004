import type { FastifyRequest } from 'fastify';
import { FileRequiredError } from '../domain/object-storage';

/**
 * Reads the single multipart field `file` into memory. Its size is capped by the multipart limits
 * registered in create-app.ts (`UPLOAD_MAX_BYTES`): a larger file fails with 413 while streaming.
 */
export async function readUploadedFile(request: FastifyRequest): Promise<Buffer> {
  if (!request.isMultipart()) throw new FileRequiredError();
  const part = await request.file();
  if (!part || part.fieldname !== 'file') throw new FileRequiredError();
  return part.toBuffer();
}
