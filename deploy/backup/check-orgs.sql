-- Consistency of a restored orgs schema (orgs has no invariant RPC): each
-- row is a violation, rule and record; no output means the tree and its
-- references hold. mariadb-dump restores with foreign-key checks off and
-- the schema declares none, so these joins are what shows a partial or
-- mixed restore. Run: mariadb grassroots_orgs < deploy/backup/check-orgs.sql
SELECT 'AREA_PARENT_MISSING' AS rule, a.id AS subject
  FROM areas a LEFT JOIN areas p ON p.id = a.parent_id
  WHERE a.parent_id IS NOT NULL AND p.id IS NULL
UNION ALL
SELECT 'AREA_PATH_NOT_UNDER_PARENT', a.id
  FROM areas a JOIN areas p ON p.id = a.parent_id
  WHERE a.path <> CONCAT(p.path, '/', a.code)
UNION ALL
SELECT 'ORGANISATION_PARENT_MISSING', o.id
  FROM organisations o LEFT JOIN organisations p ON p.id = o.parent_id
  WHERE o.parent_id IS NOT NULL AND p.id IS NULL
UNION ALL
SELECT 'ORGANISATION_AREA_MISSING', o.id
  FROM organisations o LEFT JOIN areas a ON a.id = o.area_id
  WHERE a.id IS NULL
UNION ALL
SELECT 'MEMBER_ORGANISATION_MISSING', m.id
  FROM members m LEFT JOIN organisations o ON o.id = m.organisation_id
  WHERE o.id IS NULL
UNION ALL
SELECT 'MEMBERSHIP_MEMBER_MISSING', ms.member_id
  FROM memberships ms LEFT JOIN members m ON m.id = ms.member_id
  WHERE m.id IS NULL
UNION ALL
SELECT 'DUES_PAYMENT_MEMBER_MISSING', d.payment_id
  FROM dues_payments d LEFT JOIN members m ON m.id = d.member_id
  WHERE m.id IS NULL
UNION ALL
SELECT 'MEETING_ORGANISATION_MISSING', mt.id
  FROM meetings mt LEFT JOIN organisations o ON o.id = mt.organisation_id
  WHERE o.id IS NULL
UNION ALL
SELECT 'ATTENDANCE_MEETING_MISSING', ma.meeting_id
  FROM meeting_attendance ma LEFT JOIN meetings mt ON mt.id = ma.meeting_id
  WHERE mt.id IS NULL
UNION ALL
SELECT 'PLACE_AREA_MISSING', pl.id
  FROM places pl LEFT JOIN areas a ON a.id = pl.area_id
  WHERE a.id IS NULL;
