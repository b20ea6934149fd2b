import { test, expect, type Response } from '@playwright/test';
import { gotoHydrated } from './helpers';

// What a phone downloads on a first visit: the script, the wasm and the stylesheet under names that
// carry their content's hash, so they can be kept for a year and a new build is fetched at once;
// each also exists as a brotli and a gzip copy. The page itself is never cached.
test('the login page loads content-named assets, compressed and kept for a year', async ({ page }) => {
  const seen: Response[] = [];
  page.on('response', (r) => seen.push(r));
  await gotoHydrated(page, '/masuk');
  const html = seen.find((r) => new URL(r.url()).pathname === '/masuk');
  expect(html?.headers()['cache-control']).toBe('no-store');
  const paths = seen.map((r) => new URL(r.url()).pathname).filter((p) => p.startsWith('/pkg/'));
  const js = paths.find((p) => /^\/pkg\/eoffice\.[0-9a-f]{16}\.js$/.test(p));
  const wasm = paths.find((p) => /^\/pkg\/eoffice\.[0-9a-f]{16}_bg\.wasm$/.test(p));
  const css = paths.find((p) => /^\/pkg\/style\.[0-9a-f]{16}\.css$/.test(p));
  expect([js, wasm, css], paths.join(' ')).not.toContain(undefined);
  // The stylesheet is applied: the page has the app's background (--bg), not the browser's white.
  const bg = await page.locator('html').evaluate((h) => getComputedStyle(h).backgroundColor);
  expect(bg).toBe('rgb(244, 246, 249)');
  for (const path of [js!, wasm!, css!]) {
    for (const encoding of ['br', 'gzip']) {
      const res = await page.request.get(path, { headers: { 'accept-encoding': encoding } });
      expect(res.status(), path).toBe(200);
      expect(res.headers()['content-encoding'], `${path} ${encoding}`).toBe(encoding);
      expect(res.headers()['cache-control'], path).toBe('public, max-age=31536000, immutable');
    }
  }
});
