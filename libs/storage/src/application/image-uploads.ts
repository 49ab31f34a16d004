import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Counter } from 'prom-client';
import { Admission, MetricsService, RateLimiter, storageConfig, StorageSettings } from '@app/core';
import { IMAGE_TYPES, ImageTooLargeError, ImageType, InvalidImageError, ObjectStorage, UnsupportedImageTypeError, UploadBusyError } from '../domain/object-storage';

export interface StoredImage {
  key: string;
  url: string;
  contentType: ImageType;
  size: number;
}

/** Where the API serves stored uploads (see UploadsController). */
export const uploadUrl = (key: string) => `/api/v1/uploads/${key}`;

/**
 * Accepts an image only for what its bytes are: the type is sniffed (`file-type`), only PNG, JPEG and
 * WebP pass, and the image is decoded and re-encoded by sharp — which drops metadata (EXIF, GPS) and
 * anything smuggled after the image data — under a pixel limit against decompression bombs. Stored
 * under a generated key.
 *
 * Bounded: each user may upload `UPLOAD_RATE_LIMIT` images a minute (all instances together; checked
 * before the file is read), and each instance decodes `UPLOAD_DECODE_CONCURRENCY` images at a time
 * (one libvips thread each) with at most `UPLOAD_DECODE_QUEUE` waiting — beyond that 503
 * `UPLOAD_BUSY` with Retry-After. Decoding runs on libuv's thread pool, which password hashing
 * shares: unbounded, a dozen large images stall every login.
 */
@Injectable()
export class ImageUploads {
  private readonly decoding: Admission;
  private readonly shed: Counter;

  constructor(
    private readonly storage: ObjectStorage,
    private readonly limiter: RateLimiter,
    @Inject(storageConfig.KEY) private readonly config: StorageSettings,
    metrics: MetricsService,
  ) {
    this.decoding = new Admission(config.uploadDecodeConcurrency, config.uploadDecodeQueue);
    const decoding = this.decoding;
    metrics.gauge('upload_decodes_peak', 'The most images this instance has decoded at once since it started (at most UPLOAD_DECODE_CONCURRENCY)', () => decoding.peak);
    this.shed = metrics.counter('upload_decodes_shed_total', 'Image uploads refused because every decoding slot was busy and the queue full (503 UPLOAD_BUSY)');
  }

  /**
   * Counts the upload against the user's budget (429 `RATE_LIMITED` past it), then reads the file,
   * checks it, re-encodes it and stores it.
   */
  async store(uploaderId: string, read: () => Promise<Buffer>, folder: 'images' | 'avatars'): Promise<StoredImage> {
    await this.limiter.enforce(`user:${uploaderId}:uploads`, this.config.uploadRateLimit, 60, 'RATE_LIMITED', 'Too many uploads; retry later');
    const bytes = await read();
    const contentType = await this.sniff(bytes);
    const encoded = await this.decoding.run(
      () => this.reencode(bytes, contentType),
      () => {
        this.shed.inc();
        return new UploadBusyError();
      },
    );
    const key = `${folder}/${randomUUID()}.${IMAGE_TYPES[contentType]}`;
    await this.storage.put(key, encoded, contentType);
    return { key, url: uploadUrl(key), contentType, size: encoded.length };
  }

  async remove(key: string): Promise<void> {
    await this.storage.delete(key);
  }

  private async sniff(bytes: Buffer): Promise<ImageType> {
    // file-type is ESM-only: loaded on first use. Its `core` entry is enough for buffers, and unlike
    // the package root it resolves under Jest's `require` conditions too.
    const { fileTypeFromBuffer } = await import('file-type/core');
    const detected = await fileTypeFromBuffer(bytes);
    if (!detected || !Object.prototype.hasOwnProperty.call(IMAGE_TYPES, detected.mime)) throw new UnsupportedImageTypeError();
    return detected.mime as ImageType;
  }

  private async reencode(bytes: Buffer, type: ImageType): Promise<Buffer> {
    const maxPixels = this.config.uploadMaxPixels;
    // Loaded on first use: sharp's native module costs start-up time every instance would pay.
    const { default: sharp } = await import('sharp');
    // One libvips thread per image: the admission above then bounds the threads images take.
    if (sharp.concurrency() !== 1) sharp.concurrency(1);
    const open = () => sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error', sequentialRead: true });
    let metadata: { width?: number; height?: number };
    try {
      // Reads the header only (no pixel is decoded), so the size is known before any decompression.
      metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
    } catch {
      throw new InvalidImageError();
    }
    if (!metadata.width || !metadata.height) throw new InvalidImageError();
    if (metadata.width * metadata.height > maxPixels) throw new ImageTooLargeError(maxPixels);
    try {
      const image = open().rotate();
      if (type === 'image/png') return await image.png({ compressionLevel: 9 }).toBuffer();
      if (type === 'image/jpeg') return await image.jpeg({ quality: 85 }).toBuffer();
      return await image.webp({ quality: 85 }).toBuffer();
    } catch (error) {
      if (error instanceof Error && /pixel limit/i.test(error.message)) throw new ImageTooLargeError(maxPixels);
      throw new InvalidImageError();
    }
  }
}
