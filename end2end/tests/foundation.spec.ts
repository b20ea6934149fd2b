import { test, expect } from '@playwright/test';
import { DEMO, DEMO_PASSWORD, gotoHydrated, isPhone, kominfoId, login, logout, openNav, waitForHydration } from './helpers';


test('the login page is served and readable without JavaScript', async ({ browser }) => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  const res = await page.goto('/masuk');
  expect(res?.status()).toBe(200);
  // Only scripts carrying this response's nonce may run.
  const csp = res?.headers()['content-security-policy'] ?? '';
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'wasm-unsafe-eval'/);
  expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
  await expect(page.getByRole('heading', { name: 'Masuk ke e-Office' })).toBeVisible();
  await expect(page.getByLabel('NIP atau email', { exact: true })).toBeVisible();
  // Protected pages send strangers to the login page.
  const home = await page.goto('/organisasi');
  expect(page.url()).toContain('/masuk');
  expect(home?.status()).toBe(200);
  await ctx.close();
});

test('Kepala Dinas logs in and sees the org chart of Dinas Kominfo', async ({ page }) => {
  await login(page, DEMO.kadis);
  await expect(page.getByRole('heading', { name: /Selamat datang, Drs\. Bambang Sutrisno/ })).toBeVisible();
  await expect(page.getByRole('main').getByText('Kepala Dinas Komunikasi dan Informatika')).toBeVisible();
  await openNav(page, 'Organisasi');
  await expect(page).toHaveURL(/\/organisasi/);
  await expect(page.getByRole('heading', { name: 'Struktur Organisasi' })).toBeVisible();
  const tree = page.getByRole('tree', { name: 'Bagan unit kerja' });
  await expect(tree.getByText('Bidang E-Government', { exact: true })).toBeVisible();
  await expect(tree.getByText('Subbagian Umum dan Kepegawaian', { exact: true })).toBeVisible();
  await expect(tree.getByText('Teguh Wibowo, S.T., M.Kom.')).toBeVisible();
  await expect(tree.getByText('Sekretaris Dinas', { exact: true })).toBeVisible();
  await expect(page.getByText(/Dinas Komunikasi dan Informatika · \d+ unit · \d+ pegawai/)).toBeVisible();
  // A full page load renders the same chart on the server (every resource resolves, nothing hangs).
  const full = await page.goto('/organisasi');
  expect(full?.status()).toBe(200);
  await expect(page.getByRole('tree', { name: 'Bagan unit kerja' }).getByText('Bidang E-Government', { exact: true })).toBeVisible();
  await waitForHydration(page);
  // The head is not an admin: no Admin entry in the navigation.
  await expect(page.getByRole('navigation', { name: 'Navigasi utama' }).getByRole('link', { name: 'Admin', exact: true })).toHaveCount(0);
  await logout(page);
});

test('staff and Kasi log in by NIP or email and see their superior', async ({ page }) => {
  await login(page, DEMO.staf);
  await expect(page.getByRole('main').getByText('Pranata Komputer Ahli Pertama')).toBeVisible();
  // The direct superior (exactly: notices on the Beranda may name him too).
  await expect(page.getByRole('main').getByText('Eko Saputro, S.Kom.', { exact: true })).toBeVisible();
  await logout(page);
  // The Kasi logs in with the NIP as printed, with spaces.
  await login(page, DEMO.kasi);
  const nip = (await page.locator('dt:has-text("NIP") + dd').first().textContent())!.trim();
  await logout(page);
  const spaced = `${nip.slice(0, 8)} ${nip.slice(8, 14)} ${nip.slice(14, 15)} ${nip.slice(15)}`;
  await login(page, spaced);
  await expect(page.getByRole('main').getByText('Kepala Seksi Layanan E-Government')).toBeVisible();
  await expect(page.getByRole('main').getByText('Teguh Wibowo, S.T., M.Kom.', { exact: true })).toBeVisible();
  await logout(page);
});

