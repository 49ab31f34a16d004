import sharp from 'sharp';
import type { StorageSettings } from '@app/core';
import { DomainError } from '@app/core';
import { ObjectStorage, StoredObject } from '../domain/object-storage';
import { ImageUploads } from './image-uploads';

class MemoryStorage extends ObjectStorage {
  readonly objects = new Map<string, StoredObject>();
  async put(key: string, body: Buffer, contentType: string) {
    this.objects.set(key, { body, contentType });
  }
  async get(key: string) {
    return this.objects.get(key) ?? null;
  }
  async delete(key: string) {
    this.objects.delete(key);
  }
}

const settings = { uploadMaxPixels: 10_000 } as StorageSettings;
const png = (w: number, h: number) => sharp({ create: { width: w, height: h, channels: 3, background: '#123456' } }).png().toBuffer();

describe('ImageUploads', () => {
  it('stores a re-encoded image under a generated key', async () => {
    const storage = new MemoryStorage();
    const stored = await new ImageUploads(storage, settings).store(await png(10, 10), 'images');
    expect(stored.key).toMatch(/^images\/[0-9a-f-]{36}\.png$/);
    expect(stored.url).toBe(`/api/v1/uploads/${stored.key}`);
    expect(storage.objects.get(stored.key)?.contentType).toBe('image/png');
  });

  it('refuses what is not PNG, JPEG or WebP, and images over the pixel limit', async () => {
    const uploads = new ImageUploads(new MemoryStorage(), settings);
    await expect(uploads.store(Buffer.from('%PDF-1.4 not an image'), 'images')).rejects.toMatchObject({ code: 'UNSUPPORTED_IMAGE_TYPE' });
    await expect(uploads.store(await png(101, 100), 'images')).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE' });
    const truncated = (await png(50, 50)).subarray(0, 40);
    await expect(uploads.store(truncated, 'images')).rejects.toBeInstanceOf(DomainError);
  });
});
