import { test, expect } from '@playwright/test';
import { DEMO, gotoHydrated, login, logout } from './helpers';

// The Admin Pemda sees on the Administrasi page whether the data is backed up: the test server
// (scripts/e2e-server.sh) takes a scheduled backup when it starts. Nobody else sees it.

test('the Admin Pemda sees the last backup and the schedule; an Admin OPD does not', async ({ page }) => {
  await login(page, DEMO.adminPemda);
  // The server function answers the Admin Pemda (so the refusal below is a refusal, not a typo).
  const res = await page.request.post('/api/backup_status', { form: {} });
  expect(res.status()).toBe(200);
  const status = (await res.json()) as { every_s: number | null; recent: { ok: boolean; trigger: string }[] };
  expect(status.every_s).toBe(86400);
  expect(status.recent.some((r) => r.ok && r.trigger === 'scheduled')).toBe(true);

  await gotoHydrated(page, '/admin');
  const card = page.getByTestId('backups');
  await expect(card.getByRole('heading', { name: 'Cadangan data' })).toBeVisible();
  await expect(card.getByRole('status')).toContainText('Cadangan terakhir berhasil');
  await expect(card).toContainText('Terjadwal setiap 1 hari; 3 cadangan terakhir disimpan');
  const table = card.getByRole('table', { name: 'Cadangan terakhir' });
  const row = table.getByRole('row').filter({ hasText: 'Terjadwal' }).first();
  await expect(row).toContainText('Berhasil');
  await expect(row).toContainText('eoffice-');
  // In English too.
  await gotoHydrated(page, '/bahasa/en?ke=/admin');
  await expect(card.getByRole('heading', { name: 'Backups' })).toBeVisible();
  await expect(card.getByRole('status')).toContainText('Last backup succeeded');
  await gotoHydrated(page, '/bahasa/id?ke=/admin');
  await logout(page);

  await login(page, DEMO.adminOpd);
  await gotoHydrated(page, '/admin');
  await expect(page.getByRole('heading', { name: 'Perangkat Daerah (OPD)' })).toBeVisible();
  await expect(page.getByTestId('backups')).toHaveCount(0);
  expect((await page.request.post('/api/backup_status', { form: {} })).status()).toBe(403);
});
