import { expect, type Browser, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { deflateSync } from 'node:zlib';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DEMO_PASSWORD = 'eoffice2026';

/** Demo accounts seeded by the app, keyed by role. */
export const DEMO = {
  kadis: 'bambang.sutrisno@bojonegorokab.go.id',
  sekdin: 'ratna.kusumawati@bojonegorokab.go.id',
  kabid: 'teguh.wibowo@bojonegorokab.go.id',
  kasi: 'eko.saputro@bojonegorokab.go.id',
  staf: 'putri.ayu@bojonegorokab.go.id',
  tu: 'sri.wahyuni@bojonegorokab.go.id',
  adminOpd: 'agus.prasetyo@bojonegorokab.go.id',
  adminPemda: 'arif.setiawan@bojonegorokab.go.id',
  bappeda: 'suharto.wijaya@bojonegorokab.go.id',
} as const;

/** The twelve main pages, with who opens them (the accessibility audit and the touch-target check). */
export const MAIN_PAGES: { who: keyof typeof DEMO; path: string }[] = [
  { who: 'kasi', path: '/' },
  { who: 'kasi', path: '/kotak-masuk' },
  { who: 'kasi', path: '/surat-keluar' },
  { who: 'kasi', path: '/surat-keluar/baru' },
  { who: 'kasi', path: '/disposisi' },
  { who: 'kasi', path: '/kinerja' },
  { who: 'kasi', path: '/notifikasi' },
  { who: 'kasi', path: '/organisasi' },
  { who: 'kasi', path: '/profil' },
  { who: 'tu', path: '/surat-masuk' },
  { who: 'kadis', path: '/dashboard' },
  { who: 'adminPemda', path: '/admin' },
];

/** The app sets data-hydrated="true" on <html> once the WASM has hydrated. */
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForSelector('html[data-hydrated="true"]', { state: 'attached' });
}

export async function gotoHydrated(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await waitForHydration(page);
}

