-- Which position heads each OPD (Kepala OPD) and which is its Sekretaris, stored explicitly.
-- Before, both were found as "the first position of level 1 (or 2) by id", so a new position could
-- sort first and take the OPD's mail and the default signer role. The first head (or Sekretaris)
-- position of an OPD is recorded when it is created; changing it afterwards is an audited action of
-- the Admin Pemda (`opd.set_head`, `opd.set_secretary`). Existing OPDs keep what the old rule chose.
ALTER TABLE opd ADD COLUMN head_position_id TEXT REFERENCES position(id);
ALTER TABLE opd ADD COLUMN secretary_position_id TEXT REFERENCES position(id);
UPDATE opd SET head_position_id =
    (SELECT p.id FROM position p WHERE p.opd_id = opd.id AND p.level = 1 ORDER BY p.id LIMIT 1);
UPDATE opd SET secretary_position_id =
    (SELECT p.id FROM position p WHERE p.opd_id = opd.id AND p.level = 2 ORDER BY p.id LIMIT 1);
