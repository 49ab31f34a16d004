import sharp from 'sharp';
import type { StorageSettings } from '@app/core';
import { Clock, DomainError, InMemoryRateLimiter, MetricsService } from '@app/core';
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

const settings = { uploadMaxPixels: 10_000, uploadRateLimit: 3, uploadDecodeConcurrency: 1, uploadDecodeQueue: 1 } as StorageSettings;

class FakeClock extends Clock {
  ms = Date.UTC(2026, 0, 1);
  now(): Date {
    return new Date(this.ms);
  }
}

const uploadsWith = (storage: ObjectStorage, clock = new FakeClock(), config = settings) =>
  new ImageUploads(storage, new InMemoryRateLimiter(clock), config, new MetricsService());
const bytes = (b: Buffer) => async () => b;
const png = (w: number, h: number) => sharp({ create: { width: w, height: h, channels: 3, background: '#123456' } }).png().toBuffer();

describe('ImageUploads', () => {
  it('stores a re-encoded image under a generated key', async () => {
    const storage = new MemoryStorage();
    const stored = await uploadsWith(storage).store('u1', bytes(await png(10, 10)), 'images');
    expect(stored.key).toMatch(/^images\/[0-9a-f-]{36}\.png$/);
    expect(stored.url).toBe(`/api/v1/uploads/${stored.key}`);
    expect(storage.objects.get(stored.key)?.contentType).toBe('image/png');
  });

  it('refuses what is not PNG, JPEG or WebP, and images over the pixel limit', async () => {
    const uploads = uploadsWith(new MemoryStorage(), new FakeClock(), { ...settings, uploadRateLimit: 100 });
    await expect(uploads.store('u1', bytes(Buffer.from('%PDF-1.4 not an image')), 'images')).rejects.toMatchObject({ code: 'UNSUPPORTED_IMAGE_TYPE' });
    await expect(uploads.store('u1', bytes(await png(101, 100)), 'images')).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE' });
    const truncated = (await png(50, 50)).subarray(0, 40);
    await expect(uploads.store('u1', bytes(truncated), 'images')).rejects.toBeInstanceOf(DomainError);
  });

  it('limits uploads per user per minute, before the file is read', async () => {
    const clock = new FakeClock();
    const uploads = uploadsWith(new MemoryStorage(), clock);
    const image = await png(10, 10);
    for (let i = 0; i < 3; i++) await uploads.store('u1', bytes(image), 'images');
    let read = false;
    await expect(
      uploads.store('u1', async () => ((read = true), image), 'images'),
    ).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 20 });
    expect(read).toBe(false);
    await expect(uploads.store('u2', bytes(image), 'images')).resolves.toBeDefined();
    clock.ms += 20_000;
    await expect(uploads.store('u1', bytes(image), 'images')).resolves.toBeDefined();
  });

  it('decodes one image at a time, queues one, and refuses the rest with 503 UPLOAD_BUSY', async () => {
    const uploads = uploadsWith(new MemoryStorage(), new FakeClock(), { ...settings, uploadRateLimit: 100 });
    const image = await png(100, 100);
    const results = await Promise.allSettled(Array.from({ length: 4 }, (_, i) => uploads.store(`u${i}`, bytes(image), 'images')));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected']);
    for (const r of results.slice(2)) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'UPLOAD_BUSY', retryAfterSeconds: 2 });
  });
});
