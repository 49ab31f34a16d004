import { escapeHtml } from '@app/notifications';

/**
 * The page a browser sees when a sign-in cannot go back to the application (an unregistered redirect
 * URI, a used or expired link): never a redirect, so the service is no open redirector.
 */
export function errorPage(productName: string, title: string, message: string, code: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)} · ${escapeHtml(productName)}</title>` +
    `<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#222}` +
    `.product{font-weight:600;color:#1f4fd1;margin:0}h1{font-size:1.5rem;margin:.5rem 0 1rem}code{color:#555}</style></head>` +
    `<body><main><p class="product">${escapeHtml(productName)}</p><h1>${escapeHtml(title)}</h1>` +
    `<p role="alert">${escapeHtml(message)}</p><p>Error code: <code>${escapeHtml(code)}</code></p></main></body></html>`
  );
}
