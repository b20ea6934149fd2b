-- The OPD's logo for the kop surat (PNG or JPEG, checked to be embeddable before it is stored).
ALTER TABLE opd ADD COLUMN logo BYTEA;