test('bad logins get clear messages in Bahasa Indonesia', async ({ page }) => {
  await gotoHydrated(page, '/masuk');
  await page.getByLabel('NIP atau email', { exact: true }).fill('12345');
  await page.getByLabel('Kata sandi', { exact: true }).fill('apa saja');
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('NIP harus 18 digit');
  await page.getByLabel('NIP atau email', { exact: true }).fill(DEMO.sekdin);
  await page.getByLabel('Kata sandi', { exact: true }).fill('bukan-sandinya1');
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('NIP/email atau kata sandi salah.');
  await expect(page).toHaveURL(/\/masuk/);
});

test('staff cannot open an admin page or call an admin server function', async ({ page }) => {
  await login(page, DEMO.staf);
  await expect(page.getByRole('navigation', { name: 'Navigasi utama' }).getByRole('link', { name: 'Admin', exact: true })).toHaveCount(0);
  const res = await page.goto('/admin');
  expect(res?.status()).toBe(403);
  await expect(page.getByText('Akses ditolak.')).toBeVisible();
  const id = await kominfoId(page);
  const adminPage = await page.goto(`/admin/opd/${id}?tab=pegawai`);
  expect(adminPage?.status()).toBe(403);
  // Calling the server functions directly is refused too.
  const list = await page.request.post('/api/list_employees', { form: { opd_id: id, query: '', page: '1' } });
  expect(list.status()).toBe(403);
  expect(await list.text()).toContain('tidak berwenang');
  const grant = await page.request.post('/api/grant_role', { form: { nip: '198001012005011001', role: 'admin_pemda' } });
  expect(grant.status()).toBe(403);
  const csv = await page.request.get(`/admin/opd/${id}/pegawai.csv`);
  expect(csv.status()).toBe(403);
  // Without a session: 401.
  await logout(page);
  const anon = await page.request.post('/api/list_employees', { form: { opd_id: id, query: '', page: '1' } });
  expect(anon.status()).toBe(401);
  expect(await anon.text()).toContain('Sesi Anda berakhir');
});

test('cross-site POSTs are refused', async ({ page }) => {
  await login(page, DEMO.adminOpd);
  const res = await page.request.post('/api/list_opds', { form: {}, headers: { Origin: 'http://evil.example' } });
  expect(res.status()).toBe(403);
  expect(await res.text()).toContain('lintas situs');
  const ok = await page.request.post('/api/list_opds', { form: {}, headers: { Origin: new URL(page.url()).origin } });
  expect(ok.status()).toBe(200);
});

function csvNip(base: number, i: number) {
  // 18 digits: birth 1995-01-0d, appointed 2020-12, sex 1, serial base+i.
  return `1995010${i + 1}2020121${String(base + i).padStart(3, '0')}`;
}

