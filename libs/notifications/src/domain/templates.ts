import type { Channel, OtpPurpose, RenderedMessage, TemplateData, TemplateName } from './notification';

const SERVICE = 'Identity service';

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** A minimal, inline-styled HTML email around paragraphs (already escaped or built from escaped parts). */
function layout(title: string, paragraphs: string[]): string {
  return (
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    `<body style="font-family:system-ui,sans-serif;line-height:1.5;color:#222;max-width:560px;margin:24px auto">` +
    `<h1 style="font-size:20px">${escapeHtml(title)}</h1>` +
    paragraphs.map((p) => `<p>${p}</p>`).join('') +
    `<p style="color:#777;font-size:12px">${escapeHtml(SERVICE)}</p></body></html>`
  );
}

const PURPOSE_TEXT: Record<OtpPurpose, string> = {
  register: 'to confirm your phone number or email address for a new account',
  login: 'to sign in',
  verify: 'to verify your contact details',
  reset: 'to reset your password',
};

const button = (link: string, label: string) =>
  `<a href="${escapeHtml(link)}" style="display:inline-block;padding:10px 16px;background:#2456d3;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(label)}</a>`;

type Renderer<T extends TemplateName> = (data: TemplateData[T]) => RenderedMessage;

const RENDERERS: { [T in TemplateName]: Renderer<T> } = {
  email_verification: ({ link, hours }) => ({
    subject: 'Verify your email address',
    text: `Please confirm that this is your email address by opening this link:\n\n${link}\n\nThe link works once and expires in ${hours} hours. If you did not ask for this, ignore this message.`,
    html: layout('Verify your email address', [
      'Please confirm that this is your email address.',
      button(link, 'Verify my email address'),
      `Or open this link: <a href="${escapeHtml(link)}">${escapeHtml(link)}</a>`,
      `The link works once and expires in ${hours} hours. If you did not ask for this, ignore this message.`,
    ]),
  }),
  otp: ({ code, purpose, minutes }) => ({
    subject: `Your code: ${code}`,
    text: `Your code ${PURPOSE_TEXT[purpose]} is ${code}. It expires in ${minutes} minutes. Never share it.`,
    html: layout('Your one-time code', [
      `Your code ${escapeHtml(PURPOSE_TEXT[purpose])} is:`,
      `<strong style="font-size:28px;letter-spacing:4px">${escapeHtml(code)}</strong>`,
      `It expires in ${minutes} minutes. Never share it with anyone.`,
    ]),
  }),
  password_reset: ({ link, code, minutes, linkMinutes }) => ({
    subject: 'Reset your password',
    text:
      `Someone (hopefully you) asked to reset the password of your account.\n\n` +
      `Choose a new password here (the link works once and expires in ${linkMinutes} minutes):\n\n${link}\n\n` +
      `Or enter this code in the app: ${code} (expires in ${minutes} minutes).\n\n` +
      `If you did not ask for this, ignore this message; your password stays as it is.`,
    html: layout('Reset your password', [
      'Someone (hopefully you) asked to reset the password of your account.',
      button(link, 'Choose a new password'),
      `The link works once and expires in ${linkMinutes} minutes.`,
      `Or enter this code in the app: <strong style="font-size:20px;letter-spacing:3px">${escapeHtml(code)}</strong> (expires in ${minutes} minutes).`,
      'If you did not ask for this, ignore this message; your password stays as it is.',
    ]),
  }),
  password_changed: ({ at }) => ({
    subject: 'Your password was changed',
    text: `The password of your account was changed on ${at} and every session was signed out. If this was not you, reset your password at once and contact support.`,
    html: layout('Your password was changed', [
      `The password of your account was changed on ${escapeHtml(at)}, and sessions were signed out.`,
      'If this was not you, reset your password at once and contact support.',
    ]),
  }),
  account_locked: ({ minutes }) => ({
    subject: 'Sign-in to your account was paused',
    text: `There were too many failed sign-in attempts on your account, so signing in is paused for about ${minutes} minutes. If this was not you, consider resetting your password.`,
    html: layout('Sign-in was paused', [
      `There were too many failed sign-in attempts on your account, so signing in is paused for about ${minutes} minutes.`,
      'If this was not you, consider resetting your password.',
    ]),
  }),
  mfa_factor_added: ({ name, at }) => ({
    subject: 'A sign-in factor was added to your account',
    text: `The second factor "${name}" was added to your account on ${at}. If this was not you, reset your password at once and contact support.`,
    html: layout('A sign-in factor was added', [
      `The second factor “${escapeHtml(name)}” was added to your account on ${escapeHtml(at)}.`,
      'If this was not you, reset your password at once and contact support.',
    ]),
  }),
  mfa_factor_removed: ({ name, at }) => ({
    subject: 'A sign-in factor was removed from your account',
    text: `The second factor "${name}" was removed from your account on ${at}. If this was not you, reset your password at once and contact support.`,
    html: layout('A sign-in factor was removed', [
      `The second factor “${escapeHtml(name)}” was removed from your account on ${escapeHtml(at)}.`,
      'If this was not you, reset your password at once and contact support.',
    ]),
  }),
  mfa_recovery_code_used: ({ left, at }) => ({
    subject: 'A recovery code was used to sign in',
    text: `A recovery code was used to sign in to your account on ${at}; ${left} codes are left. If this was not you, reset your password at once and contact support.`,
    html: layout('A recovery code was used', [
      `A recovery code was used to sign in to your account on ${escapeHtml(at)}; ${left} codes are left.`,
      'If this was not you, reset your password at once and contact support.',
    ]),
  }),
  identity_linked: ({ provider, at }) => ({
    subject: 'A sign-in provider was linked to your account',
    text: `Your ${provider} account was linked to your account on ${at}: it can now be used to sign in. If this was not you, unlink it, reset your password at once and contact support.`,
    html: layout('A sign-in provider was linked', [
      `Your ${escapeHtml(provider)} account was linked to your account on ${escapeHtml(at)}: it can now be used to sign in.`,
      'If this was not you, unlink it, reset your password at once and contact support.',
    ]),
  }),
};

/** Renders a template; for SMS only the text matters, and it is kept short. */
export function renderTemplate<T extends TemplateName>(template: T, data: TemplateData[T], channel: Channel = 'email'): RenderedMessage {
  const renderer = RENDERERS[template] as Renderer<T> | undefined;
  if (!renderer) throw new Error(`unknown template ${String(template)}`);
  const rendered = renderer(data);
  if (channel === 'sms') {
    if (template === 'otp') {
      const d = data as TemplateData['otp'];
      return { ...rendered, text: `${d.code} is your code ${PURPOSE_TEXT[d.purpose]}. It expires in ${d.minutes} min. Never share it.` };
    }
    if (template === 'password_changed') return { ...rendered, text: 'Your password was changed and every session was signed out. Not you? Reset it now.' };
  }
  return rendered;
}
