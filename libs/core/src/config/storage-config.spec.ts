import { readConfig } from './app-config';

describe('readConfig: uploads', () => {
  it('defaults to local disk under DATA_DIR with a 5 MiB limit', () => {
    const { config, problems } = readConfig({ DATA_DIR: '/srv/data' });
    expect(problems).toEqual([]);
    expect(config.storage).toMatchObject({ driver: 'local', uploadsDir: '/srv/data/uploads', uploadMaxBytes: 5 * 1024 * 1024, uploadMaxPixels: 40_000_000 });
  });

  it('needs a bucket for S3 and the two keys together', () => {
    const { problems } = readConfig({ STORAGE_DRIVER: 's3', S3_ACCESS_KEY_ID: 'id' });
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining('S3_BUCKET'), expect.stringContaining('S3_SECRET_ACCESS_KEY')]));
    const ok = readConfig({ STORAGE_DRIVER: 's3', S3_BUCKET: 'b', S3_ENDPOINT: 'http://127.0.0.1:9000', UPLOAD_MAX_BYTES: '2048' });
    expect(ok.problems).toEqual([]);
    expect(ok.config.storage.s3).toMatchObject({ bucket: 'b', endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', forcePathStyle: true });
    expect(ok.config.storage.uploadMaxBytes).toBe(2048);
    expect(readConfig({ STORAGE_DRIVER: 'ftp' }).problems).toEqual([expect.stringContaining('STORAGE_DRIVER')]);
  });
});
