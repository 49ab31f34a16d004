import { newUser, TestUser } from '../support/factories';
import { fileForm, makeBomb, makeImage } from '../support/images';
import { startTestApp, TestApp } from '../support/test-app';

/** The generated client with a multipart body: the FormData goes out as is (fetch sets the boundary). */
const asMultipart = { bodySerializer: (body: unknown) => body as FormData };

const upload = (u: TestUser, bytes: Buffer) => u.api.POST('/api/v1/uploads/images', { body: fileForm(bytes, 'x.png') as never, ...asMultipart });

describe('uploads: a per-user rate limit', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp({ env: { UPLOAD_RATE_LIMIT: '3' } });
    b = await startTestApp({ db: a.db, dataDir: a.dataDir, env: { UPLOAD_RATE_LIMIT: '3' } });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('counts images and avatars together, on every instance, per user', async () => {
    const u = await newUser(a);
    const onB = { ...u, api: b.as(u.tokens.accessToken) };
    const image = await makeImage('png');
    expect((await upload(u, image)).response.status).toBe(201);
    expect((await upload(onB, image)).response.status).toBe(201);
    const avatar = await u.api.PUT('/api/v1/users/me/avatar', { body: fileForm(await makeImage('jpeg'), 'me.jpg') as never, ...asMultipart });
    expect(avatar.response.status).toBe(200);
    const refused = await upload(onB, image);
    expect(refused.response.status).toBe(429);
    expect(refused.error).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    // Three a minute: the next slot comes back within 20 s.
    const retryAfter = Number(refused.response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(20);
    const avatarRefused = await u.api.PUT('/api/v1/users/me/avatar', { body: fileForm(image, 'me.png') as never, ...asMultipart });
    expect(avatarRefused.response.status).toBe(429);
    // Another user has a budget of their own.
    expect((await upload(await newUser(b), image)).response.status).toBe(201);
  });
});

describe('uploads: image decoding is bounded, so that logins stay fast', () => {
  let bounded: TestApp;
  let unbounded: TestApp;
  let bomb: Buffer;
  beforeAll(async () => {
    // The defaults: one image decoded at a time, four waiting; 36-megapixel PNGs are allowed (40 M).
    bounded = await startTestApp({ env: { UPLOAD_RATE_LIMIT: undefined, UPLOAD_DECODE_CONCURRENCY: undefined, UPLOAD_DECODE_QUEUE: undefined, UPLOAD_MAX_PIXELS: undefined } });
    // For comparison, on the same machine at the same time: no bound that twelve images would reach.
    unbounded = await startTestApp({ env: { UPLOAD_DECODE_CONCURRENCY: '12', UPLOAD_DECODE_QUEUE: '0' } });
    bomb = await makeBomb(6000);
  });
  afterAll(async () => {
    await bounded?.close();
    await unbounded?.close();
  });

  /** Twelve 36-megapixel PNGs from three users at once, and logins (of a fourth) while any is pending. */
  async function burst(t: TestApp) {
    const users = [await newUser(t), await newUser(t), await newUser(t)];
    const other = await newUser(t);
    let pending = 12;
    const uploads = Array.from({ length: 12 }, (_, i) => upload(users[i % 3], bomb).finally(() => (pending -= 1)));
    const logins: number[] = [];
    do logins.push((await t.api.POST('/api/v1/auth/login', { body: { login: other.user.username, password: other.password } })).response.status);
    while (pending > 0 && logins.length < 5);
    const results = await Promise.all(uploads);
    const metrics = await (await fetch(`${t.baseUrl}/metrics`)).text();
    const metric = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(metrics)?.[1]);
    return { results, logins, peak: metric('upload_decodes_peak'), shed: metric('upload_decodes_shed_total') };
  }

  // No timed assertion (how long a login takes depends on the host): what keeps logins fast is that
  // at most UPLOAD_DECODE_CONCURRENCY images decode at once, leaving libuv's pool to password hashing;
  // the instance's own high-water mark of decodes in flight shows it.
  it('12 parallel 36-megapixel PNGs: one decoded at a time, four wait, the rest 503 UPLOAD_BUSY; logins meanwhile succeed', async () => {
    expect(bomb.length).toBeLessThan(100_000);
    const withBound = await burst(bounded);
    const withoutBound = await burst(unbounded);

    const statuses = withBound.results.map((r) => r.response.status);
    const stored = statuses.filter((s) => s === 201).length;
    const busy = withBound.results.filter((r) => r.response.status === 503);
    expect(stored + busy.length).toBe(12);
    expect(stored).toBeGreaterThanOrEqual(5);
    expect(busy.length).toBeGreaterThan(0);
    for (const r of busy) {
      expect(r.error).toMatchObject({ status: 503, code: 'UPLOAD_BUSY' });
      expect(r.response.headers.get('retry-after')).toBe('2');
    }
    expect(withBound.shed).toBe(busy.length);
    expect(withBound.peak).toBe(1);
    expect(withBound.logins.every((s) => s === 200)).toBe(true);
    // Unbounded, the twelve images decode together (and fill libuv's pool that hashing uses).
    expect(withoutBound.results.every((r) => r.response.status === 201)).toBe(true);
    expect(withoutBound.peak).toBeGreaterThan(1);
    expect(withoutBound.shed).toBe(0);
  });
});
