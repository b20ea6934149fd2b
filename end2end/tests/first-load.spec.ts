import { test, expect, type Browser, type Page } from '@playwright/test';
import { request as httpRequest } from 'node:http';
import { brotliCompressSync, constants } from 'node:zlib';
import { DEMO, bappedaId, demoSession, kominfoId, waitForHydration, type SessionState } from './helpers';

// What a phone downloads on a first visit of each page, with nothing cached: the page, the script,
// the wasm main module, the chunks of the page and the stylesheet, counted as brotli bytes (the
// build's precompressed copies; the page itself compressed here the same way).
//
// Issue 17's goal is 150 KB for the login page and 250 KB for every other page. Splitting the wasm
// by route (scripts/build.sh) brought the login page from 1,431 KB to 237 KB and the other pages to
// 545-930 KB; the rest of the way is still open (docs/PERFORMANCE.md). The budget enforced here is
// what has been reached, so the size can only go down: raising it needs a commit that says why.
// Raised from 940 KB: issue 20's interface (the flash bar, the tab component, the returned state,
// the survey card) added 31 KB to every signed-in page and 44 KB to the letter pages (2026-12-07:
// 576 KB personal pages, 838-845 KB incoming, 954-976 KB the rest).
// Raised again (login 240 -> 312 KB, pages 980 -> 1,035 KB) when the first-login tour card came in:
// the code of the main module stayed byte for byte the same (615,333 bytes), but its data section
// grew from 65 KB to 277 KB: string constants of every page, which the splitter had left in the
// page chunks, now sit in the main module. Moving those constants back into their chunks is the
// next step for issue 17 (docs/PERFORMANCE.md).
// Raised once more (pages 1,035 -> 1,045 KB) for issue 21's backup card on the Admin Pemda's
// Administrasi page: the admin chunk grew from 1,029 to 1,041-1,042 KB on every /admin page (a
// single-view rewrite of the card saved 3 KB of the first 15); the other pages are unchanged.
const GOAL_BROTLI_BYTES = { login: 150_000, page: 250_000 };
const BUDGET_BROTLI_BYTES = { login: 312_000, page: 1_045_000 };

type Visit = { path: string; who: keyof typeof DEMO | null; heading: RegExp };

// Every route of the app, each as a user who may open it. Ids are filled in by `routes()`.
const STATIC_ROUTES: Visit[] = [
  { path: '/masuk', who: null, heading: /Masuk/ },
  { path: '/', who: 'kadis', heading: /Selamat datang/ },
  { path: '/kotak-masuk', who: 'kadis', heading: /Kotak Masuk/ },
  { path: '/surat-keluar', who: 'kasi', heading: /Surat Keluar/ },
  { path: '/surat-keluar?tab=perlu-paraf', who: 'kasi', heading: /Surat Keluar/ },
  { path: '/surat-keluar/baru', who: 'staf', heading: /Tulis surat/ },
  { path: '/surat-keluar/nomor-manual', who: 'tu', heading: /Nomor surat manual/ },
  { path: '/surat-masuk', who: 'tu', heading: /Surat Masuk/ },
  { path: '/surat-masuk/baru', who: 'tu', heading: /Registrasi surat masuk/ },
  { path: '/disposisi', who: 'kabid', heading: /Disposisi/ },
  { path: '/kinerja', who: 'staf', heading: /Kinerja/ },
  { path: '/kinerja/validasi', who: 'kasi', heading: /Kinerja/ },
  { path: '/kinerja/rekap', who: 'kadis', heading: /Kinerja/ },
  { path: '/kinerja/predikat', who: 'kadis', heading: /Kinerja/ },
  { path: '/kinerja/pengaturan', who: 'adminPemda', heading: /Kinerja/ },
  { path: '/dashboard', who: 'kadis', heading: /Dasbor pimpinan/ },
  { path: '/notifikasi', who: 'staf', heading: /Notifikasi/ },
  { path: '/notifikasi/pengaturan', who: 'staf', heading: /Pengaturan notifikasi/ },
  { path: '/organisasi', who: 'staf', heading: /Struktur Organisasi/ },
  { path: '/profil', who: 'staf', heading: /Profil/ },
  { path: '/ganti-sandi', who: 'staf', heading: /Ganti kata sandi/ },
  { path: '/keamanan', who: 'staf', heading: /Keamanan akun/ },
  { path: '/profil/tte', who: 'kadis', heading: /Sertifikat Tanda Tangan Elektronik/ },
  { path: '/admin', who: 'adminPemda', heading: /Administrasi/ },
  { path: '/admin/audit', who: 'adminPemda', heading: /Log audit/ },
  { path: '/admin/naskah', who: 'adminPemda', heading: /Pengaturan naskah dinas/ },
  { path: '/admin/tte', who: 'adminPemda', heading: /Sertifikat Tanda Tangan Elektronik/ },
];

const sessions = new Map<string, SessionState>();
const session = (browser: Browser, baseURL: string | undefined, who: keyof typeof DEMO) => demoSession(browser, baseURL, who, sessions);

