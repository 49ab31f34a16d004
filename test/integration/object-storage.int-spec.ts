import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ObjectStorage } from '@app/storage';
import { LocalDiskStorage } from '@app/storage/infrastructure/local-disk.storage';
import { S3Storage } from '@app/storage/infrastructure/s3.storage';
import { startS3, TestS3 } from '../support/s3';

const KEY = 'images/3f1c2f9e-8a5b-4c1d-9e2f-0a1b2c3d4e5f.png';

describe.each(['local', 's3'] as const)('ObjectStorage, %s driver', (driver) => {
  let storage: ObjectStorage;
  let s3: TestS3 | undefined;
  let dir: string | undefined;

  beforeAll(async () => {
    if (driver === 's3') {
      s3 = await startS3('it-bucket');
      storage = new S3Storage({ endpoint: s3.endpoint, bucket: s3.bucket, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true });
    } else {
      dir = mkdtempSync(join(tmpdir(), 'its-disk-'));
      storage = new LocalDiskStorage(dir);
    }
  });
  afterAll(async () => {
    storage.close();
    await s3?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('stores, reads back and deletes an object', async () => {
    const body = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    await storage.put(KEY, body, 'image/png');
    const read = await storage.get(KEY);
    expect(read?.contentType).toBe('image/png');
    expect(read?.body.equals(body)).toBe(true);
    await storage.delete(KEY);
    expect(await storage.get(KEY)).toBeNull();
  });

  it('answers null for a missing object, and deleting one is not an error', async () => {
    expect(await storage.get('images/00000000-0000-4000-8000-000000000000.webp')).toBeNull();
    await expect(storage.delete('images/00000000-0000-4000-8000-000000000000.webp')).resolves.toBeUndefined();
  });

  it('overwrites an object under the same key', async () => {
    await storage.put(KEY, Buffer.from('one'), 'image/png');
    await storage.put(KEY, Buffer.from('two'), 'image/png');
    expect((await storage.get(KEY))?.body.toString()).toBe('two');
  });
});

describe('LocalDiskStorage', () => {
  it('refuses keys that would leave its directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'its-disk-'));
    const storage = new LocalDiskStorage(dir);
    await expect(storage.put('../escape.png', Buffer.from('x'), 'image/png')).rejects.toThrow(/outside/);
    rmSync(dir, { recursive: true, force: true });
  });
});
