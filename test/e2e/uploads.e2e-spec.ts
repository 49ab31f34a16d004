import sharp from 'sharp';
import { expectOk, newUser, TestUser } from '../support/factories';
import { fileForm, makeBomb, makeImage } from '../support/images';
import { startS3, TestS3 } from '../support/s3';
import { startTestApp, TestApp } from '../support/test-app';

const MAX_BYTES = 256 * 1024;
const env = { AUTH_RATE_LIMIT: '10000', UPLOAD_MAX_BYTES: String(MAX_BYTES), UPLOAD_MAX_PIXELS: String(4_000_000) };

/** The generated client with a multipart body: the FormData goes out as is (fetch sets the boundary). */
const asMultipart = { bodySerializer: (body: unknown) => body as FormData };

describe.each([
  ['local disk', 'local'],
  ['S3 (s3rver)', 's3'],
] as const)('image uploads on %s', (_label, driver) => {
  let t: TestApp;
  let s3: TestS3 | undefined;
  let u: TestUser;

  beforeAll(async () => {
    if (driver === 's3') s3 = await startS3();
    t = await startTestApp({ env: { ...env, ...(s3?.env ?? { STORAGE_DRIVER: 'local' }) } });
    u = await newUser(t);
  });
  afterAll(async () => {
    await t?.close();
    await s3?.close();
  });

  const upload = (bytes: Buffer, name: string, type?: string) =>
    u.api.POST('/api/v1/uploads/images', { body: fileForm(bytes, name, type) as never, ...asMultipart });

  it.each(['png', 'jpeg', 'webp'] as const)('accepts a real %s, re-encoded without metadata, served with nosniff', async (format) => {
    const original = await makeImage(format);
    expect((await sharp(original).metadata()).exif).toBeDefined();
    // The name and declared type are ignored: the bytes decide.
    const res = await upload(original, 'picture.gif', 'text/plain');
    expect(res.response.status).toBe(201);
    const body = res.data!;
    const mime = format === 'jpeg' ? 'image/jpeg' : `image/${format}`;
    expect(body).toMatchObject({ contentType: mime, url: `/api/v1/uploads/${body.key}` });
    expect(body.key).toMatch(/^images\/[0-9a-f-]{36}\.(png|jpg|webp)$/);

    const served = await fetch(`${t.baseUrl}${body.url}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe(mime);
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    const bytes = Buffer.from(await served.arrayBuffer());
    expect(bytes.length).toBe(body.size);
    const meta = await sharp(bytes).metadata();
    expect(meta.format).toBe(format);
    expect([meta.width, meta.height]).toEqual([32, 24]);
    expect(meta.exif).toBeUndefined();
    expect(bytes.includes(Buffer.from('secret-exif-marker'))).toBe(false);
  });

  it('refuses a text file named .png (415)', async () => {
    const res = await upload(Buffer.from('<html><script>alert(1)</script></html>'), 'evil.png', 'image/png');
    expect(res.response.status).toBe(415);
    expect((res.error as { code: string }).code).toBe('UNSUPPORTED_IMAGE_TYPE');
    const gif = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
    expect((await upload(gif, 'a.png', 'image/png')).response.status).toBe(415);
  });

  it('refuses an oversize file (413)', async () => {
    const big = Buffer.concat([await makeImage('png'), Buffer.alloc(MAX_BYTES + 1024, 7)]);
    const res = await upload(big, 'big.png', 'image/png');
    expect(res.response.status).toBe(413);
  });

  it('refuses a decompression bomb (413) without decoding it', async () => {
    const bomb = await makeBomb();
    expect(bomb.length).toBeLessThan(MAX_BYTES);
    const res = await upload(bomb, 'bomb.png', 'image/png');
    expect(res.response.status).toBe(413);
    expect((res.error as { code: string }).code).toBe('IMAGE_TOO_LARGE');
  });

  it('refuses a request without a file, and anonymous uploads', async () => {
    const form = new FormData();
    form.append('other', 'x');
    expect([400, 413]).toContain((await u.api.POST('/api/v1/uploads/images', { body: form as never, ...asMultipart })).response.status);
    const anonymous = await t.api.POST('/api/v1/uploads/images', { body: fileForm(await makeImage('png'), 'a.png') as never, ...asMultipart });
    expect(anonymous.response.status).toBe(401);
    expect((await fetch(`${t.baseUrl}/api/v1/uploads/images/00000000-0000-4000-8000-000000000000.png`)).status).toBe(404);
    expect((await fetch(`${t.baseUrl}/api/v1/uploads/images/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
  });

  it('sets the avatar (PUT /users/me/avatar) and replaces the previous one', async () => {
    const first = await u.api.PUT('/api/v1/users/me/avatar', { body: fileForm(await makeImage('jpeg'), 'me.jpg') as never, ...asMultipart });
    expect(first.response.status).toBe(200);
    const firstUrl = first.data!.avatarUrl;
    expect(firstUrl).toMatch(/^\/api\/v1\/uploads\/avatars\/[0-9a-f-]{36}\.jpg$/);
    expect(expectOk(await u.api.GET('/api/v1/users/me')).avatarUrl).toBe(firstUrl);
    expect((await fetch(`${t.baseUrl}${firstUrl}`)).status).toBe(200);

    const second = expectOk(await u.api.PUT('/api/v1/users/me/avatar', { body: fileForm(await makeImage('webp'), 'me.webp') as never, ...asMultipart }));
    expect(second.avatarUrl).not.toBe(firstUrl);
    expect(expectOk(await u.api.GET('/api/v1/users/me')).avatarUrl).toBe(second.avatarUrl);
    expect((await fetch(`${t.baseUrl}${firstUrl}`)).status).toBe(404);

    const refused = await u.api.PUT('/api/v1/users/me/avatar', { body: fileForm(Buffer.from('just text'), 'me.png') as never, ...asMultipart });
    expect(refused.response.status).toBe(415);
    expect(expectOk(await u.api.GET('/api/v1/users/me')).avatarUrl).toBe(second.avatarUrl);
  });

  it('keeps the 1 MiB limit for JSON bodies', async () => {
    const res = await fetch(`${t.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'x'.repeat(1024 * 1024 + 10), password: 'y' }),
    });
    expect(res.status).toBe(413);
  });
});
