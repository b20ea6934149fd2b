import { test, expect, type Response } from '@playwright/test';
import { DEMO, gotoHydrated, login, waitForHydration } from './helpers';

// What a phone downloads on a first visit: the script, the wasm and the stylesheet in a folder named
// by the build's content hash, so they can be kept for a year and a new build is fetched at once;
// each also exists as a brotli and a gzip copy. The page itself is never cached.
test('the login page loads content-named assets, compressed and kept for a year', async ({ page }) => {
  const seen: Response[] = [];
  page.on('response', (r) => seen.push(r));
  await gotoHydrated(page, '/masuk');
  const html = seen.find((r) => new URL(r.url()).pathname === '/masuk');
  expect(html?.headers()['cache-control']).toBe('no-store');
  const paths = seen.map((r) => new URL(r.url()).pathname).filter((p) => p.startsWith('/pkg/'));
  const js = paths.find((p) => /^\/pkg\/[0-9a-f]{16}\/eoffice\.js$/.test(p));
  const wasm = paths.find((p) => /^\/pkg\/[0-9a-f]{16}\/eoffice_bg\.wasm$/.test(p));
  const css = paths.find((p) => /^\/pkg\/[0-9a-f]{16}\/style\.css$/.test(p));
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

// A signed-in page also loads the wasm chunks of its page group, named in the page head so they
// arrive with the main module, from the same build folder and cached the same way.
test('a signed-in page loads its chunks from the same build, preloaded and kept for a year', async ({ page }) => {
  await login(page, DEMO.kasi);
  const seen: string[] = [];
  page.on('response', (r) => seen.push(new URL(r.url()).pathname));
  // The page as the server sent it to this browser (after hydration the head keeps only what the
  // app renders itself).
  const nav = (await page.goto('/surat-keluar'))!;
  await waitForHydration(page);
  expect(new URL(nav.url()).pathname, 'the page itself, not a redirect to the login page').toBe('/surat-keluar');
  const html = await nav.text();
  const build = seen.find((p) => /^\/pkg\/[0-9a-f]{16}\/eoffice_bg\.wasm$/.test(p))!.split('/')[2];
  const chunks = seen.filter((p) => /^\/pkg\/[0-9a-f]{16}\/(chunk_\d+|split_\w+)\.wasm$/.test(p));
  expect(chunks.length, seen.join(' ')).toBeGreaterThan(0);
  const preloaded = [...html.matchAll(/<link [^>]*rel="preload"[^>]*>/g)].map((m) => m[0].match(/href="([^"]+)"/)![1]);
  const title = html.match(/<title>([^<]*)<\/title>/)?.[1];
  for (const chunk of chunks) {
    expect(chunk.split('/')[2], chunk).toBe(build);
    expect(preloaded, `${chunk} in the head of "${title}"`).toContain(chunk);
  }
  const res = await page.request.get(chunks[0], { headers: { 'accept-encoding': 'br' } });
  expect(res.headers()['content-encoding']).toBe('br');
  expect(res.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
});

// Leptos writes the chunk preloads after rendering, finding what it needs through the reactive
// owner current on the server thread at that moment; the server polls each page under its own
// owner so that no page goes out without them, however its threads take the requests (before,
// about two in three of concurrent loads lacked them). Each of many concurrent loads is checked.
test('every one of many concurrent loads of a page names its chunks in the head', async ({ page }) => {
  await login(page, DEMO.kasi);
  const answers = await Promise.all(Array.from({ length: 40 }, () => page.request.get('/surat-keluar')));
  for (const [i, res] of answers.entries()) {
    expect(res.status(), `load ${i}`).toBe(200);
    const html = await res.text();
    const chunks = [...html.matchAll(/<link [^>]*rel="preload"[^>]*>/g)]
      .map((m) => m[0].match(/href="([^"]+)"/)![1])
      .filter((href) => /^\/pkg\/[0-9a-f]{16}\/(chunk_\d+|split_\w+)\.wasm$/.test(href));
    expect(chunks.length, `chunk preloads in load ${i} of 40`).toBeGreaterThan(0);
  }
});