/** The routes with ids: a draft of the staff member, the demo's incoming letter, an OPD. */
async function routes(page: Page, browser: Browser, baseURL: string | undefined): Promise<Visit[]> {
  const list = [...STATIC_ROUTES];
  // A draft (never submitted, so no one else's queue changes) for the letter and edit pages.
  const save = await page.request.post('/api/save_letter', {
    data: {
      id: '',
      client_id: `first-load-${Date.now()}-${Math.random()}`,
      base_version: 0,
      draft: {
        kind: 'surat_dinas', klasifikasi: '000.1.3', sifat: 'biasa', urgency: 'biasa',
        subject: `Uji muatan awal ${Date.now()}`, attachment_count: 0, signer_position_id: null,
        recipients: [{ role: 'to', target_type: 'opd', target_id: await bappedaId(page), name: 'Kepala Bappeda', address: '' }],
        body: { blocks: [{ t: 'Paragraph', c: [{ text: 'Isi uji.' }] }] },
      },
    },
  });
  expect(save.status()).toBe(200);
  const { id } = (await save.json()) as { id: string };
  list.push({ path: `/surat-keluar/${id}`, who: 'staf', heading: /Uji muatan awal/ });
  list.push({ path: `/surat-keluar/${id}/ubah`, who: 'staf', heading: /Ubah|Tulis/ });
  const opd = await kominfoId(page);
  list.push({ path: `/organisasi/${opd}`, who: 'staf', heading: /Struktur Organisasi/ });
  list.push({ path: `/admin/opd/${opd}`, who: 'adminOpd', heading: /Kelola OPD/ });
  // The demo's incoming letter, as the clerk's register and the head's inbox link it.
  for (const [who, list_path, heading] of [
    ['tu', '/surat-masuk', /./],
    ['kadis', '/kotak-masuk', /./],
  ] as const) {
    const context = await browser.newContext({ baseURL, storageState: await session(browser, baseURL, who) });
    const html = await (await context.request.get(list_path)).text();
    await context.close();
    const found = html.match(new RegExp(`href="(${list_path}/[0-9a-f]{32})"`));
    expect(found, `a link to an entry on ${list_path}`).not.toBeNull();
    list.push({ path: found![1], who, heading });
  }
  return list;
}

/** Bytes of a built asset as a brotli-accepting browser receives it. */
function brotliBytes(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { 'accept-encoding': 'br' } }, (res) => {
      let n = 0;
      res.on('data', (c: Buffer) => (n += c.length));
      res.on('end', () => (res.headers['content-encoding'] === 'br' ? resolve(n) : reject(new Error(`${url}: sent without brotli`))));
    });
    req.on('error', reject);
    req.end();
  });
}

const brotli = (b: Buffer) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

test('every page hydrates on a first visit and stays within the size budget', async ({ browser, baseURL }, testInfo) => {
  test.setTimeout(300_000);
  const setup = await browser.newContext({ baseURL, storageState: await session(browser, baseURL, 'staf') });
  const all = await routes(await setup.newPage(), browser, baseURL);
  await setup.close();

  const report: string[] = [];
  for (const visit of all) {
    // A new context: an empty cache, as on a phone's first visit.
    const context = await browser.newContext({
      baseURL,
      viewport: testInfo.project.use.viewport ?? undefined,
      isMobile: testInfo.project.use.isMobile,
      userAgent: testInfo.project.use.userAgent,
      locale: 'id-ID',
      storageState: visit.who ? await session(browser, baseURL, visit.who) : undefined,
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const downloads: { url: string; body: () => Promise<Buffer> }[] = [];
    page.on('response', (r) => {
      // (The notification stream never ends: it is live data, not part of the load.)
      const stream = (r.headers()['content-type'] ?? '').startsWith('text/event-stream');
      if (r.request().method() === 'GET' && r.status() === 200 && !stream) downloads.push({ url: r.url(), body: () => r.body() });
    });
    const res = await page.goto(visit.path);
    expect(res?.status(), visit.path).toBe(200);
    await waitForHydration(page);
    await expect(page.getByRole('heading', { level: 1 }).first(), visit.path).toHaveText(visit.heading);
    const firstLoad = downloads.splice(0);

    // Hydrated means the page answers clicks: following a link is handled in the page (no new
    // document is requested) and shows the other page, loading its chunk on the way.
    let documents = 0;
    page.on('request', (r) => {
      if (r.isNavigationRequest()) documents += 1;
    });
    if (visit.who) {
      await page.getByRole('link', { name: 'e-Office' }).first().click();
      await expect(page).toHaveURL(/\/$/);
      await expect(page.getByRole('heading', { level: 1, name: /Selamat datang/ })).toBeVisible();
    } else {
      await page.getByLabel('NIP atau email', { exact: true }).fill('bukan-akun');
      await page.getByLabel('Kata sandi', { exact: true }).fill('salah');
      await page.getByRole('button', { name: 'Masuk', exact: true }).click();
      await expect(page.getByRole('alert')).toBeVisible();
    }
    expect(documents, `${visit.path}: the click was handled without loading a new page`).toBe(0);
    expect(errors, visit.path).toEqual([]);

    // The first visit's bytes: every file the page load fetched (before the click).
    let total = 0;
    const parts: string[] = [];
    for (const d of firstLoad) {
      const path = new URL(d.url).pathname;
      if (path.startsWith('/api/')) continue;
      const n = path.startsWith('/pkg/') ? await brotliBytes(d.url) : brotli(await d.body());
      total += n;
      parts.push(`${path.replace(/^\/pkg\/[0-9a-f]{16}\//, '')} ${n}`);
    }
    const budget = visit.who ? BUDGET_BROTLI_BYTES.page : BUDGET_BROTLI_BYTES.login;
    const goal = visit.who ? GOAL_BROTLI_BYTES.page : GOAL_BROTLI_BYTES.login;
    report.push(`${visit.path}: ${total} bytes brotli (goal ${goal}, budget ${budget})`);
    expect.soft(total, `${visit.path} first visit: ${parts.join(', ')}`).toBeLessThanOrEqual(budget);
    await context.close();
  }
  testInfo.attach('first-visit-bytes', { body: report.join('\n') });
  console.log(report.join('\n'));
});
