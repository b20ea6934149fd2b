import { test, expect, type Page } from '@playwright/test';
import { DEMO, DEMO_PASSWORD, gotoHydrated, isPhone, kominfoId, login, logout } from './helpers';

type Position = { id: string; title: string; level: number; unit_id: string };
type Unit = { id: string; parent_id: string | null };

/** The OPD, its units and positions, as its admin page loads them. */
async function structure(page: Page, opd: string): Promise<[{ head_position_id: string | null }, Unit[], Position[]]> {
  const res = await page.request.post('/api/admin_structure', { form: { opd_id: opd } });
  expect(res.status()).toBe(200);
  return res.json();
}

/** A new unit under the OPD's root with one position of `level` in it (set-up through the API). */
async function unitWithPosition(page: Page, opd: string, name: string, level: number): Promise<string> {
  const [, units] = await structure(page, opd);
  const root = units.find((u) => u.parent_id === null)!;
  const unit = await page.request.post('/api/save_unit', {
    form: { opd_id: opd, id: '', parent_id: root.id, name, kind: 'bidang', code: '' },
  });
  expect(unit.status()).toBe(200);
  const pos = await page.request.post('/api/save_position', {
    form: { opd_id: opd, id: '', unit_id: await unit.json(), title: `Kepala ${name}`, level: String(level) },
  });
  expect(pos.status()).toBe(200);
  return pos.json();
}

async function openEmployees(page: Page, opd: string, who: string) {
  await gotoHydrated(page, `/admin/opd/${opd}?tab=pegawai`);
  await page.getByLabel('Cari nama atau NIP').fill(who);
  await page.getByRole('button', { name: `Ubah ${who}` }).click();
}

test('an Admin OPD cannot move themselves; moving someone into a leader post tells the head', async ({ page }, testInfo) => {
  const tag = isPhone(testInfo) ? 'Ponsel' : 'Desktop';
  const who = isPhone(testInfo) ? 'Maya Sari' : 'Bayu Firmansyah, A.Md.Kom.';
  await login(page, DEMO.adminOpd);
  const opd = await kominfoId(page);
  const post = await unitWithPosition(page, opd, `Bidang Uji ${tag} ${Date.now()}`, 3);
  const [, , positions] = await structure(page, opd);
  const title = positions.find((p) => p.id === post)!.title;

  // Their own record: the position cannot change, and the form says why.
  await openEmployees(page, opd, 'Agus Prasetyo, A.Md.');
  await page.getByLabel('Jabatan', { exact: true }).selectOption({ label: title });
  await page.getByRole('button', { name: 'Simpan pegawai' }).click();
  await expect(page.getByRole('alert')).toContainText('tidak dapat mengubah jabatan, unit atau OPD Anda sendiri');

  // Someone else into the new Kepala Bidang post: saved.
  await openEmployees(page, opd, who);
  await page.getByLabel('Jabatan', { exact: true }).selectOption({ label: title });
  await page.getByRole('button', { name: 'Simpan pegawai' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'disimpan' })).toBeVisible();
  await logout(page);

  // The Kepala Dinas reads it on the Beranda and marks it read.
  await login(page, DEMO.kadis);
  const notices = page.getByRole('region', { name: /Pemberitahuan/ });
  const item = notices.getByRole('listitem').filter({ hasText: `${who} ditempatkan pada jabatan pimpinan "${title}"` });
  await expect(item).toBeVisible();
  await item.getByRole('button', { name: 'Tandai dibaca' }).click();
  await expect(item.getByRole('button', { name: 'Tandai dibaca' })).toHaveCount(0);
  await logout(page);
});

