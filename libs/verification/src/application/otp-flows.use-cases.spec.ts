import type { AuditLog } from '@app/audit';
import type { ApplicationView } from '@app/access';
import type { SessionIssuer, TokenPair } from '@app/auth';
import { BackgroundWork } from '@app/core';
import { LoginUseCase, PASSWORD_RESET_PURPOSE, SecondFactorGate } from '@app/credentials';
import type { Notifier } from '@app/notifications';
import { CodeCheck, IssuedCode, OneTimeCodes, OneTimeTokens, OtpExpiredError, OtpInvalidError, OtpTarget } from '@app/otp';
import type { Contacts, User } from '@app/users';
import { TestClock } from '../../../../test/support/clock';
import { inlineUnitOfWork, recordingAudit } from '../../../../test/support/fakes';
import { OtpFlows } from './otp-flows.use-cases';

const keyOf = (t: OtpTarget) => `${t.channel}:${t.destination}:${t.purpose}`;

/** One live code per target, with OTP_TTL_SECONDS on the test clock and single use. */
class MemoryCodes extends OneTimeCodes {
  readonly live = new Map<string, { code: string; expiresAt: number; used: boolean }>();
  private n = 0;
  constructor(private readonly clock: TestClock) {
    super();
  }
  async issue(target: OtpTarget): Promise<IssuedCode> {
    const code = String(100_000 + ++this.n);
    this.live.set(keyOf(target), { code, expiresAt: this.clock.nowMs() + 120_000, used: false });
    return { code, expiresIn: 120, resendAfter: 0, testDestination: false };
  }
  async check(target: OtpTarget, code: string): Promise<CodeCheck> {
    const entry = this.live.get(keyOf(target));
    if (!entry || entry.used) return { ok: false, error: new OtpInvalidError() };
    if (entry.expiresAt <= this.clock.nowMs()) return { ok: false, error: new OtpExpiredError() };
    if (entry.code !== code) return { ok: false, error: new OtpInvalidError(4) };
    entry.used = true;
    return { ok: true };
  }
  async invalidate(): Promise<void> {}
}

class MemoryTokens {
  readonly issued: { purpose: string; subject: string; target: string | null }[] = [];
  async issue(input: { purpose: string; subject: string; target: string | null }) {
    this.issued.push(input);
    return `token-${this.issued.length}`;
  }
}

const APP = { id: 'app', clientId: 'default', active: true } as ApplicationView;
const verified = { id: 'u1', username: 'ada', email: 'ada@example.test', emailVerifiedAt: new Date(0), phone: '+4740000001', phoneVerifiedAt: null, status: 'active', mfaEnabled: false } as User;

function setup() {
  const clock = new TestClock();
  clock.freeze();
  const codes = new MemoryCodes(clock);
  const tokens = new MemoryTokens();
  const sent: { to: string; template: string; data: Record<string, unknown> }[] = [];
  const notifier = { send: async (m: { to: string; template: string; data: Record<string, unknown> }) => (sent.push(m), 'id') } as unknown as Notifier;
  const contacts = {
    normalize: (_channel: string, destination: string) => destination.trim().toLowerCase(),
    findOwner: async (channel: string, destination: string) => ((channel === 'email' ? verified.email : verified.phone) === destination ? verified : null),
    markVerified: async () => undefined,
  } as unknown as Contacts;
  const logins = { resolveApplication: () => APP } as unknown as LoginUseCase;
  const started: { userId: string; amr: string[] }[] = [];
  const issuer = {
    start: async (user: User, _app: ApplicationView, _meta: unknown, _audit: unknown, amr: string[]) => {
      started.push({ userId: user.id, amr });
      return { session: { id: 's1' }, pair: { accessToken: 'access' } as TokenPair };
    },
  } as unknown as SessionIssuer;
  const audit = recordingAudit();
  const background = new BackgroundWork();
  const gate = { challenge: async () => null } as unknown as SecondFactorGate;
  const flows = new OtpFlows(inlineUnitOfWork(), codes, tokens as unknown as OneTimeTokens, contacts, notifier, logins, issuer, audit as AuditLog, background, gate);
  return { flows, clock, codes, tokens, sent, started, audit, background };
}

const meta = { ip: '192.0.2.1', userAgent: 'unit' };

describe('OtpFlows (in-memory)', () => {
  it('login: the code goes to the verified contact and signs in once (amr otp), audited', async () => {
    const { flows, sent, started, audit, background } = setup();
    await flows.request(meta, { channel: 'email', destination: 'Ada@example.test', purpose: 'login' });
    await background.settled();
    expect(sent).toEqual([expect.objectContaining({ to: 'ada@example.test', template: 'otp', data: expect.objectContaining({ purpose: 'login', minutes: 2 }) })]);
    const code = String(sent[0].data.code);
    expect(await flows.verify(meta, { channel: 'email', destination: 'ada@example.test', purpose: 'login', code })).toEqual({ pair: { accessToken: 'access' } });
    expect(started).toEqual([{ userId: 'u1', amr: ['otp'] }]);
    expect(audit.events).toEqual([expect.objectContaining({ type: 'login.succeeded', subjectId: 'u1', data: { sessionId: 's1', clientId: 'default', method: 'otp' } })]);
    await expect(flows.verify(meta, { channel: 'email', destination: 'ada@example.test', purpose: 'login', code })).rejects.toMatchObject({ code: 'OTP_INVALID' });
  });

  it('login through an unverified contact: nothing is sent, and a right code still does not sign in', async () => {
    const { flows, codes, sent, started, background } = setup();
    await flows.request(meta, { channel: 'sms', destination: '+4740000001', purpose: 'login' });
    await background.settled();
    expect(sent).toEqual([]);
    const code = codes.live.get('sms:+4740000001:login')!.code;
    await expect(flows.verify(meta, { channel: 'sms', destination: '+4740000001', purpose: 'login', code })).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(started).toEqual([]);
  });

  it('a code past OTP_TTL_SECONDS is expired', async () => {
    const { flows, sent, clock, background } = setup();
    await flows.request(meta, { channel: 'email', destination: 'ada@example.test', purpose: 'login' });
    await background.settled();
    clock.advance(120_000);
    await expect(flows.verify(meta, { channel: 'email', destination: 'ada@example.test', purpose: 'login', code: String(sent[0].data.code) })).rejects.toMatchObject({ code: 'OTP_EXPIRED' });
  });

  it('reset (recovery): a verified recovery contact gets a password-reset token for the account; an unknown one gets nothing', async () => {
    const { flows, tokens, sent, background } = setup();
    await flows.request(meta, { channel: 'email', destination: 'ada@example.test', purpose: 'reset' });
    await flows.request(meta, { channel: 'email', destination: 'nobody@example.test', purpose: 'reset' });
    await background.settled();
    expect(sent.map((m) => m.to)).toEqual(['ada@example.test']);
    const result = await flows.verify(meta, { channel: 'email', destination: 'ada@example.test', purpose: 'reset', code: String(sent[0].data.code) });
    expect(result).toEqual({ verificationToken: 'token-1' });
    expect(tokens.issued).toEqual([{ purpose: PASSWORD_RESET_PURPOSE, subject: 'u1', target: 'ada@example.test', ttlSeconds: expect.any(Number) }]);
  });
});
