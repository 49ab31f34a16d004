import { escapeHtml, renderTemplate } from './templates';

describe('message templates', () => {
  it('render text and HTML parts with the link and the code', () => {
    const m = renderTemplate('password_reset', { link: 'http://x.test/reset?token=a&b', code: '123456', minutes: 2, linkMinutes: 60 });
    expect(m.text).toContain('http://x.test/reset?token=a&b');
    expect(m.text).toContain('123456');
    expect(m.html).toContain('href="http://x.test/reset?token=a&amp;b"');
    expect(m.html).toContain('123456');
    expect(m.subject).toBe('Reset your password');
  });

  it('keep SMS bodies short and escape HTML', () => {
    const sms = renderTemplate('otp', { code: '654321', purpose: 'login', minutes: 2 }, 'sms');
    expect(sms.text).toMatch(/^654321 is your code to sign in/);
    expect(sms.text.length).toBeLessThan(160);
    expect(escapeHtml('<a href="x">&\'')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
  });

  it('refuse unknown templates', () => {
    expect(() => renderTemplate('nope' as never, {} as never)).toThrow(/unknown template/);
  });
});