test('the head of an OPD is fixed; only the Admin Pemda names another', async ({ page }, testInfo) => {
  const tag = isPhone(testInfo) ? 'Ponsel' : 'Desktop';
  await login(page, DEMO.adminOpd);
  const opd = await kominfoId(page);
  const post = await unitWithPosition(page, opd, `UPT Uji ${tag} ${Date.now()}`, 1);
  const [opdRow, , positions] = await structure(page, opd);
  const head = positions.find((p) => p.id === opdRow.head_position_id)!;
  const other = positions.find((p) => p.id === post)!;
  expect(head.title).toMatch(/Kepala Dinas/);
  // The Admin OPD sees who heads the OPD but has no button to change it, and the server refuses.
  await gotoHydrated(page, `/admin/opd/${opd}?tab=struktur`);
  const headRow = page.getByRole('row').filter({ hasText: head.title });
  await expect(headRow.locator('.badge', { hasText: /^Kepala OPD$/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Jadikan Kepala OPD/ })).toHaveCount(0);
  const refused = await page.request.post('/api/set_opd_leader', { form: { opd_id: opd, slot: 'head', position_id: post } });
  expect(refused.status()).toBe(403);
  await logout(page);

  // The Admin Pemda makes the new post head, then gives the head back; both are audited.
  await login(page, DEMO.adminPemda);
  await gotoHydrated(page, `/admin/opd/${opd}?tab=struktur`);
  await page.getByRole('button', { name: `Jadikan Kepala OPD: ${other.title}` }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Pimpinan OPD ditetapkan' })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: other.title }).locator('.badge', { hasText: /^Kepala OPD$/ })).toBeVisible();
  await page.getByRole('button', { name: `Jadikan Kepala OPD: ${head.title}` }).click();
  await expect(page.getByRole('row').filter({ hasText: head.title }).locator('.badge', { hasText: /^Kepala OPD$/ })).toBeVisible();
  const [after] = await structure(page, opd);
  expect(after.head_position_id).toBe(head.id);
  await gotoHydrated(page, '/admin/audit');
  await expect(page.getByText('opd.set_head').first()).toBeVisible();
});

test("a head's password is reset by the Admin Pemda only, and the head is told who did it", async ({ page }) => {
  const resetHead = async () => {
    const opd = await kominfoId(page);
    await gotoHydrated(page, `/admin/opd/${opd}?tab=pegawai`);
    await page.getByLabel('Cari nama atau NIP').fill('Bambang Sutrisno');
    await page.getByRole('button', { name: /^Reset sandi .*Bambang Sutrisno/ }).click();
  };
  await login(page, DEMO.adminOpd);
  await resetHead();
  await expect(page.getByRole('alert')).toContainText('hanya dapat direset oleh Admin Pemda');
  await expect(page.locator('code.temp-password')).toHaveCount(0);
  await logout(page);

  await login(page, DEMO.adminPemda);
  await resetHead();
  const temp = (await page.locator('code.temp-password').textContent())!.trim();
  await logout(page);

  // The head signs in with the temporary password, must choose a new one (the demo one again,
  // so the other tests keep working), and the Beranda says who reset it.
  await login(page, DEMO.kadis, temp);
  await expect(page).toHaveURL(/\/ganti-sandi/);
  await page.getByLabel('Kata sandi lama', { exact: true }).fill(temp);
  await page.getByLabel('Kata sandi baru', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByLabel('Ulangi kata sandi baru').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Simpan kata sandi' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('region', { name: /Pemberitahuan/ })).toContainText('Kata sandi Anda direset oleh Arif Setiawan');
});

test("a deactivated OPD's people cannot log in until the Admin Pemda turns it back on", async ({ page }) => {
  const setBappedaActive = async (active: boolean) => {
    await gotoHydrated(page, '/admin');
    const row = page.getByRole('row', { name: /Kelola Bappeda/ });
    await row.getByRole('button', { name: 'Ubah', exact: true }).click();
    const box = page.getByLabel('OPD aktif');
    if (active) await box.check();
    else await box.uncheck();
    await page.getByRole('button', { name: 'Simpan OPD' }).click();
    await expect(row.getByRole('cell', { name: active ? 'Aktif' : 'Nonaktif', exact: true })).toBeVisible();
  };
  // The head of Bappeda logs in while the OPD is active.
  await login(page, DEMO.bappeda);
  await logout(page);
  await login(page, DEMO.adminPemda);
  await setBappedaActive(false);
  try {
    await logout(page);
    await gotoHydrated(page, '/masuk');
    await page.getByLabel('NIP atau email', { exact: true }).fill(DEMO.bappeda);
    await page.getByLabel('Kata sandi', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('OPD Anda dinonaktifkan');
    await expect(page).toHaveURL(/\/masuk$/);
    await login(page, DEMO.adminPemda);
  } finally {
    await setBappedaActive(true);
  }
  await logout(page);
  await login(page, DEMO.bappeda);
  await expect(page).toHaveURL(/\/$/);
});
