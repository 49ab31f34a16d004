import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiErrors, Authenticated, Public } from '@app/core';
import { Actor, CurrentActor } from '@app/kernel';
import { ImageUploads } from '../application/image-uploads';
import { KEY_PATTERN, ObjectStorage, UploadNotFoundError } from '../domain/object-storage';
import { readUploadedFile } from './multipart';
import { ImageUploadDto, UploadedImageDto } from './uploads.dto';

@ApiTags('uploads')
@Controller('uploads')
export class UploadsController {
  constructor(
    private readonly images: ImageUploads,
    private readonly storage: ObjectStorage,
  ) {}

  @Post('images')
  @Authenticated()
  @ApiOperation({ summary: 'Upload an image (PNG, JPEG or WebP, sniffed from the bytes; re-encoded, metadata stripped)' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ImageUploadDto })
  @ApiResponse({ status: 201, description: 'The stored image: its key and URL', type: UploadedImageDto })
  @ApiErrors('FILE_REQUIRED', 'INVALID_IMAGE', 'IMAGE_TOO_LARGE', 'UNSUPPORTED_IMAGE_TYPE', 'RATE_LIMITED', 'UPLOAD_BUSY')
  async uploadImage(@CurrentActor() actor: Actor, @Req() request: FastifyRequest): Promise<UploadedImageDto> {
    return this.images.store(actor.userId, () => readUploadedFile(request), 'images');
  }

  @Get(':folder/:name')
  @Public()
  @ApiOperation({ summary: 'An uploaded file (served with X-Content-Type-Options: nosniff)' })
  @ApiProduces('image/png', 'image/jpeg', 'image/webp')
  @ApiResponse({ status: 200, description: 'The image bytes', content: { 'image/*': { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors('UPLOAD_NOT_FOUND')
  async getUpload(@Param('folder') folder: string, @Param('name') name: string, @Res() reply: FastifyReply): Promise<void> {
    const key = `${folder}/${name}`;
    const object = KEY_PATTERN.test(key) ? await this.storage.get(key) : null;
    if (!object) throw new UploadNotFoundError();
    await reply
      .header('Content-Type', object.contentType)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Security-Policy', "default-src 'none'; sandbox")
      .header('Cache-Control', 'public, max-age=31536000, immutable')
      .send(object.body);
  }
}
