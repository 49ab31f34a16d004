import { escapeHtml } from '@app/notifications';

function page(title: string, body: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title>` +
    `<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#222}` +
    `label{display:block;margin:.75rem 0 .25rem}input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}` +
    `button{margin-top:1rem;padding:.6rem 1rem;font-size:1rem}.error{color:#b00020}</style></head>` +
    `<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`
  );
}

export const emailVerifiedPage = () => page('Email address verified', '<p>Thank you — your email address is verified. You can close this page.</p>');

export const emailNotVerifiedPage = (reason: 'invalid' | 'expired') =>
  page(
    'Email address not verified',
    reason === 'expired'
      ? '<p>This link has expired. Sign in and ask for a new verification email.</p>'
      : '<p>This link is not valid: it was already used, or a newer link was sent, or the address was changed since. Sign in and ask for a new verification email if you still need one.</p>',
  );

/** The reset form posts to `reset/form` relative to this page (same origin, CSP `form-action 'self'`). */
export const resetFormPage = (token: string, error?: string) =>
  page(
    'Choose a new password',
    (error ? `<p class="error">${escapeHtml(error)}</p>` : '') +
      `<form method="post" action="reset/form">` +
      `<input type="hidden" name="token" value="${escapeHtml(token)}">` +
      `<label for="newPassword">New password (8 to 128 characters)</label>` +
      `<input id="newPassword" name="newPassword" type="password" minlength="8" maxlength="128" autocomplete="new-password" required>` +
      `<button type="submit">Set the new password</button></form>`,
  );

export const resetLinkInvalidPage = (reason: 'invalid' | 'expired') =>
  page(
    'This link cannot be used',
    reason === 'expired'
      ? '<p>This password reset link has expired. Ask for a new one from the sign-in page.</p>'
      : '<p>This password reset link is not valid: it was already used, or a newer one was sent. Ask for a new one from the sign-in page.</p>',
  );

export const passwordResetDonePage = () =>
  page('Password changed', '<p>Your password was changed and every session was signed out. You can now sign in with the new password.</p>');
