-- follicle store, schema version 14 (SQLite): client free text out of the audit log, and out of the records of
-- clients erased before this version. Until now the audit `detail` copied an appointment's purpose, a design's
-- label, a clearance letter's file name and a cancellation's reason, any of which can name the client; erasure
-- cannot reach the append-only log, so those rows are rewritten here once, with the append-only trigger
-- dropped and restored inside this migration's transaction (nothing else can write meanwhile). New rows keep
-- ids and field names only. The same change as ../postgres/0014_audit_free_text.sql.
DROP TRIGGER audit_log_no_update;
UPDATE audit_log SET detail = '' WHERE entity = 'design' AND action IN ('create', 'choose');
UPDATE audit_log SET detail = 'SHA-256 ' || substr(detail, length(detail) - 64, 64)
    WHERE entity = 'clearance_letter' AND action = 'create' AND detail LIKE '% bytes, SHA-256 %)';
UPDATE audit_log SET detail = COALESCE((SELECT a.kind FROM appointments a WHERE a.id = audit_log.entity_id), 'appointment')
    || ' booked (its purpose, which could name the client, was removed from the log by schema version 14)'
    WHERE entity = 'appointment' AND action = 'create';
UPDATE audit_log SET detail = 'the reason is kept with the appointment' WHERE entity = 'appointment' AND action = 'cancel';
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- Clients erased on request before this version: the free text the erasure then missed.
UPDATE designs SET label = 'Design ' || CAST(id AS TEXT) WHERE client_id IN (SELECT id FROM clients WHERE erased_at IS NOT NULL);
UPDATE plans SET label = 'Plan ' || CAST(id AS TEXT) WHERE client_id IN (SELECT id FROM clients WHERE erased_at IS NOT NULL);
UPDATE clearance_letters SET filename = 'clearance-letter-' || CAST(id AS TEXT) WHERE client_id IN (SELECT id FROM clients WHERE erased_at IS NOT NULL);
UPDATE appointments SET status = 'cancelled', cancel_reason = 'the client was erased on request', revision = revision + 1
    WHERE status = 'booked' AND ends_at > CAST(strftime('%s', 'now') AS INTEGER)
    AND client_id IN (SELECT id FROM clients WHERE erased_at IS NOT NULL);
UPDATE appointments SET purpose = kind,
    cancel_reason = CASE WHEN cancel_reason IS NULL OR cancel_reason = 'the client was erased on request' THEN cancel_reason ELSE '[erased]' END,
    override_reason = CASE WHEN override_reason IS NULL THEN NULL ELSE '[erased]' END
    WHERE client_id IN (SELECT id FROM clients WHERE erased_at IS NOT NULL);