export async function login(page: Page, email: string, password: string = DEMO_PASSWORD): Promise<void> {
  await gotoHydrated(page, '/masuk');
  await page.getByLabel('NIP atau email', { exact: true }).fill(email);
  await page.getByLabel('Kata sandi', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
  await expect(page).not.toHaveURL(/\/masuk/);
  // The app reloads the page after login; wait until the new page is interactive.
  await waitForHydration(page);
}

export async function logout(page: Page): Promise<void> {
  // The menu and the logout button only work once the page is interactive.
  await waitForHydration(page);
  const menu = page.getByRole('button', { name: 'Menu', exact: true });
  if (await menu.isVisible()) {
    await menu.click();
  }
  await page.getByRole('button', { name: 'Keluar', exact: true }).click();
  await expect(page).toHaveURL(/\/masuk/);
}

export function isPhone(testInfo: TestInfo): boolean {
  return testInfo.project.name === 'phone';
}

/** Opens an entry of the main navigation (through the Menu button on a phone). */
export async function openNav(page: Page, name: string): Promise<void> {
  await waitForHydration(page);
  const menu = page.getByRole('button', { name: 'Menu', exact: true });
  if (await menu.isVisible()) {
    await menu.click();
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
  }
  await page.getByRole('navigation', { name: 'Navigasi utama' }).getByRole('link', { name, exact: true }).click();
}

/** Id of the demo's Dinas Kominfo, as the logged-in user's directory lists it. */
export async function kominfoId(page: Page): Promise<string> {
  const res = await page.request.post('/api/list_opds', { form: {} });
  expect(res.status()).toBe(200);
  const opds = (await res.json()) as { id: string; short_name: string }[];
  return opds.find((o) => o.short_name === 'Dinas Kominfo')!.id;
}

/** Id of the demo's other OPD (Bappeda), as the logged-in user's directory lists it. */
export async function bappedaId(page: Page): Promise<string> {
  const opds = (await (await page.request.post('/api/list_opds', { form: {} })).json()) as { id: string; short_name: string }[];
  return opds.find((o) => o.short_name === 'Bappeda')!.id;
}

/** Drafts a letter to Bappeda through the compose server function and submits it for approval;
 * returns its id. `external` adds an external addressee; `signer` is a position id (null: the head). */
export async function submitLetter(
  page: Page,
  subject: string,
  opts: { kind?: string; sifat?: string; external?: boolean; signer?: string | null } = {},
): Promise<string> {
  const recipients: object[] = [{ role: 'to', target_type: 'opd', target_id: await bappedaId(page), name: 'Kepala Bappeda', address: '' }];
  if (opts.external) recipients.push({ role: 'to', target_type: 'external', target_id: null, name: 'Direktur PT Contoh Jaya', address: 'Surabaya' });
  const save = await page.request.post('/api/save_letter', {
    data: {
      id: '',
      client_id: `e2e-${Date.now()}-${Math.random()}`,
      base_version: 0,
      draft: {
        kind: opts.kind ?? 'surat_dinas', klasifikasi: '000.1.3', sifat: opts.sifat ?? 'biasa', urgency: 'biasa', subject, attachment_count: 0,
        signer_position_id: opts.signer ?? null,
        recipients,
        body: { blocks: [{ t: 'Paragraph', c: [{ text: 'Teks awal dari penyusun.' }] }] },
      },
    },
  });
  expect(save.status()).toBe(200);
  const { id } = (await save.json()) as { id: string };
  expect((await page.request.post('/api/letter_action', { form: { id, version: '1', action: 'submit', note: '' } })).status()).toBe(200);
  return id;
}

/** A small valid PNG (8-bit grey, w x h) built by hand: signature, IHDR, one zlib IDAT, IEND. */
export function greyPng(w: number, h: number): Buffer {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = table[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const rows = Buffer.alloc((w + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) rows[y * (w + 1) + 1 + x] = (x * 7 + y * 3) % 256;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** The 6-digit TOTP code (RFC 6238, SHA-1, 30 s) of a base32 secret at `unixSeconds`: what an
 *  authenticator app shows. The secret is read off the page, as a person would type it. */
export function totp(secretBase32: string, unixSeconds: number = Date.now() / 1000): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = secretBase32.replace(/[\s=]/g, '').toUpperCase();
  let bits = '';
  for (const ch of clean) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.alloc(Math.floor(bits.length / 8));
  for (let i = 0; i < key.length; i++) key[i] = parseInt(bits.slice(i * 8, i * 8 + 8), 2);
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const n = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return (n % 1_000_000).toString().padStart(6, '0');
}

/** A code not used yet: the server accepts each 30-second code once (and one step of clock drift
 *  either way), so take the current code, else the next step's, else wait for a new step. */
export async function freshCode(secret: string, used: Set<string>): Promise<string> {
  for (let i = 0; i < 70; i++) {
    const now = Date.now() / 1000;
    // The next step's code only while well inside the current step, so it is still accepted.
    const candidates = now % 30 < 20 ? [totp(secret, now), totp(secret, now + 30)] : [totp(secret, now)];
    const c = candidates.find((x) => !used.has(x));
    if (c) {
      // Codes of earlier steps count as used too: the server accepts only newer steps.
      used.add(c);
      if (c === candidates[1]) used.add(candidates[0]);
      return c;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('no fresh TOTP code within 35 s');
}

/** Admin Pemda: revoke every live certificate of the person found by `q`, with this reason. */
export async function revokeLive(page: Page, q: string, reason: string) {
  await gotoHydrated(page, `/admin/tte?q=${encodeURIComponent(q)}`);
  await expect(page.getByRole('heading', { name: 'Daftar sertifikat' })).toBeVisible();
  const revoke = page.getByRole('button', { name: 'Cabut', exact: true });
  // The list reloads after each revocation; at most a few rounds.
  for (let i = 0; i < 5 && (await revoke.count()) > 0; i++) {
    const form = page.locator('form', { has: revoke.first() });
    await form.getByRole('combobox').selectOption(reason);
    await revoke.first().click();
    await expect(page.getByRole('status').filter({ hasText: 'Sertifikat dicabut' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Daftar sertifikat' })).toBeVisible();
  }
}

/** The position the signed-in person holds (first of their positions). */
export async function myPositionId(page: Page): Promise<string> {
  const me = (await (await page.request.post('/api/current_user', { form: {} })).json()) as { positions: { position_id: string }[] };
  return me.positions[0].position_id;
}

/** Text of a PDF served at `path`, extracted by poppler's pdftotext (installed by scripts/e2e-deps.sh).
 * Reading order without layout; whitespace folded, since justified lines and table cells wrap anywhere. */
export async function pdfText(page: Page, path: string): Promise<string> {
  const res = await page.request.get(path);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toBe('application/pdf');
  const file = join(mkdtempSync(join(tmpdir(), 'eoffice-pdf-')), 'dokumen.pdf');
  writeFileSync(file, await res.body());
  return execFileSync('pdftotext', [file, '-']).toString().replace(/\s+/g, ' ');
}

/** An axe-core audit (WCAG 2.2 A/AA and best practices): the serious and critical findings on the page
 * (or only in the part `include` selects), each with the elements it concerns. */
export async function audit(page: Page, where: string, include?: string): Promise<string[]> {
  const builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']);
  const result = await (include ? builder.include(include) : builder).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
}

export type SessionState = Awaited<ReturnType<BrowserContext['storageState']>>;

/** A logged-in browser state for a demo user, made once and kept in `known` (each test file keeps its
 * own, as other files may end a person's sessions). */
export async function demoSession(
  browser: Browser,
  baseURL: string | undefined,
  who: keyof typeof DEMO,
  known: Map<string, SessionState>,
): Promise<SessionState> {
  const have = known.get(who);
  if (have) return have;
  const context = await browser.newContext({ baseURL });
  const res = await context.request.post('/api/login', { form: { identifier: DEMO[who], password: DEMO_PASSWORD } });
  expect(res.status(), `login ${who}`).toBe(200);
  const state = await context.storageState();
  await context.close();
  known.set(who, state);
  return state;
}
