import { escapeHtml } from '@app/notifications';
import { API_BASE_PATH } from '@app/core';

/** What every hosted page shows besides its own content. */
export interface PageContext {
  /** PRODUCT_NAME. */
  productName: string;
  /** An allowed `redirectTo` (see `allowedRedirect`): the page ends with a "Continue to …" link. */
  redirectTo?: string | null;
}

/** Absolute path of the reset form's submission: the same whatever page (or retry) shows the form. */
export const RESET_FORM_ACTION = `${API_BASE_PATH}/auth/password/reset/form`;

// An inline icon: no request for /favicon.ico, so no 404 in the browser console (CSP img-src allows data:).
const FAVICON =
  'data:image/svg+xml,' +
  encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1f4fd1"/><path d="M5 7V5a3 3 0 0 1 6 0v2h1v7H4V7zm2 0h2V5a1 1 0 0 0-2 0z" fill="#fff"/></svg>');

function continueLink(ctx: PageContext): string {
  if (!ctx.redirectTo) return '';
  return `<p><a class="continue" href="${escapeHtml(ctx.redirectTo)}">Continue to ${escapeHtml(new URL(ctx.redirectTo).host)}</a></p>`;
}

function page(ctx: PageContext, title: string, body: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)} · ${escapeHtml(ctx.productName)}</title>` +
    `<link rel="icon" href="${FAVICON}">` +
    `<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#222}` +
    `.product{font-weight:600;color:#1f4fd1;margin:0}h1{font-size:1.5rem;margin:.5rem 0 1rem}` +
    `label{display:block;margin:.75rem 0 .25rem}input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}` +
    `button{margin-top:1rem;padding:.6rem 1rem;font-size:1rem}.error{color:#b00020}a.continue{font-weight:600}</style></head>` +
    `<body><main><p class="product">${escapeHtml(ctx.productName)}</p><h1>${escapeHtml(title)}</h1>${body}${continueLink(ctx)}</main></body></html>`
  );
}

export const emailVerifiedPage = (ctx: PageContext) => page(ctx, 'Email address verified', '<p>Thank you — your email address is verified. You can close this page.</p>');

export type LinkProblem = 'missing' | 'invalid' | 'expired';

export const emailNotVerifiedPage = (ctx: PageContext, reason: LinkProblem) =>
  page(
    ctx,
    'Email address not verified',
    `<p role="alert">${
      reason === 'expired'
        ? 'This link has expired. Sign in and ask for a new verification email.'
        : reason === 'missing'
          ? 'This link is incomplete: its token is missing. Open the link from the email again, or copy the whole address into the browser.'
          : 'This link is not valid: it was already used, or a newer link was sent, or the address was changed since. Sign in and ask for a new verification email if you still need one.'
    }</p>`,
  );

/**
 * The reset form. It posts to an absolute path (a re-shown form posts to the same place), carries the
 * token and the allowed `redirectTo` in hidden fields, and a hidden username field (the account's
 * address) so password managers file the new password under the right account.
 */
export const resetFormPage = (ctx: PageContext, form: { token: string; username: string; error?: string }) =>
  page(
    { ...ctx, redirectTo: null },
    'Choose a new password',
    (form.error ? `<p id="password-error" class="error" role="alert">${escapeHtml(form.error)}</p>` : '') +
      `<form method="post" action="${RESET_FORM_ACTION}">` +
      `<input type="hidden" name="token" value="${escapeHtml(form.token)}">` +
      (ctx.redirectTo ? `<input type="hidden" name="redirectTo" value="${escapeHtml(ctx.redirectTo)}">` : '') +
      `<input type="text" name="username" value="${escapeHtml(form.username)}" autocomplete="username" hidden readonly>` +
      `<label for="newPassword">New password (8 to 128 characters)</label>` +
      `<input id="newPassword" name="newPassword" type="password" minlength="8" maxlength="128" autocomplete="new-password" required` +
      (form.error ? ` aria-invalid="true" aria-describedby="password-error"` : '') +
      `>` +
      `<button type="submit">Set the new password</button></form>`,
  );

export const resetLinkInvalidPage = (ctx: PageContext, reason: LinkProblem) =>
  page(
    ctx,
    'This link cannot be used',
    `<p role="alert">${
      reason === 'expired'
        ? 'This password reset link has expired. Ask for a new one from the sign-in page.'
        : reason === 'missing'
          ? 'This password reset link is incomplete: its token is missing. Open the link from the email again, or ask for a new one from the sign-in page.'
          : 'This password reset link is not valid: it was already used, or a newer one was sent. Ask for a new one from the sign-in page.'
    }</p>`,
  );

export const passwordResetDonePage = (ctx: PageContext) =>
  page(ctx, 'Password changed', '<p>Your password was changed and every session was signed out. You can now sign in with the new password.</p>');