test('Admin OPD imports a CSV with errors, then a correct one', async ({ page }, testInfo) => {
  const base = isPhone(testInfo) ? 100 : 200;
  const tag = isPhone(testInfo) ? 'Ponsel' : 'Desktop';
  await login(page, DEMO.adminOpd);
  await openNav(page, 'Admin');
  await page.getByRole('link', { name: 'Kelola Dinas Kominfo' }).click();
  await page.getByRole('link', { name: 'Impor / Ekspor CSV' }).click();
  await expect(page.getByRole('heading', { name: 'Impor pegawai dari CSV' })).toBeVisible();
  const header = 'nip,nama,jabatan,unit,atasan,email\n';
  const bad =
    header +
    `${csvNip(base, 0)},Impor ${tag} Satu,Pranata Komputer,Seksi Layanan E-Government,,\n` +
    `123,Impor ${tag} NIP Salah,Staf,Seksi Layanan E-Government,,\n` +
    `${csvNip(base, 2)},Impor ${tag} Unit Salah,Staf,Seksi Antah Berantah,,\n`;
  await page.getByLabel('Berkas CSV').setInputFiles({ name: 'pegawai-salah.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.getByRole('button', { name: 'Periksa berkas' }).click();
  await expect(page.getByText('2 baris bermasalah')).toBeVisible();
  await expect(page.getByText('NIP harus 18 digit')).toBeVisible();
  await expect(page.getByText('Unit "Seksi Antah Berantah" tidak ditemukan')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Impor sekarang' })).toBeDisabled();
  // A file that is not UTF-8.
  await page.getByLabel('Berkas CSV').setInputFiles({ name: 'latin1.csv', mimeType: 'text/csv', buffer: Buffer.from([...Buffer.from(header), 0x42, 0x75, 0x64, 0xe9, 0x0a]) });
  await page.getByRole('button', { name: 'Periksa berkas' }).click();
  await expect(page.getByText(/bukan teks UTF-8/)).toBeVisible();
  // The corrected file.
  const good =
    header +
    `${csvNip(base, 0)},Impor ${tag} Satu,Pranata Komputer,Seksi Layanan E-Government,,impor.${tag.toLowerCase()}.satu@bojonegorokab.go.id\n` +
    `${csvNip(base, 1)},Impor ${tag} Dua,Analis Data,Seksi Infrastruktur TIK,,\n`;
  await page.getByLabel('Berkas CSV').setInputFiles({ name: 'pegawai.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await page.getByRole('button', { name: 'Periksa berkas' }).click();
  await expect(page.getByText('2 baris valid')).toBeVisible();
  await page.getByRole('button', { name: 'Impor sekarang' }).click();
  await expect(page.getByText(/Berhasil: 2 baris diimpor \(2 akun baru\)/)).toBeVisible();
  await expect(page.getByRole('heading', { name: /Kata sandi sementara akun baru/ })).toBeVisible();
  // The new people are in the employee list.
  await page.getByRole('link', { name: 'Pegawai', exact: true }).click();
  await page.getByLabel('Cari nama atau NIP').fill(`Impor ${tag}`);
  await expect(page.getByText(`Impor ${tag} Satu`)).toBeVisible();
  await expect(page.getByText(`Impor ${tag} Dua`)).toBeVisible();
});

test('an admin reset forces a password change at next login', async ({ page }, testInfo) => {
  const who = isPhone(testInfo) ? 'Dedi Kurniawan' : 'Lina Permatasari';
  const email = isPhone(testInfo) ? 'dedi.kurniawan@bojonegorokab.go.id' : 'lina.permatasari@bojonegorokab.go.id';
  await login(page, DEMO.adminOpd);
  await openNav(page, 'Admin');
  await page.getByRole('link', { name: 'Kelola Dinas Kominfo' }).click();
  await page.getByRole('link', { name: 'Pegawai', exact: true }).click();
  await page.getByLabel('Cari nama atau NIP').fill(who);
  await page.getByRole('button', { name: `Reset sandi ${who}` }).click();
  const temp = (await page.locator('code.temp-password').textContent())!.trim();
  expect(temp).toMatch(/^[a-z]{10}\d{2}$/);
  await logout(page);
  await login(page, email, temp);
  await expect(page).toHaveURL(/\/ganti-sandi/);
  await page.getByLabel('Kata sandi lama', { exact: true }).fill(temp);
  await page.getByLabel('Kata sandi baru', { exact: true }).fill('pendek');
  await page.getByLabel('Ulangi kata sandi baru').fill('pendek');
  await page.getByRole('button', { name: 'Simpan kata sandi' }).click();
  await expect(page.getByRole('alert')).toContainText('minimal 8 karakter');
  await page.getByLabel('Kata sandi baru', { exact: true }).fill('SandiBaru2026');
  await page.getByLabel('Ulangi kata sandi baru').fill('SandiBaru2026');
  await page.getByRole('button', { name: 'Simpan kata sandi' }).click();
  await expect(page).toHaveURL(/\/$/);
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: new RegExp(`Selamat datang, ${who}`) })).toBeVisible();
});

test('the interface switches to English and back', async ({ page }) => {
  await login(page, DEMO.kabid);
  const menu = page.getByRole('button', { name: 'Menu', exact: true });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: /Welcome, Teguh Wibowo/ })).toBeVisible();
  await waitForHydration(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  const menuEn = page.getByRole('button', { name: 'Menu', exact: true });
  if (await menuEn.isVisible()) await menuEn.click();
  await page.getByRole('link', { name: 'Bahasa Indonesia' }).click();
  await expect(page.getByRole('heading', { name: /Selamat datang, Teguh Wibowo/ })).toBeVisible();
});

