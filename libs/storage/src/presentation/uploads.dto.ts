import { ApiProperty } from '@nestjs/swagger';

/** The multipart body of an image upload (documented for OpenAPI; read by `readUploadedFile`). */
export class ImageUploadDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'A PNG, JPEG or WebP image' })
  file: unknown;
}

export class UploadedImageDto {
  @ApiProperty({ example: '/api/v1/uploads/images/1b4e28ba-2fa1-11d2-883f-0016d3cca427.png' })
  url: string;

  @ApiProperty({ example: 'images/1b4e28ba-2fa1-11d2-883f-0016d3cca427.png' })
  key: string;

  @ApiProperty({ enum: ['image/png', 'image/jpeg', 'image/webp'] })
  contentType: string;

  @ApiProperty({ description: 'Bytes stored (after re-encoding)' })
  size: number;
}
