import sharp from 'sharp';

/** Real image bytes made by sharp, with metadata that the service must strip. */
export async function makeImage(format: 'png' | 'jpeg' | 'webp', width = 32, height = 24): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } });
  const withMeta = image.withMetadata({ exif: { IFD0: { Copyright: 'secret-exif-marker', Software: 'test' } } });
  if (format === 'png') return withMeta.png().toBuffer();
  if (format === 'jpeg') return withMeta.jpeg().toBuffer();
  return withMeta.webp().toBuffer();
}

/**
 * A decompression bomb: a tiny PNG file that decodes to a huge number of pixels (one flat colour
 * compresses to almost nothing).
 */
export function makeBomb(side = 2_500): Promise<Buffer> {
  return sharp({ create: { width: side, height: side, channels: 3, background: { r: 0, g: 0, b: 0 } }, limitInputPixels: false })
    .toColourspace('b-w')
    .png({ compressionLevel: 9 })
    .toBuffer();
}

/** A multipart body with one `file` field, as a browser would send it. */
export function fileForm(bytes: Buffer, filename: string, type = 'application/octet-stream'): FormData {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), filename);
  return form;
}