test('unknown pages get a real 404', async ({ page }) => {
  const res = await page.goto('/tidak-ada-halaman-ini');
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: '404' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Ke beranda' })).toBeVisible();
});

test('Admin Pemda sees every OPD, adds one and verifies the audit chain', async ({ page }, testInfo) => {
  const name = isPhone(testInfo) ? 'Dinas Kesehatan' : 'Dinas Pendidikan';
  await login(page, DEMO.adminPemda);
  await openNav(page, 'Admin');
  await expect(page.getByRole('link', { name: 'Kelola Bappeda' })).toBeVisible();
  await page.getByLabel('Nama OPD').fill(name);
  await page.getByLabel('Singkatan').fill(name.replace('Dinas ', 'Dinas-'));
  await page.getByLabel('Kode unit (nomor surat)').fill('bukan kode!');
  await page.getByRole('button', { name: 'Simpan OPD' }).click();
  await expect(page.getByRole('alert')).toContainText('Kode unit hanya boleh');
  await page.getByLabel('Kode unit (nomor surat)').fill(isPhone(testInfo) ? '440' : '420');
  await page.getByRole('button', { name: 'Simpan OPD' }).click();
  await expect(page.getByText('OPD disimpan.')).toBeVisible();
  await expect(page.getByRole('cell', { name, exact: true })).toBeVisible();
  // Full page loads of the admin pages render on the server too.
  const adminLoad = await page.goto('/admin');
  expect(adminLoad?.status()).toBe(200);
  await expect(page.getByRole('cell', { name, exact: true })).toBeVisible();
  await waitForHydration(page);
  await page.getByRole('link', { name: /Lihat log audit/ }).click();
  await page.getByRole('button', { name: 'Periksa keutuhan rantai' }).click();
  await expect(page.getByText(/Rantai audit utuh: \d+ baris diperiksa\./)).toBeVisible();
  await expect(page.getByRole('cell', { name: 'opd.create' }).first()).toBeVisible();
});

test('the session cookie is HttpOnly and SameSite=Lax', async ({ page, context }) => {
  await login(page, DEMO.tu);
  const cookie = (await context.cookies()).find((c) => c.name === 'eoffice_sesi');
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe('Lax');
  expect(await page.evaluate(() => document.cookie)).not.toContain('eoffice_sesi');
  await logout(page);
  // After logout the old cookie no longer works.
  const res = await page.request.post('/api/current_user', { form: {} });
  expect(await res.json()).toBeNull();
});

test('the demo password is not accepted for an unknown account', async ({ page }) => {
  await gotoHydrated(page, '/masuk');
  await page.getByLabel('NIP atau email', { exact: true }).fill('tidak.ada@bojonegorokab.go.id');
  await page.getByLabel('Kata sandi', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('NIP/email atau kata sandi salah.');
});

test('an Admin OPD cannot take over an admin account or appoint themselves acting head', async ({ page }) => {
  await login(page, DEMO.adminOpd);
  const id = await kominfoId(page);
  const list = await page.request.post('/api/list_employees', { form: { opd_id: id, query: 'Arif Setiawan', page: '1' } });
  expect(list.status()).toBe(200);
  const arif = (await list.json()).rows[0].employee;
  expect(arif.name).toBe('Arif Setiawan, S.T.');
  const reset = await page.request.post('/api/reset_password', { form: { opd_id: id, id: arif.id } });
  expect(reset.status()).toBe(403);
  expect(await reset.text()).toContain('Admin Pemda');
  const off = await page.request.post('/api/set_employee_active', { form: { opd_id: id, id: arif.id, active: 'false' } });
  expect(off.status()).toBe(403);
  const structure = await page.request.post('/api/admin_structure', { form: { opd_id: id } });
  const [opd, , positions] = await structure.json();
  const head = positions.find((p: { id: string }) => p.id === opd.head_position_id);
  const me = (await (await page.request.post('/api/current_user', { form: {} })).json()).nip;
  const acting = await page.request.post('/api/create_acting', {
    form: { opd_id: id, position_id: head.id, nip: me, kind: 'plh', start: '2026-01-01', end: '2026-01-05', note: '' },
  });
  expect(acting.status()).toBe(403);
});
