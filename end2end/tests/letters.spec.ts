import { test, expect, type Page } from '@playwright/test';
import { DEMO, gotoHydrated, pdfText, greyPng, login, logout, submitLetter } from './helpers';

/** The highest letter sequence number of Dinas Kominfo so far (0 when none), as its records clerk sees it:
 * every non-confidential signed letter, and the numbers taken for letters signed on paper. */
async function lastSeq(page: Page): Promise<number> {
  const res = await page.request.post('/api/list_letters', {
    form: { tab: 'terkirim', q: '', kind: '', sifat: '', from: '', to: '', page: '1' },
  });
  expect(res.status()).toBe(200);
  const data = (await res.json()) as { items: { number: string | null }[] };
  const manual = await page.request.post('/api/list_reservations', { form: {} });
  expect(manual.status()).toBe(200);
  const numbers = [...data.items.map((i) => i.number ?? ''), ...((await manual.json()) as { number: string }[]).map((r) => r.number)];
  return Math.max(0, ...numbers.map((n) => Number(n.split('/')[1] ?? 0)));
}

async function act(page: Page, button: string) {
  await page.getByRole('button', { name: button, exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Berhasil.' })).toBeVisible();
}

async function openFromPerluParaf(page: Page, subject: string) {
  await gotoHydrated(page, '/surat-keluar?tab=perlu-paraf');
  await page.getByRole('link', { name: subject }).click();
  await expect(page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
}

test('seed story: a Surat Dinas climbs the chain, is returned once, signed, numbered, and lands in Bappeda', async ({ page }, info) => {
  test.setTimeout(240_000);
  const subject = `Permohonan data pembangunan ${info.project.name} ${Date.now()}`;

  // The OPD's last number, to check the new letter gets the next one.
  await login(page, DEMO.tu);
  const before = await lastSeq(page);
  await logout(page);

  // A staff member drafts the letter to Bappeda.
  await login(page, DEMO.staf);
  await gotoHydrated(page, '/surat-keluar/baru');
  await page.getByLabel('Klasifikasi arsip').selectOption('000.5.6.2');
  await page.getByLabel('Hal (perihal)').fill(subject);
  await page.getByLabel('Cari OPD, unit, atau pegawai').fill('Bappeda');
  await page.getByRole('button', { name: /Kepala Bappeda/ }).first().click();
  await expect(page.locator('.recipients').first().getByText('Kepala Bappeda')).toBeVisible();
  await page.getByLabel('Isi surat', { exact: true }).fill(
    'Dengan hormat,\n\nKami memohon *data pembangunan* tahun berjalan untuk:\n1. perencanaan jaringan;\n2. layanan aplikasi.\n\nAtas perhatian Saudara kami ucapkan terima kasih.',
  );
  // The live preview shows the formatting.
  await expect(page.locator('.preview strong', { hasText: 'data pembangunan' })).toBeVisible();
  await expect(page.getByText(/Tersimpan/)).toBeVisible({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Ajukan untuk paraf' }).click();
  await expect(page).toHaveURL(/\/surat-keluar\/[0-9a-f]{32}$/);
  const id = page.url().split('/').pop()!;
  await expect(page.locator('.chain-current')).toContainText('Kepala Seksi');
  // Nothing lost, nothing duplicated: the letter is in Dalam Proses exactly once.
  await gotoHydrated(page, `/surat-keluar?tab=dalam-proses&q=${encodeURIComponent(subject)}`);
  await expect(page.getByRole('link', { name: subject })).toHaveCount(1);
  await logout(page);

  // The Kasi returns it with a note.
  await login(page, DEMO.kasi);
  await openFromPerluParaf(page, subject);
  await page.getByLabel('Catatan pengembalian (wajib)').fill('Lengkapi dasar hukumnya.');
  await page.getByRole('button', { name: 'Kembalikan ke penyusun' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Dikembalikan' })).toBeVisible();
  await logout(page);

  // The staff member reads the note, revises and resubmits.
  await login(page, DEMO.staf);
  await gotoHydrated(page, `/surat-keluar/${id}`);
  await expect(page.locator('.note')).toHaveText('Lengkapi dasar hukumnya.');
  await page.getByRole('link', { name: 'Ubah isi' }).click();
  const body = page.getByLabel('Isi surat', { exact: true });
  await expect(body).toHaveValue(/Dengan hormat/);
  await body.fill(
    'Dengan hormat,\n\nBerdasarkan Peraturan Bupati Nomor 1 Tahun 2026, kami memohon *data pembangunan* tahun berjalan.\n\nAtas perhatian Saudara kami ucapkan terima kasih.',
  );
  await expect(page.getByText(/Tersimpan/)).toBeVisible({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Ajukan untuk paraf' }).click();
  await expect(page).toHaveURL(new RegExp(`/surat-keluar/${id}$`));
  // The diff between the versions shows the revision.
  await page.getByRole('button', { name: /Bandingkan/ }).first().click();
  await expect(page.locator('.diff .added').filter({ hasText: 'Peraturan Bupati' })).toBeVisible();
  await logout(page);

  // Kasi, Kabid and Sekdin approve in turn.
  for (const who of [DEMO.kasi, DEMO.kabid, DEMO.sekdin]) {
    await login(page, who);
    await openFromPerluParaf(page, subject);
    // Every reviewer can preview the letter before it is signed.
    expect(await pdfText(page, `/surat-keluar/${id}/pdf`)).toContain('PRATINJAU');
    await act(page, 'Setujui (paraf)');
    await logout(page);
  }

  // The Kepala Dinas signs; the letter gets the next number and its PDF renders.
  await login(page, DEMO.kadis);
  await openFromPerluParaf(page, subject);
  // Signing asks for the head's TTE passphrase (the demo activates the demo signers' certificates with it).
  await page.getByLabel('Passphrase TTE').fill('tte-demo-2026');
  await page.getByRole('button', { name: 'Tandatangani', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Surat ditandatangani' })).toBeVisible();
  await expect(page.locator('dd.letter-number')).toHaveText(/^000\.5\.6\.2\//);
  const number = (await page.locator('dd.letter-number').textContent())!.trim();
  expect(number).toMatch(/^000\.5\.6\.2\/\d+\/412\.208\/\d{4}$/);
  expect(Number(number.split('/')[1])).toBe(before + 1);
  const text = await pdfText(page, `/surat-keluar/${id}/pdf`);
  for (const expected of [number, 'Kepala Bappeda', 'Peraturan Bupati Nomor 1 Tahun 2026', 'Bambang Sutrisno', 'PEMERINTAH KABUPATEN BOJONEGORO', 'Ditandatangani secara elektronik']) {
    expect(text).toContain(expected);
  }
  expect(text).not.toContain('PRATINJAU');
  await logout(page);

  // A person in the other OPD finds it in the Kotak Masuk, registered with an agenda number.
  await login(page, DEMO.bappeda);
  // The navigation tells them there is unread mail.
  await gotoHydrated(page, '/');
  const menu = page.getByRole('button', { name: 'Menu', exact: true });
  if (await menu.isVisible()) await menu.click();
  await expect(page.getByRole('navigation', { name: 'Navigasi utama' }).getByLabel(/\d+ belum dibaca/)).toBeVisible();
  await gotoHydrated(page, '/kotak-masuk');
  await page.getByRole('link', { name: subject }).click();
  await expect(page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  await expect(page.locator('dd.letter-number')).toHaveText(number);
  await expect(page.getByText(/Badan Perencanaan|Bappeda/).first()).toBeVisible();
  expect(await pdfText(page, `/surat-keluar/${id}/pdf`)).toContain(number);
  await logout(page);
});

test('a Rahasia letter is invisible to an outsider, by page, by PDF, by search and by API', async ({ page }, info) => {
  const subject = `Hasil audit internal ${info.project.name} ${Date.now()}`;
  await login(page, DEMO.staf);
  const opds = (await (await page.request.post('/api/list_opds', { form: {} })).json()) as { id: string; short_name: string }[];
  const bappeda = opds.find((o) => o.short_name === 'Bappeda')!.id;
  const save = await page.request.post('/api/save_letter', {
    data: {
      id: '',
      client_id: `e2e-${Date.now()}`,
      base_version: 0,
      draft: {
        kind: 'surat_dinas', klasifikasi: '700', sifat: 'rahasia', urgency: 'segera', subject, attachment_count: 0,
        signer_position_id: null,
        recipients: [{ role: 'to', target_type: 'opd', target_id: bappeda, name: 'Kepala Bappeda', address: '' }],
        body: { blocks: [{ t: 'Paragraph', c: [{ text: 'Temuan audit bersifat rahasia.' }] }] },
      },
    },
  });
  expect(save.status()).toBe(200);
  const { id } = (await save.json()) as { id: string };
  await gotoHydrated(page, `/surat-keluar/${id}`);
  await expect(page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  await expect(page.locator('.meta-line .badge-secret')).toHaveText('Sifat Rahasia');
  // The detail endpoint the outsiders are refused below answers the drafter.
  const own = await page.request.post('/api/letter_detail', { form: { id } });
  expect(own.status()).toBe(200);
  expect(JSON.stringify(await own.json())).toContain(subject);
  await logout(page);

  // A colleague, the Admin OPD and the records clerk see nothing.
  for (const outsider of [DEMO.adminOpd, DEMO.tu, DEMO.bappeda]) {
    await login(page, outsider);
    await gotoHydrated(page, `/surat-keluar/${id}`);
    await expect(page.getByRole('alert')).toContainText('Surat tidak ditemukan atau Anda tidak berhak melihatnya.');
    await expect(page.getByText(subject)).toHaveCount(0);
    expect((await page.request.get(`/surat-keluar/${id}/pdf`)).status()).toBe(404);
    const detail = await page.request.post('/api/letter_detail', { form: { id } });
    expect(detail.status()).toBe(404);
    expect(await detail.text()).not.toContain(subject);
    for (const tab of ['draf', 'perlu-paraf', 'dalam-proses', 'terkirim']) {
      const list = await page.request.post('/api/list_letters', { form: { tab, q: 'audit', kind: '', sifat: '', from: '', to: '', page: '1' } });
      expect(list.status()).toBe(200);
      expect(JSON.stringify(await list.json())).not.toContain(subject);
    }
    await logout(page);
  }
});

test('bad input in the compose form gets a clear message and loses nothing', async ({ page }) => {
  await login(page, DEMO.staf);
  await gotoHydrated(page, '/surat-keluar/baru');
  // Submitting without a subject or recipients is refused with a message in Bahasa Indonesia.
  await page.getByRole('button', { name: 'Ajukan untuk paraf' }).click();
  await expect(page.getByText(/Hal \(perihal\) surat wajib diisi|Pilih kode klasifikasi arsip/)).toBeVisible();
  await page.getByLabel('Klasifikasi arsip').selectOption('000.1.3');
  await page.getByLabel('Hal (perihal)').fill('Rapat tanpa penerima');
  await page.getByLabel('Isi surat', { exact: true }).fill('Isi singkat.');
  await expect(page.getByText(/Tersimpan/)).toBeVisible({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Ajukan untuk paraf' }).click();
  await expect(page.getByRole('alert')).toContainText('Tambahkan paling sedikit satu penerima');
  // The draft is kept and can be opened from the Draf list.
  await gotoHydrated(page, '/surat-keluar?tab=draf&q=Rapat%20tanpa%20penerima');
  await expect(page.getByRole('link', { name: 'Rapat tanpa penerima' }).first()).toBeVisible();
  // A file that claims to be a PDF but is not is refused by its content.
  await page.getByRole('link', { name: 'Rapat tanpa penerima' }).first().click();
  await page.getByRole('link', { name: 'Ubah isi' }).click();
  await page.getByLabel(/Tambah berkas/).setInputFiles({ name: 'surat.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ bukan pdf') });
  await expect(page.getByRole('alert')).toContainText('PDF, PNG, atau JPEG');
  await page.getByLabel(/Tambah berkas/).setInputFiles({ name: 'undangan.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n') });
  await expect(page.getByRole('link', { name: 'undangan.pdf' })).toBeVisible();
  await logout(page);
});

test('the records clerk takes a manual number for a letter signed on paper', async ({ page }, info) => {
  await login(page, DEMO.tu);
  await gotoHydrated(page, '/surat-keluar');
  await page.getByRole('link', { name: 'Nomor manual' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Nomor surat manual' })).toBeVisible();
  await page.getByLabel('Klasifikasi arsip').selectOption('000.1.3');
  await page.getByLabel('Tujuan surat').fill('Camat Dander');
  await page.getByLabel('Hal (perihal)').fill(`Undangan musyawarah desa ${info.project.name}`);
  await page.getByRole('button', { name: 'Ambil nomor berikutnya' }).click();
  const got = page.getByRole('status').filter({ hasText: 'Nomor surat:' });
  await expect(got).toContainText(/000\.1\.3\/\d+\/412\.208\/\d{4}/);
  await expect(page.getByRole('cell', { name: `Undangan musyawarah desa ${info.project.name}` })).toBeVisible();
  await logout(page);
  // Someone who is not the clerk is refused, with a message.
  await login(page, DEMO.staf);
  await gotoHydrated(page, '/surat-keluar/nomor-manual');
  await expect(page.getByRole('alert')).toContainText('Hanya petugas TU');
  await logout(page);
});

test('the Admin Pemda configures klasifikasi codes and the number format', async ({ page }, info) => {
  const code = info.project.name === 'phone' ? '000.9.7' : '000.9.8';
  await login(page, DEMO.adminPemda);
  await gotoHydrated(page, '/admin');
  await page.getByRole('link', { name: /Pengaturan naskah dinas/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Pengaturan naskah dinas' })).toBeVisible();
  await page.getByLabel('Kode', { exact: true }).fill(code);
  await page.getByLabel('Nama', { exact: true }).fill('Kajian Transformasi Digital');
  await page.getByRole('button', { name: 'Tambah / ubah' }).click();
  await expect(page.getByRole('cell', { name: code, exact: true })).toBeVisible();
  // A format without the sequence number is refused with a clear message.
  await page.getByLabel('Format nomor surat').fill('{klasifikasi}/{tahun}');
  await page.getByRole('button', { name: 'Simpan', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('{urut}');
  // Removing the code takes it off the list.
  await page.getByRole('button', { name: `Hapus ${code}` }).click();
  await expect(page.getByRole('cell', { name: code, exact: true })).toHaveCount(0);
  await logout(page);
});


test('the Admin OPD uploads the kop surat logo; a file that is not an image is refused', async ({ page }) => {
  await login(page, DEMO.adminOpd);
  const me = (await (await page.request.post('/api/current_user', { form: {} })).json()) as { opd_id: string };
  await gotoHydrated(page, `/admin/opd/${me.opd_id}?tab=struktur`);
  const input = page.getByLabel('Unggah logo (PNG atau JPEG, maksimal 512 KB)');
  await input.setInputFiles({ name: 'logo.gif', mimeType: 'image/png', buffer: Buffer.from('GIF89a bukan png') });
  await expect(page.getByRole('alert')).toContainText('Logo harus berkas PNG atau JPEG');
  await input.setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: greyPng(48, 48) });
  await expect(page.getByRole('status').filter({ hasText: 'Logo disimpan' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Logo kop surat saat ini' })).toBeVisible();
});

test('a reviewer edits then approves, filters narrow Perlu Paraf, the drafter withdraws a letter', async ({ page }, info) => {
  test.setTimeout(180_000);
  const stamp = `${info.project.name} ${Date.now()}`;
  const edited = `Laporan bulanan jaringan ${stamp}`;
  const withdrawn = `Permintaan yang ditarik ${stamp}`;
  await login(page, DEMO.staf);
  const id = await submitLetter(page, edited);
  const id2 = await submitLetter(page, withdrawn);
  // The drafter withdraws the second letter: it leaves the chain.
  await gotoHydrated(page, `/surat-keluar/${id2}`);
  await page.getByRole('button', { name: 'Tarik surat' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Ditarik' })).toBeVisible();
  await logout(page);

  // The Kasi finds the first letter by search; a filter that does not match shows the empty state.
  await login(page, DEMO.kasi);
  await gotoHydrated(page, `/surat-keluar?tab=perlu-paraf&q=${encodeURIComponent(stamp)}`);
  await expect(page.getByRole('link', { name: edited })).toBeVisible();
  await expect(page.getByRole('link', { name: withdrawn })).toHaveCount(0);
  await gotoHydrated(page, `/surat-keluar?tab=perlu-paraf&q=${encodeURIComponent(stamp)}&sifat=rahasia`);
  await expect(page.getByText('Tidak ada surat yang menunggu paraf atau tanda tangan Anda.')).toBeVisible();
  // Edit, then approve: the edit is a new version by the Kasi and the letter moves on.
  await gotoHydrated(page, `/surat-keluar/${id}`);
  await page.getByRole('link', { name: 'Ubah isi' }).click();
  const body = page.getByLabel('Isi surat', { exact: true });
  await expect(body).toHaveValue(/Teks awal/);
  await body.fill('Teks yang diperbaiki oleh Kepala Seksi.');
  await expect(page.getByText(/Tersimpan/)).toBeVisible({ timeout: 15_000 });
  await gotoHydrated(page, `/surat-keluar/${id}`);
  await expect(page.getByText(/Versi 2 — Eko Saputro/)).toBeVisible();
  await act(page, 'Setujui (paraf)');
  await expect(page.locator('.chain-current')).toContainText('Kepala Bidang');
  await logout(page);
});

test('the drafter marks a signed letter to an external recipient as sent', async ({ page }, info) => {
  test.setTimeout(120_000);
  const subject = `Undangan mitra ${info.project.name} ${Date.now()}`;
  // The Sekretaris drafts for the head directly (no reviewers between them).
  await login(page, DEMO.sekdin);
  const id = await submitLetter(page, subject, { external: true });
  await logout(page);
  await login(page, DEMO.kadis);
  const sign = await page.request.post('/api/sign_letter', { form: { id, version: '1', passphrase: 'tte-demo-2026', tampilan: 'invisible' } });
  expect(sign.status()).toBe(200);
  await logout(page);
  await login(page, DEMO.sekdin);
  await gotoHydrated(page, `/surat-keluar/${id}`);
  await expect(page.getByRole('link', { name: 'Unduh PDF' })).toBeVisible();
  await act(page, 'Tandai sudah dikirim');
  await expect(page.locator('.meta-line .state')).toHaveText('Terkirim');
});
