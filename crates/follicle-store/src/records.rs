//! The one implementation of [`Store`] for both backends: SQL written once over the [`Driver`] seam. Every
//! query on a record carries `clinic_id`; writes to medical records and consents append their audit row in
//! the same transaction, so no change is ever unaudited and nothing is stored half-way.

use crate::driver::{bytes, int, opt_int, opt_text, text, Conn, Driver, Row, Val};
use crate::*;
use follicle_clinic::text as text_rules;

mod keys;
mod rows;
pub(crate) use keys::*;
pub(crate) use rows::*;

/// A [`Store`] over any [`Driver`].
pub struct SqlStore<D: Driver> {
    driver: D,
    /// Whether the schema has the user and clinic name keys (version 17 on): new rows then carry their key, which
    /// the database's unique indexes hold against a second name that reads the same.
    pub(crate) keyed: bool,
    /// Whether the schema has `tablet_handovers` (version 18 on).
    pub(crate) handovers: bool,
    /// Whether clients carry `reference_key` (schema 21 on): a reference that reads the same as another client's
    /// in the clinic is then refused by the database's unique index.
    pub(crate) reference_keyed: bool,
    /// Whether clients carry `search_key` (schema 22 on): [`refresh_search_key`].
    pub(crate) search_keyed: bool,
}

/// The schema version from which users and clinics carry `name_key`.
const NAME_KEYS: u32 = 17;
/// The schema version from which clients carry `reference_key`.
const REFERENCE_KEYS: u32 = 21;
/// The schema version from which clients carry `search_key`.
const SEARCH_KEYS: u32 = 22;

impl<D: Driver> SqlStore<D> {
    /// Wraps a migrated driver; from schema 17 on, fills the name keys of rows made before it, from 21 on the
    /// clients' reference keys.
    pub fn new(driver: D) -> Result<SqlStore<D>> {
        let version = driver.schema_version()?;
        let keyed = version >= NAME_KEYS;
        let reference_keyed = version >= REFERENCE_KEYS;
        let search_keyed = version >= SEARCH_KEYS;
        let store = SqlStore {
            driver,
            keyed,
            handovers: version >= crate::tablet::HANDOVERS,
            reference_keyed,
            search_keyed,
        };
        if keyed {
            store.write(fill_name_keys)?;
        }
        if reference_keyed {
            store.write(fill_reference_keys)?;
        }
        if search_keyed {
            store.write(fill_search_keys)?;
        }
        Ok(store)
    }
    pub(crate) fn read<T>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T>) -> Result<T> {
        self.driver.transaction(false, f)
    }
    pub(crate) fn write<T>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T>) -> Result<T> {
        self.driver.transaction(true, f)
    }
    /// A read-only transaction (for the other modules implementing store traits).
    pub(crate) fn read_tx<T>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T>) -> Result<T> {
        self.read(f)
    }
    /// A write transaction (for the other modules implementing store traits).
    pub(crate) fn write_tx<T>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T>) -> Result<T> {
        self.write(f)
    }
}

/// The client's plan that `p` repeats — the same parent, label, case file and plan.json — if one is stored (a
/// double click or a retried request; outside probe s28 stored one touch-up per concurrent request). Run
/// inside the write transaction, which runs alone, so two requests on any nodes store one plan between them.
fn same_plan(
    c: &mut dyn Conn,
    clinic: ClinicId,
    client: ClientId,
    p: &NewPlan,
) -> Result<Option<PlanRecord>> {
    let mut sql = format!("SELECT {PLAN_COLS} FROM plans WHERE clinic_id = ? AND client_id = ? AND label = ? AND plan_json = ?");
    let mut params = vec![int(clinic), int(client), text(&p.label), text(&p.plan_json)];
    and_equal(&mut sql, &mut params, "parent_id", p.parent_id.map(int));
    and_equal(
        &mut sql,
        &mut params,
        "case_toml",
        p.case_toml.as_deref().map(text),
    );
    sql.push_str(" ORDER BY id LIMIT 1");
    c.query(&sql, &params)?.first().map(plan).transpose()
}

/// Adds ` AND column = ?` (its value to `params`) to `sql`, or ` AND column IS NULL` for `None`: SQL's `=` never
/// holds for NULL.
fn and_equal(sql: &mut String, params: &mut Vec<Val>, column: &str, value: Option<Val>) {
    match value {
        Some(v) => {
            sql.push_str(&format!(" AND {column} = ?"));
            params.push(v);
        }
        None => sql.push_str(&format!(" AND {column} IS NULL")),
    }
}

/// The client's chosen design, if any.
fn chosen_design(
    c: &mut dyn Conn,
    clinic: ClinicId,
    client_id: ClientId,
) -> Result<Option<DesignId>> {
    let rows = c.query(
        "SELECT design_id FROM chosen_designs WHERE client_id = ? AND clinic_id = ?",
        &[int(client_id), int(clinic)],
    )?;
    rows.first().map(|r| r.i(0)).transpose()
}

/// The words for a turn of a picture the photo no longer shows (the server says them too, before decoding).
pub const PHOTO_CHANGED_SINCE: &str = "This photo was turned or replaced in another window since it was opened: look at it again before turning it.";

/// The words for a change of view not agreed to on a photo with marks: the new view drops them.
pub const VIEW_CHANGE_CLEARS_MARKS: &str = "This photo has landmarks placed on it, and another view has other landmarks: changing its view clears them. Confirm that they may be cleared to change the view.";

/// The words for marks checked for a view the photo no longer shows.
const MARKS_OF_ANOTHER_VIEW: &str = "This photo was set to another view in another window since these marks were placed on it: they were not saved. Open the photo again and place the marks of its view.";

/// The words for marks placed over marks another window saved since they were read.
const MARKS_SAVED_SINCE: &str = "The marks on this photo were changed in another window since they were opened here: these were not saved. Open the photo again to see the marks saved there, then place yours.";

/// The words for marks placed on a picture the photo no longer shows.
const MARKS_OF_ANOTHER_PICTURE: &str = "This photo was turned or replaced in another window since these marks were placed on it: they were not saved. Open the photo again and check its marks.";

/// A design's name as compared for sameness: trimmed, its runs of white space one space, lower case.
fn design_name_key(label: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    // NFKC first, as user names are compared: "ë" typed as one character or as "e" and a combining mark,
    // the ligature "ﬁ" and "fi", a fullwidth "Ａ" and "A" read the same (probe s37).
    label
        .nfkc()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A design row with its `chosen` flag.
fn design_in(c: &mut dyn Conn, clinic: ClinicId, id: DesignId) -> Result<DesignRecord> {
    let mut d = design(&c.one(
        "design",
        &format!("SELECT {DESIGN_COLS} FROM designs WHERE id = ? AND clinic_id = ?"),
        &[int(id), int(clinic)],
    )?)?;
    d.chosen = chosen_design(c, clinic, d.client_id)? == Some(d.id);
    Ok(d)
}

/// Longest version chain `design_history` walks (a bound on a loop the stored data controls).
const MAX_DESIGN_VERSIONS: usize = 10_000;

/// Checks that `client` belongs to `clinic` (inside the caller's transaction).
pub(crate) fn own_client(c: &mut dyn Conn, clinic: ClinicId, client: ClientId) -> Result<()> {
    c.one(
        "client",
        "SELECT id FROM clients WHERE id = ? AND clinic_id = ?",
        &[int(client), int(clinic)],
    )
    .map(|_| ())
}

/// [`own_client`], and not erased on request: nothing new is written for an erased (pseudonymised) client —
/// bookings, consultations, details, photos, consents, designs, plans, sessions (probes: each was taken, with
/// the erased name back in the record). Every write transaction runs alone (SQLite's one writer, PostgreSQL's
/// write lock), so a write either lands before the erasure, which then scrubs it, or is refused here.
pub(crate) fn live_client(c: &mut dyn Conn, clinic: ClinicId, client: ClientId) -> Result<()> {
    // `*`: the column came with a later schema version (a test writes through older schemas).
    let r = c.one(
        "client",
        "SELECT * FROM clients WHERE id = ? AND clinic_id = ?",
        &[int(client), int(clinic)],
    )?;
    let erased = match r.index_of("erased_at") {
        Some(i) => r.oi::<i64>(i)?.is_some(),
        None => false,
    };
    if erased {
        return Err(StoreError::Conflict(
            "This client's record was erased on request, so nothing can be added to it or filled in again. If the person comes back, add them as a new client.".into(),
        ));
    }
    Ok(())
}

/// The lot a session record names (`"lot"` in its JSON) is one of the clinic's lots, inside the session's write
/// transaction: a lot deleted while the session was being recorded on another node is refused here rather than
/// leaving a session whose ink passport can no longer name its pigment (probe s7 N7). The lot's deletion checks
/// the sessions in its own write transaction, and write transactions run one at a time.
fn lot_on_record(c: &mut dyn Conn, clinic: ClinicId, record_json: &str) -> Result<()> {
    let record: serde_json::Value = serde_json::from_str(record_json).unwrap_or_default();
    let Some(number) = record.get("lot").and_then(serde_json::Value::as_str) else {
        return Ok(());
    };
    let found = c.query(
        "SELECT id FROM lots WHERE clinic_id = ? AND number = ?",
        &[int(clinic), text(number)],
    )?;
    if found.is_empty() {
        return Err(StoreError::Conflict(format!(
            "Lot {number} is no longer among the clinic's pigment lots (it was just deleted): choose the lot again and save the session."
        )));
    }
    Ok(())
}

/// [`Store::treatment_basis`] inside the caller's transaction: SHA-256 over the client's consultations (id,
/// intake, screening, deletion), consents (id) and sessions (id), in id order.
pub(crate) fn treatment_basis(
    c: &mut dyn Conn,
    clinic: ClinicId,
    client: ClientId,
) -> Result<String> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let part = |h: &mut Sha256, t: &str| {
        h.update((t.len() as u64).to_le_bytes());
        h.update(t.as_bytes());
    };
    for r in c.query(
        "SELECT id, intake_json, screening_json, deleted_at FROM consultations WHERE clinic_id = ? AND client_id = ? ORDER BY id",
        &[int(clinic), int(client)],
    )? {
        part(&mut h, &format!("consultation {} {:?}", r.i::<i64>(0)?, r.oi::<i64>(3)?));
        part(&mut h, &r.t(1)?);
        part(&mut h, &r.t(2)?);
    }
    for (kind, sql) in [
        (
            "consent",
            "SELECT id FROM consents WHERE clinic_id = ? AND client_id = ? ORDER BY id",
        ),
        (
            "session",
            "SELECT id FROM treatment_sessions WHERE clinic_id = ? AND client_id = ? ORDER BY id",
        ),
    ] {
        for r in c.query(sql, &[int(clinic), int(client)])? {
            part(&mut h, &format!("{kind} {}", r.i::<i64>(0)?));
        }
    }
    Ok(format!("{:x}", h.finalize()))
}

/// Appends an audit row inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub(crate) fn audit(
    c: &mut dyn Conn,
    clinic: ClinicId,
    by: Option<UserId>,
    action: &str,
    entity: &str,
    entity_id: Option<impl Into<i64>>,
    client: Option<ClientId>,
    detail: &str,
) -> Result<()> {
    c.exec(
        "INSERT INTO audit_log (clinic_id, user_id, at, action, entity, entity_id, client_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        &[int(clinic), opt_int(by), int(now_unix()), text(action), text(entity), opt_int(entity_id), opt_int(client), text(detail)],
    )?;
    Ok(())
}

/// Runs an INSERT … RETURNING cols and reads the row.
pub(crate) fn insert(c: &mut dyn Conn, sql: &str, params: &[Val]) -> Result<Row> {
    c.one("inserted row", sql, params)
}

/// Creates a clinic and its owner inside the caller's transaction; `keyed`: the schema has the name keys.
fn clinic_with_owner(
    c: &mut dyn Conn,
    keyed: bool,
    clinic_name: &str,
    owner: &NewUser,
) -> Result<(Clinic, User)> {
    let r = if keyed {
        insert(
            c,
            "INSERT INTO clinics (name, created_at, name_key) VALUES (?, ?, ?) RETURNING id, name, created_at",
            &[text(clinic_name), int(now_unix()), text(&text_rules::clinic_name_key(clinic_name))],
        )
    } else {
        insert(
            c,
            "INSERT INTO clinics (name, created_at) VALUES (?, ?) RETURNING id, name, created_at",
            &[text(clinic_name), int(now_unix())],
        )
    }
    .map_err(|e| name_taken(e, Some(clinic_name), &owner.username))?;
    let clinic = Clinic {
        id: r.i(0)?,
        name: r.t(1)?,
        created_at: r.i(2)?,
    };
    let u = insert_user(c, keyed, clinic.id, owner)?;
    audit(
        c,
        clinic.id,
        Some(u.id),
        "create",
        "clinic",
        Some(clinic.id),
        None,
        &format!("clinic set up with owner `{}`", u.username),
    )?;
    Ok((clinic, u))
}

/// Inserts a user row (with its name key when the schema has it); a name taken is refused in words.
fn insert_user(c: &mut dyn Conn, keyed: bool, clinic: ClinicId, u: &NewUser) -> Result<User> {
    let mut params = vec![
        int(clinic),
        text(&u.username),
        text(&u.display_name),
        text(u.role.as_str()),
        text(&u.password_hash),
        int(now_unix()),
    ];
    let sql = if keyed {
        params.push(text(&text_rules::user_name_key(&u.username)));
        format!("INSERT INTO users (clinic_id, username, display_name, role, password_hash, created_at, name_key) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING {NEW_USER_COLS}")
    } else {
        format!("INSERT INTO users (clinic_id, username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING {NEW_USER_COLS}")
    };
    let row = insert(c, &sql, &params).map_err(|e| name_taken(e, None, &u.username))?;
    user(&row)
}

impl<D: Driver> Store for SqlStore<D> {
    fn backend(&self) -> &'static str {
        self.driver.name()
    }
    fn schema_version(&self) -> Result<u32> {
        self.driver.schema_version()
    }
    fn backup_to(&self, dest: &std::path::Path) -> Result<()> {
        self.driver.backup_to(dest)
    }

    fn create_clinic_with_owner(
        &self,
        clinic_name: &str,
        owner: &NewUser,
    ) -> Result<(Clinic, User)> {
        self.write(|c| clinic_with_owner(c, self.keyed, clinic_name, owner))
    }
    fn clinic(&self, clinic: ClinicId) -> Result<Clinic> {
        self.read(|c| {
            let r = c.one(
                "clinic",
                "SELECT id, name, created_at FROM clinics WHERE id = ?",
                &[int(clinic)],
            )?;
            Ok(Clinic {
                id: r.i(0)?,
                name: r.t(1)?,
                created_at: r.i(2)?,
            })
        })
    }
    fn count_users(&self) -> Result<i64> {
        self.read(|c| c.one("count", "SELECT COUNT(*) FROM users", &[])?.i(0))
    }
    fn create_user(&self, clinic: ClinicId, u: &NewUser, by: UserId) -> Result<User> {
        self.write(|c| {
            let created = insert_user(c, self.keyed, clinic, u)?;
            audit(
                c,
                clinic,
                Some(by),
                "create",
                "user",
                Some(created.id),
                None,
                &format!("`{}` as {}", created.username, created.role.as_str()),
            )?;
            Ok(created)
        })
    }
    fn users(&self, clinic: ClinicId) -> Result<Vec<User>> {
        self.read(|c| {
            c.query(
                &format!("SELECT {USER_COLS} FROM users WHERE clinic_id = ? ORDER BY id"),
                &[int(clinic)],
            )?
            .iter()
            .map(user)
            .collect::<Result<Vec<_>>>()
        })
    }
    fn user_for_login(&self, username: &str) -> Result<Option<(User, String)>> {
        self.read(|c| {
            let rows = c.query(&format!("SELECT {USER_COLS}, password_hash FROM users WHERE username = ? AND disabled_at IS NULL"), &[text(username)])?;
            rows.first().map(|r| Ok((user(r)?, r.t(7)?))).transpose()
        })
    }

    fn clinic_time_zone(&self, clinic: ClinicId) -> Result<Option<String>> {
        self.read(|c| {
            c.one(
                "clinic",
                "SELECT time_zone FROM clinics WHERE id = ?",
                &[int(clinic)],
            )?
            .ot(0)
        })
    }
    fn fill_clinic_time_zones(&self, zone: &str) -> Result<u64> {
        self.write(|c| {
            c.exec(
                "UPDATE clinics SET time_zone = ? WHERE time_zone IS NULL",
                &[text(zone)],
            )
        })
    }

    fn user_names(&self) -> Result<Vec<String>> {
        self.read(|c| {
            c.query("SELECT username FROM users ORDER BY id", &[])?
                .iter()
                .map(|r| r.t(0))
                .collect()
        })
    }

    fn clinics(&self) -> Result<Vec<Clinic>> {
        self.read(|c| {
            c.query("SELECT id, name, created_at FROM clinics ORDER BY id", &[])?
                .iter()
                .map(|r| {
                    Ok(Clinic {
                        id: r.i(0)?,
                        name: r.t(1)?,
                        created_at: r.i(2)?,
                    })
                })
                .collect()
        })
    }

    fn clinic_names(&self) -> Result<Vec<String>> {
        self.read(|c| {
            c.query("SELECT name FROM clinics ORDER BY id", &[])?
                .iter()
                .map(|r| r.t(0))
                .collect()
        })
    }

    fn create_auth_session(&self, s: &AuthSession) -> Result<()> {
        self.write(|c| {
            c.exec(
                "INSERT INTO auth_sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                &[text(&s.token_hash), int(s.user_id), text(&s.csrf_token), int(s.created_at), int(s.expires_at)],
            )?;
            c.exec("DELETE FROM auth_sessions WHERE expires_at < ?", &[int(s.created_at)])?;
            Ok(())
        })
    }
    fn auth_session(&self, token_hash: &str, now: i64) -> Result<Option<(AuthSession, User)>> {
        self.read(|c| {
            // The client the tablet is handed to (schema 18 on; NULL before).
            let (handed, join) = if self.handovers {
                ("h.client_id", " LEFT JOIN tablet_handovers h ON h.token_hash = s.token_hash")
            } else {
                ("NULL", "")
            };
            let sql = format!(
                "SELECT s.token_hash, s.user_id, s.csrf_token, s.created_at, s.expires_at, {handed}, {} FROM auth_sessions s JOIN users u ON u.id = s.user_id{join} WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL",
                USER_COLS.split(", ").map(|col| format!("u.{col}")).collect::<Vec<_>>().join(", ")
            );
            let rows = c.query(&sql, &[text(token_hash), int(now)])?;
            rows.first()
                .map(|r| {
                    let s = AuthSession { token_hash: r.t(0)?, user_id: r.i(1)?, csrf_token: r.t(2)?, created_at: r.i(3)?, expires_at: r.i(4)?, handed_to: r.oi(5)? };
                    Ok((s, user(&r.from_column(6))?))
                })
                .transpose()
        })
    }
    fn delete_auth_session(&self, token_hash: &str) -> Result<()> {
        self.write(|c| {
            c.exec(
                "DELETE FROM auth_sessions WHERE token_hash = ?",
                &[text(token_hash)],
            )
            .map(|_| ())
        })
    }

    fn update_user_access(
        &self,
        clinic: ClinicId,
        id: UserId,
        active: Option<bool>,
        role: Option<Role>,
        by: UserId,
    ) -> Result<User> {
        self.write(|c| {
            let before = user(&c.one("user", &format!("SELECT {USER_COLS} FROM users WHERE id = ? AND clinic_id = ?"), &[int(id), int(clinic)])?)?;
            let stays_owner = active.unwrap_or(before.active) && role.unwrap_or(before.role) == Role::Owner;
            if before.active && before.role == Role::Owner && !stays_owner {
                let others = c.one("count", "SELECT COUNT(*) FROM users WHERE clinic_id = ? AND role = 'owner' AND disabled_at IS NULL AND id <> ?", &[int(clinic), int(id)])?.i::<i64>(0)?;
                if others == 0 {
                    return Err(StoreError::Conflict("the clinic's last active owner cannot be disabled or given another role; make another user owner first".into()));
                }
            }
            let mut changes = Vec::new();
            if let Some(r) = role.filter(|r| *r != before.role) {
                c.exec("UPDATE users SET role = ? WHERE id = ?", &[text(r.as_str()), int(id)])?;
                changes.push(format!("role {} → {}", before.role.as_str(), r.as_str()));
            }
            match active {
                Some(false) if before.active => {
                    c.exec("UPDATE users SET disabled_at = ? WHERE id = ?", &[int(now_unix()), int(id)])?;
                    c.exec("DELETE FROM auth_sessions WHERE user_id = ?", &[int(id)])?;
                    c.exec("DELETE FROM password_resets WHERE user_id = ?", &[int(id)])?;
                    crate::devices::forget_devices(c, id)?;
                    changes.push("disabled".to_string());
                }
                Some(true) if !before.active => {
                    c.exec("UPDATE users SET disabled_at = NULL WHERE id = ?", &[int(id)])?;
                    changes.push("enabled".to_string());
                }
                _ => {}
            }
            if !changes.is_empty() {
                audit(c, clinic, Some(by), "update", "user", Some(id), None, &format!("`{}`: {}", before.username, changes.join(", ")))?;
            }
            user(&c.one("user", &format!("SELECT {USER_COLS} FROM users WHERE id = ?"), &[int(id)])?)
        })
    }
    fn set_password(
        &self,
        clinic: ClinicId,
        id: UserId,
        password_hash: &str,
        keep: Option<&str>,
        by: UserId,
    ) -> Result<()> {
        self.write(|c| {
            c.one(
                "user",
                "SELECT id FROM users WHERE id = ? AND clinic_id = ?",
                &[int(id), int(clinic)],
            )?;
            c.exec(
                "UPDATE users SET password_hash = ? WHERE id = ?",
                &[text(password_hash), int(id)],
            )?;
            c.exec(
                "DELETE FROM auth_sessions WHERE user_id = ? AND token_hash <> ?",
                &[int(id), text(keep.unwrap_or(""))],
            )?;
            c.exec("DELETE FROM password_resets WHERE user_id = ?", &[int(id)])?;
            crate::devices::forget_devices(c, id)?;
            audit(
                c,
                clinic,
                Some(by),
                "update",
                "password",
                Some(id),
                None,
                "",
            )
        })
    }
    fn create_password_reset(
        &self,
        clinic: ClinicId,
        id: UserId,
        token_hash: &str,
        expires_at: i64,
        by: UserId,
    ) -> Result<()> {
        self.write(|c| {
            c.one("user", "SELECT id FROM users WHERE id = ? AND clinic_id = ? AND disabled_at IS NULL", &[int(id), int(clinic)])?;
            c.exec("DELETE FROM password_resets WHERE user_id = ? OR expires_at < ?", &[int(id), int(now_unix())])?;
            c.exec(
                "INSERT INTO password_resets (token_hash, user_id, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                &[text(token_hash), int(id), int(by), int(now_unix()), int(expires_at)],
            )?;
            audit(c, clinic, Some(by), "create", "password reset", Some(id), None, "")
        })
    }
    fn use_password_reset(&self, token_hash: &str, now: i64, password_hash: &str) -> Result<User> {
        self.write(|c| {
            let sql = format!(
                "SELECT {} FROM password_resets p JOIN users u ON u.id = p.user_id WHERE p.token_hash = ? AND p.expires_at > ? AND u.disabled_at IS NULL",
                USER_COLS.split(", ").map(|col| format!("u.{col}")).collect::<Vec<_>>().join(", ")
            );
            let u = user(&c.one("password reset", &sql, &[text(token_hash), int(now)])?)?;
            c.exec("DELETE FROM password_resets WHERE user_id = ?", &[int(u.id)])?;
            c.exec("UPDATE users SET password_hash = ? WHERE id = ?", &[text(password_hash), int(u.id)])?;
            c.exec("DELETE FROM auth_sessions WHERE user_id = ?", &[int(u.id)])?;
            crate::devices::forget_devices(c, u.id)?;
            audit(c, u.clinic_id, Some(u.id), "update", "password", Some(u.id), None, "by a one-time reset")?;
            Ok(u)
        })
    }

    fn create_client(&self, clinic: ClinicId, f: &ClientFields, by: UserId) -> Result<Client> {
        self.write(|c| {
            let now = now_unix();
            let sql = format!("INSERT INTO clients (clinic_id, reference, name, date_of_birth, email, phone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING {CLIENT_COLS}");
            let params = [int(clinic), text(&f.reference), text(&f.name), opt_text(f.date_of_birth.as_deref()), opt_text(f.email.as_deref()), opt_text(f.phone.as_deref()), int(now), int(now)];
            let created = client(&insert(c, &sql, &params).map_err(|e| reference_taken(e, &f.reference))?)?;
            set_reference_key(c, self.reference_keyed, created.id, &f.reference)?;
            refresh_search_key(c, self.search_keyed, created.id)?;
            audit(c, clinic, Some(by), "create", "client", Some(created.id), Some(created.id), "")?;
            Ok(created)
        })
    }
    fn client(&self, clinic: ClinicId, id: ClientId) -> Result<Client> {
        self.read(|c| {
            client(&c.one(
                "client",
                &format!("SELECT {CLIENT_COLS} FROM clients WHERE id = ? AND clinic_id = ?"),
                &[int(id), int(clinic)],
            )?)
        })
    }
    fn update_client_seen(
        &self,
        clinic: ClinicId,
        id: ClientId,
        f: &ClientFields,
        seen: Option<&str>,
        by: UserId,
    ) -> Result<Client> {
        self.write(|c| {
            live_client(c, clinic, id)?;
            // The identity changes only with a reason, which keeps the old values (probe s8 N18).
            let before = crate::rights::client_row(c, clinic, id)?;
            let what = || format!("{}’s record", before.fields.name);
            crate::rights::check_seen(c, clinic, "client", id.0, what, &before.revision, seen)?;
            if !before.fields.same_identity(f) {
                return Err(StoreError::Conflict(IDENTITY_NEEDS_REASON.into()));
            }
            let sql = format!("UPDATE clients SET reference = ?, name = ?, date_of_birth = ?, email = ?, phone = ?, updated_at = ? WHERE id = ? AND clinic_id = ? RETURNING {CLIENT_COLS}");
            let params = [text(&f.reference), text(&f.name), opt_text(f.date_of_birth.as_deref()), opt_text(f.email.as_deref()), opt_text(f.phone.as_deref()), int(now_unix()), int(id), int(clinic)];
            let updated = client(&c.one("client", &sql, &params).map_err(|e| reference_taken(e, &f.reference))?)?;
            set_reference_key(c, self.reference_keyed, id, &f.reference)?;
            refresh_search_key(c, self.search_keyed, id)?;
            audit(c, clinic, Some(by), "update", "client", Some(id), Some(id), "")?;
            Ok(updated)
        })
    }
    fn delete_client(&self, clinic: ClinicId, id: ClientId, by: UserId) -> Result<()> {
        self.write(|c| {
            own_client(c, clinic, id)?;
            for (table, records) in [
                ("consultations", "consultation"),
                ("designs", "design"),
                ("plans", "plan"),
                ("treatment_sessions", "treatment session"),
                ("consents", "signed consent"),
                ("photos", "photo"),
            ] {
                let n = c
                    .one(
                        "count",
                        &format!("SELECT COUNT(*) FROM {table} WHERE client_id = ?"),
                        &[int(id)],
                    )?
                    .i::<i64>(0)?;
                if n > 0 {
                    let s = if n == 1 { "" } else { "s" };
                    return Err(StoreError::Conflict(format!(
                        "This client has {n} {records}{s} on record, which the clinic keeps, so the client cannot be deleted. To remove their name, contact details and photos, use “Erase on request”."
                    )));
                }
            }
            c.exec(
                "DELETE FROM clients WHERE id = ? AND clinic_id = ?",
                &[int(id), int(clinic)],
            )?;
            audit(
                c,
                clinic,
                Some(by),
                "delete",
                "client",
                Some(id),
                Some(id),
                "",
            )
        })
    }
    fn list_clients(&self, clinic: ClinicId, q: &ClientQuery) -> Result<Page<Client>> {
        self.read(|c| {
            let mut filter = String::from("clinic_id = ?");
            let mut params = vec![int(clinic)];
            if let Some(s) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                filter.push_str(
                    " AND (LOWER(name) LIKE ? ESCAPE '\\' OR LOWER(reference) LIKE ? ESCAPE '\\' OR LOWER(COALESCE(email, '')) LIKE ? ESCAPE '\\' OR LOWER(COALESCE(phone, '')) LIKE ? ESCAPE '\\'",
                );
                let p = like_pattern(s);
                params.extend([text(&p), text(&p), text(&p), text(&p)]);
                // As a receptionist types it: `Lukasz` finds Łukasz, `Ａｄａｍ` Adam ([`refresh_search_key`]).
                if self.search_keyed {
                    filter.push_str(" OR search_key LIKE ? ESCAPE '\\'");
                    params.push(text(&like_pattern(&text_rules::search_fold(s))));
                }
                filter.push(')');
            }
            let total = c.one("count", &format!("SELECT COUNT(*) FROM clients WHERE {filter}"), &params)?.i(0)?;
            let mut page_params = params.clone();
            page_params.extend([int(q.limit), int(q.offset)]);
            let rows = c.query(&format!("SELECT {CLIENT_COLS} FROM clients WHERE {filter} ORDER BY name, id LIMIT ? OFFSET ?"), &page_params)?;
            Ok(Page { items: rows.iter().map(client).collect::<Result<Vec<_>>>()?, total, limit: q.limit, offset: q.offset })
        })
    }

    fn add_consultation(
        &self,
        clinic: ClinicId,
        client_id: ClientId,
        n: &NewConsultation,
        by: UserId,
    ) -> Result<Consultation> {
        self.write(|c| {
            live_client(c, clinic, client_id)?;
            // A new screening waits for a session being recorded on the old one (`add_session_seen`).
            crate::clinic_day::lock_bookings(c, clinic)?;
            let same = format!("SELECT {CONSULTATION_COLS} FROM consultations WHERE clinic_id = ? AND client_id = ? AND held_on = ? AND outcome = ? AND intake_json = ? AND screening_json = ? AND deleted_at IS NULL ORDER BY id LIMIT 1");
            if let Some(r) = c.query(&same, &[int(clinic), int(client_id), text(&n.held_on), text(&n.outcome), text(&n.intake_json), text(&n.screening_json)])?.first() {
                return consultation(r);
            }
            let sql = format!("INSERT INTO consultations (clinic_id, client_id, held_on, outcome, intake_json, screening_json, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING {CONSULTATION_COLS}");
            let params = [int(clinic), int(client_id), text(&n.held_on), text(&n.outcome), text(&n.intake_json), text(&n.screening_json), int(by), int(now_unix())];
            let created = consultation(&insert(c, &sql, &params)?)?;
            audit(c, clinic, Some(by), "create", "consultation", Some(created.id), Some(client_id), &format!("screening: {}", n.outcome))?;
            Ok(created)
        })
    }
    fn consultations(&self, clinic: ClinicId, client_id: ClientId) -> Result<Vec<Consultation>> {
        self.read(|c| {
            own_client(c, clinic, client_id)?;
            let sql = format!("SELECT {CONSULTATION_COLS} FROM consultations WHERE clinic_id = ? AND client_id = ? AND deleted_at IS NULL ORDER BY held_on DESC, id DESC");
            c.query(&sql, &[int(clinic), int(client_id)])?.iter().map(consultation).collect::<Result<Vec<_>>>()
        })
    }
    fn consultation(&self, clinic: ClinicId, id: ConsultationId) -> Result<Consultation> {
        self.read(|c| {
            consultation(&c.one(
                "consultation",
                &format!(
                    "SELECT {CONSULTATION_COLS} FROM consultations WHERE id = ? AND clinic_id = ? AND deleted_at IS NULL"
                ),
                &[int(id), int(clinic)],
            )?)
        })
    }

    fn add_plan(
        &self,
        clinic: ClinicId,
        client_id: ClientId,
        p: &NewPlan,
        by: UserId,
    ) -> Result<PlanRecord> {
        self.write(|c| {
            live_client(c, clinic, client_id)?;
            if let Some(parent) = p.parent_id {
                c.one("plan", "SELECT id FROM plans WHERE id = ? AND clinic_id = ? AND client_id = ?", &[int(parent), int(clinic), int(client_id)])?;
            }
            if let Some(same) = same_plan(c, clinic, client_id, p)? {
                return Ok(same);
            }
            let sql = format!("INSERT INTO plans (clinic_id, client_id, parent_id, label, case_toml, seed, sessions, impressions, plan_json, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {PLAN_COLS}");
            let params = [
                int(clinic),
                int(client_id),
                opt_int(p.parent_id),
                text(&p.label),
                opt_text(p.case_toml.as_deref()),
                int(p.seed),
                int(p.sessions),
                int(p.impressions),
                text(&p.plan_json),
                int(by),
                int(now_unix()),
            ];
            let created = plan(&insert(c, &sql, &params)?)?;
            let what = if p.parent_id.is_some() { "extend" } else { "create" };
            audit(c, clinic, Some(by), what, "plan", Some(created.id), Some(client_id), &format!("{} impressions in {} sessions", p.impressions, p.sessions))?;
            Ok(created)
        })
    }
    fn plans(&self, clinic: ClinicId, client_id: ClientId) -> Result<Vec<PlanRecord>> {
        self.read(|c| {
            own_client(c, clinic, client_id)?;
            c.query(&format!("SELECT {PLAN_COLS} FROM plans WHERE clinic_id = ? AND client_id = ? ORDER BY id DESC"), &[int(clinic), int(client_id)])?.iter().map(plan).collect::<Result<Vec<_>>>()
        })
    }
    fn plan(&self, clinic: ClinicId, id: PlanId) -> Result<PlanRecord> {
        self.read(|c| {
            plan(&c.one(
                "plan",
                &format!("SELECT {PLAN_COLS} FROM plans WHERE id = ? AND clinic_id = ?"),
                &[int(id), int(clinic)],
            )?)
        })
    }
    fn plan_json(&self, clinic: ClinicId, id: PlanId) -> Result<String> {
        self.read(|c| {
            c.one(
                "plan",
                "SELECT plan_json FROM plans WHERE id = ? AND clinic_id = ?",
                &[int(id), int(clinic)],
            )?
            .t(0)
        })
    }
    fn plan_with_json(&self, clinic: ClinicId, id: PlanId) -> Result<(PlanRecord, String)> {
        self.read(|c| {
            let r = c.one(
                "plan",
                &format!("SELECT {PLAN_COLS}, plan_json FROM plans WHERE id = ? AND clinic_id = ?"),
                &[int(id), int(clinic)],
            )?;
            Ok((plan(&r)?, r.t(11)?))
        })
    }

    fn add_session(
        &self,
        clinic: ClinicId,
        client_id: ClientId,
        s: &NewSession,
        by: UserId,
    ) -> Result<TreatmentSession> {
        self.write(|c| {
            live_client(c, clinic, client_id)?;
            lot_on_record(c, clinic, &s.record_json)?;
            let sql = format!("INSERT INTO treatment_sessions (clinic_id, client_id, session_index, held_on, record_json, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING {SESSION_COLS}");
            let created = session(&insert(c, &sql, &[int(clinic), int(client_id), int(s.index), text(&s.held_on), text(&s.record_json), int(by), int(now_unix())])?)?;
            audit(c, clinic, Some(by), "create", "session", Some(created.id), Some(client_id), &format!("session {} on {}", s.index, s.held_on))?;
            Ok(created)
        })
    }
    fn treatment_basis(&self, clinic: ClinicId, client: ClientId) -> Result<String> {
        self.read(|c| treatment_basis(c, clinic, client))
    }
    fn add_session_seen(
        &self,
        clinic: ClinicId,
        client_id: ClientId,
        s: &NewSession,
        by: UserId,
        seen: &str,
        overridden: Option<&str>,
    ) -> Result<TreatmentSession> {
        self.write(|c| {
            live_client(c, clinic, client_id)?;
            crate::clinic_day::lock_bookings(c, clinic)?;
            if treatment_basis(c, clinic, client_id)? != seen {
                return Err(StoreError::Stale {
                    what: "This client's consultations, consents or sessions".into(),
                    by: None,
                    at: None,
                });
            }
            lot_on_record(c, clinic, &s.record_json)?;
            let sql = format!("INSERT INTO treatment_sessions (clinic_id, client_id, session_index, held_on, record_json, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING {SESSION_COLS}");
            let created = session(&insert(c, &sql, &[int(clinic), int(client_id), int(s.index), text(&s.held_on), text(&s.record_json), int(by), int(now_unix())])?)?;
            audit(c, clinic, Some(by), "create", "session", Some(created.id), Some(client_id), &format!("session {} on {}", s.index, s.held_on))?;
            if let Some(detail) = overridden {
                audit(c, clinic, Some(by), "override", "session", Some(created.id), Some(client_id), detail)?;
            }
            Ok(created)
        })
    }
    fn sessions(&self, clinic: ClinicId, client_id: ClientId) -> Result<Vec<TreatmentSession>> {
        self.read(|c| {
            own_client(c, clinic, client_id)?;
            c.query(&format!("SELECT {SESSION_COLS} FROM treatment_sessions WHERE clinic_id = ? AND client_id = ? ORDER BY session_index"), &[int(clinic), int(client_id)])?.iter().map(session).collect::<Result<Vec<_>>>()
        })
    }

    fn add_pigment(
        &self,
        clinic: ClinicId,
        key: &str,
        pigment_json: &str,
        by: UserId,
    ) -> Result<PigmentRow> {
        self.write(|c| {
            let sql = format!("INSERT INTO pigments (clinic_id, pigment_key, pigment_json, created_at) VALUES (?, ?, ?, ?) RETURNING {PIGMENT_COLS}");
            let created = pigment(&insert(c, &sql, &[int(clinic), text(key), text(pigment_json), int(now_unix())])?)?;
            audit(c, clinic, Some(by), "create", "pigment", Some(created.id), None, key)?;
            Ok(created)
        })
    }
    fn pigments(&self, clinic: ClinicId) -> Result<Vec<PigmentRow>> {
        self.read(|c| {
            c.query(
                &format!(
                    "SELECT {PIGMENT_COLS} FROM pigments WHERE clinic_id = ? ORDER BY pigment_key"
                ),
                &[int(clinic)],
            )?
            .iter()
            .map(pigment)
            .collect::<Result<Vec<_>>>()
        })
    }
    fn add_lot(&self, clinic: ClinicId, l: &NewLot, by: UserId) -> Result<LotRow> {
        self.write(|c| {
            c.one("pigment", "SELECT id FROM pigments WHERE clinic_id = ? AND pigment_key = ?", &[int(clinic), text(&l.pigment)])?;
            let sql = format!("INSERT INTO lots (clinic_id, pigment_key, number, expiry, received, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING {LOT_COLS}");
            let created = lot(&insert(c, &sql, &[int(clinic), text(&l.pigment), text(&l.number), text(&l.expiry), opt_text(l.received.as_deref()), int(now_unix())])?)?;
            audit(c, clinic, Some(by), "create", "lot", Some(created.id), None, &l.number)?;
            Ok(created)
        })
    }
    fn lots(&self, clinic: ClinicId) -> Result<Vec<LotRow>> {
        self.read(|c| {
            c.query(
                &format!("SELECT {LOT_COLS} FROM lots WHERE clinic_id = ? ORDER BY number"),
                &[int(clinic)],
            )?
            .iter()
            .map(lot)
            .collect::<Result<Vec<_>>>()
        })
    }

    fn add_consent(
        &self,
        clinic: ClinicId,
        client_id: ClientId,
        n: &NewConsent,
        by: UserId,
    ) -> Result<Consent> {
        self.write(|c| {
            live_client(c, clinic, client_id)?;
            let same = format!("SELECT {CONSENT_COLS} FROM consents WHERE clinic_id = ? AND client_id = ? AND text_id = ? AND text_version = ? AND signed_at = ? AND signed_json = ? ORDER BY id LIMIT 1");
            if let Some(r) = c.query(&same, &[int(clinic), int(client_id), text(&n.text_id), int(n.text_version), text(&n.signed_at), text(&n.signed_json)])?.first() {
                return consent(r);
            }
            let sql = format!("INSERT INTO consents (clinic_id, client_id, text_id, text_version, signed_at, signed_json, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING {CONSENT_COLS}");
            let created = consent(&insert(c, &sql, &[int(clinic), int(client_id), text(&n.text_id), int(n.text_version), text(&n.signed_at), text(&n.signed_json), int(by), int(now_unix())])?)?;
            audit(c, clinic, Some(by), "create", "consent", Some(created.id), Some(client_id), &format!("{} v{}", n.text_id, n.text_version))?;
            Ok(created)
        })
    }
    fn consents(&self, clinic: ClinicId, client_id: ClientId) -> Result<Vec<Consent>> {
        self.read(|c| {
            own_client(c, clinic, client_id)?;
            c.query(&format!("SELECT {CONSENT_COLS} FROM consents WHERE clinic_id = ? AND client_id = ? ORDER BY id"), &[int(clinic), int(client_id)])?.iter().map(consent).collect::<Result<Vec<_>>>()
        })
    }

    fn add_photo_stored(
        &self,
        clinic: ClinicId,
        client_id: ClientId,
        p: &NewPhoto,
        blob: Option<&[u8]>,
        by: UserId,
    ) -> Result<(Photo, bool)> {
        if blob.is_some_and(|b| sha256_hex(b) != p.sha256) {
            return Err(StoreError::Backend(format!(
                "the photo's bytes are not the picture {}",
                p.sha256
            )));
        }
        self.write(|c| {
            live_client(c, clinic, client_id)?;
            // The same picture on this client's record already: that photo (its caption and view kept).
            // `*`: the view column came with a later schema version, after the base columns (a test writes
            // through older schemas).
            let same = "SELECT * FROM photos WHERE clinic_id = ? AND client_id = ? AND sha256 = ? ORDER BY id LIMIT 1";
            if let Some(r) = c.query(same, &[int(clinic), int(client_id), text(&p.sha256)])?.first() {
                let view = match r.index_of("view") {
                    Some(i) => r.t(i)?,
                    None => "front".into(),
                };
                return Ok((photo_with_view(r, view)?, true));
            }
            if let Some(data) = blob {
                c.exec(
                    "INSERT INTO photo_blobs (sha256, bytes, created_at) VALUES (?, ?, ?) ON CONFLICT (sha256) DO UPDATE SET created_at = excluded.created_at",
                    &[text(&p.sha256), bytes(data), int(now_unix())],
                )?;
            }
            let sql = format!("INSERT INTO photos (clinic_id, client_id, sha256, content_type, bytes, width, height, caption, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {PHOTO_BASE_COLS}");
            let params = [int(clinic), int(client_id), text(&p.sha256), text(&p.content_type), int(p.bytes), int(p.width), int(p.height), opt_text(p.caption.as_deref()), int(by), int(now_unix())];
            // The view column's default is `front`; any other view is set in the same transaction.
            let mut created = photo_with_view(&insert(c, &sql, &params)?, "front".into())?;
            if p.view != "front" {
                created = photo(&c.one("photo", &format!("UPDATE photos SET view = ? WHERE id = ? RETURNING {PHOTO_COLS}"), &[text(&p.view), int(created.id)])?)?;
            }
            audit(c, clinic, Some(by), "create", "photo", Some(created.id), Some(client_id), &p.sha256)?;
            Ok((created, false))
        })
    }
    fn photos(&self, clinic: ClinicId, client_id: ClientId) -> Result<Vec<Photo>> {
        self.read(|c| {
            own_client(c, clinic, client_id)?;
            c.query(&format!("SELECT {PHOTO_COLS} FROM photos WHERE clinic_id = ? AND client_id = ? ORDER BY id"), &[int(clinic), int(client_id)])?.iter().map(photo).collect::<Result<Vec<_>>>()
        })
    }
    fn photo(&self, clinic: ClinicId, id: PhotoId) -> Result<Photo> {
        self.read(|c| {
            photo(&c.one(
                "photo",
                &format!("SELECT {PHOTO_COLS} FROM photos WHERE id = ? AND clinic_id = ?"),
                &[int(id), int(clinic)],
            )?)
        })
    }

    fn set_photo_view(
        &self,
        clinic: ClinicId,
        photo_id: PhotoId,
        view: &str,
        clear_marks: bool,
        by: UserId,
    ) -> Result<Photo> {
        self.write(|c| {
            let was = photo(&c.one("photo", &format!("SELECT {PHOTO_COLS} FROM photos WHERE id = ? AND clinic_id = ?"), &[int(photo_id), int(clinic)])?)?;
            if was.view == view {
                return Ok(was);
            }
            let marks = c.query("SELECT landmarks_json FROM photo_landmarks WHERE photo_id = ? AND clinic_id = ?", &[int(photo_id), int(clinic)])?;
            if !clear_marks && !marks.is_empty() {
                return Err(StoreError::Conflict(VIEW_CHANGE_CLEARS_MARKS.into()));
            }
            c.exec("DELETE FROM photo_landmarks WHERE photo_id = ? AND clinic_id = ?", &[int(photo_id), int(clinic)])?;
            let row = c.one("photo", &format!("UPDATE photos SET view = ? WHERE id = ? AND clinic_id = ? RETURNING {PHOTO_COLS}"), &[text(view), int(photo_id), int(clinic)])?;
            // The marks cleared are kept in the audit, so a clearing done by mistake can be put back (outside
            // test s42: the audit said "its landmarks cleared" on a photo that had none, and never which).
            let cleared = match marks.first() {
                Some(r) => format!("; its landmarks cleared: {}", r.t(0)?),
                None => String::new(),
            };
            audit(c, clinic, Some(by), "update", "photo", Some(photo_id), Some(was.client_id), &format!("view {} → {view}{cleared}", was.view))?;
            photo(&row)
        })
    }

    fn turn_photo(
        &self,
        clinic: ClinicId,
        photo_id: PhotoId,
        t: &TurnedPhoto,
        turn_marks: &dyn Fn(&str) -> Result<String>,
        by: UserId,
    ) -> Result<(Photo, Vec<String>)> {
        self.write(|c| {
            let was = photo(&c.one("photo", &format!("SELECT {PHOTO_COLS} FROM photos WHERE id = ? AND clinic_id = ?"), &[int(photo_id), int(clinic)])?)?;
            if was.sha256 == t.sha256 {
                return Ok((was, Vec::new()));
            }
            if was.sha256 != t.from_sha256 {
                return Err(StoreError::Conflict(PHOTO_CHANGED_SINCE.into()));
            }
            if let Some(data) = &t.blob {
                debug_assert_eq!(sha256_hex(data), t.sha256, "the turned bytes are the picture named");
                c.exec(
                    "INSERT INTO photo_blobs (sha256, bytes, created_at) VALUES (?, ?, ?) ON CONFLICT (sha256) DO UPDATE SET created_at = excluded.created_at",
                    &[text(&t.sha256), bytes(data), int(now_unix())],
                )?;
            }
            let marks = c.query("SELECT landmarks_json FROM photo_landmarks WHERE photo_id = ? AND clinic_id = ?", &[int(photo_id), int(clinic)])?;
            if let Some(r) = marks.first() {
                let turned = turn_marks(&r.t(0)?)?;
                c.exec("UPDATE photo_landmarks SET landmarks_json = ?, updated_by = ?, updated_at = ? WHERE photo_id = ? AND clinic_id = ?", &[text(&turned), int(by), int(now_unix()), int(photo_id), int(clinic)])?;
            }
            let row = c.one("photo", &format!("UPDATE photos SET sha256 = ?, content_type = ?, bytes = ?, width = ?, height = ? WHERE id = ? AND clinic_id = ? RETURNING {PHOTO_COLS}"), &[text(&t.sha256), text(&t.content_type), int(t.bytes), int(t.width), int(t.height), int(photo_id), int(clinic)])?;
            let gone = crate::rights::drop_orphan_blobs(c, std::slice::from_ref(&was.sha256))?;
            let carried = if marks.is_empty() { "" } else { "; its landmarks turned with it" };
            audit(c, clinic, Some(by), "update", "photo", Some(photo_id), Some(was.client_id), &format!("turned {}° clockwise: {} → {}{carried}", t.degrees, was.sha256, t.sha256))?;
            Ok((photo(&row)?, gone))
        })
    }

    fn mark_photo_seen(
        &self,
        clinic: ClinicId,
        photo_id: PhotoId,
        landmarks_json: &str,
        proposed: &[String],
        seen: MarksSeen<'_>,
        by: UserId,
    ) -> Result<PhotoLandmarks> {
        let proposed_json = serde_json::to_string(proposed).expect("a list of names is JSON");
        self.write(|c| {
            let row = c.one("photo", "SELECT client_id, sha256, view FROM photos WHERE id = ? AND clinic_id = ?", &[int(photo_id), int(clinic)])?;
            let (client_id, shown, view): (ClientId, String, String) = (row.i(0)?, row.t(1)?, row.t(2)?);
            if seen.sha256.is_some_and(|seen| seen != shown) {
                return Err(StoreError::Conflict(MARKS_OF_ANOTHER_PICTURE.into()));
            }
            if seen.view.is_some_and(|seen| seen != view) {
                return Err(StoreError::Conflict(MARKS_OF_ANOTHER_VIEW.into()));
            }
            let stored = c.query(&format!("SELECT {LANDMARKS_COLS} FROM photo_landmarks WHERE photo_id = ? AND clinic_id = ?"), &[int(photo_id), int(clinic)])?;
            if let Some(read) = seen.revision {
                let now = stored.first().map(landmarks).transpose()?.map(|l| l.revision()).unwrap_or_default();
                if read != now {
                    return Err(StoreError::Conflict(MARKS_SAVED_SINCE.into()));
                }
            }
            let had = !stored.is_empty();
            let params = [text(landmarks_json), text(&proposed_json), int(by), int(now_unix()), int(photo_id), int(clinic), int(client_id)];
            let row = if had {
                c.one("photo landmarks", &format!("UPDATE photo_landmarks SET landmarks_json = ?, proposed_json = ?, updated_by = ?, updated_at = ? WHERE photo_id = ? AND clinic_id = ? AND client_id = ? RETURNING {LANDMARKS_COLS}"), &params)?
            } else {
                insert(c, &format!("INSERT INTO photo_landmarks (landmarks_json, proposed_json, updated_by, updated_at, photo_id, clinic_id, client_id) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING {LANDMARKS_COLS}"), &params)?
            };
            let detail = if proposed.is_empty() { String::new() } else { format!("proposed, not yet confirmed: {}", proposed.join(", ")) };
            audit(c, clinic, Some(by), if had { "update" } else { "create" }, "photo landmarks", Some(photo_id), Some(client_id), &detail)?;
            landmarks(&row)
        })
    }
    fn photo_landmarks(
        &self,
        clinic: ClinicId,
        photo_id: PhotoId,
    ) -> Result<Option<PhotoLandmarks>> {
        self.read(|c| {
            c.one("photo", "SELECT id FROM photos WHERE id = ? AND clinic_id = ?", &[int(photo_id), int(clinic)])?;
            let rows = c.query(&format!("SELECT {LANDMARKS_COLS} FROM photo_landmarks WHERE photo_id = ? AND clinic_id = ?"), &[int(photo_id), int(clinic)])?;
            rows.first().map(landmarks).transpose()
        })
    }

    fn add_design(
        &self,
        clinic: ClinicId,
        client_id: ClientId,
        d: &NewDesign,
        by: UserId,
    ) -> Result<DesignRecord> {
        self.write(|c| {
            live_client(c, clinic, client_id)?;
            if let Some(prev) = d.previous_id {
                // A new version follows a design of the same client in the same clinic.
                let p = design_in(c, clinic, prev)?;
                if p.client_id != client_id {
                    return Err(StoreError::NotFound(format!("design {prev} of this client")));
                }
            }
            let mut same = format!("SELECT {DESIGN_COLS} FROM designs WHERE clinic_id = ? AND client_id = ? AND label = ? AND case_toml = ?");
            let mut params = vec![int(clinic), int(client_id), text(&d.label), text(&d.case_toml)];
            and_equal(&mut same, &mut params, "previous_id", d.previous_id.map(int));
            same.push_str(" ORDER BY id LIMIT 1");
            if let Some(r) = c.query(&same, &params)?.first() {
                let mut d = design(r)?;
                d.chosen = chosen_design(c, clinic, client_id)? == Some(d.id);
                return Ok(d);
            }
            // A new design under a name one of this client's designs already has (any case, any spacing):
            // two rows read alike in every list and nobody can tell which the client chose (studio probe
            // s35: "Save as a new design" kept the opened design's name). A new version keeps its name.
            if d.previous_id.is_none() {
                let key = design_name_key(&d.label);
                let rows = c.query(
                    "SELECT label FROM designs WHERE clinic_id = ? AND client_id = ?",
                    &[int(clinic), int(client_id)],
                )?;
                for r in &rows {
                    let label: String = r.t(0)?;
                    if design_name_key(&label) == key {
                        return Err(StoreError::Conflict(format!(
                            "This client already has a design named “{label}”: give the new design its own name, or open “{label}” and save a new version of it."
                        )));
                    }
                }
            }
            // A new version of a version that already has one: the design was changed in another window or
            // on another tablet since this copy was opened (studio probe s34: two tabs saved two "version 2"s
            // of one design, neither told). Nothing is written; saving it as a new design stays possible.
            if let Some(prev) = d.previous_id {
                let newer = c.query(
                    "SELECT d.label, u.display_name, d.created_at FROM designs d LEFT JOIN users u ON u.id = d.created_by WHERE d.clinic_id = ? AND d.previous_id = ? ORDER BY d.id DESC LIMIT 1",
                    &[int(clinic), int(prev)],
                )?;
                if let Some(r) = newer.first() {
                    let label: String = r.t(0)?;
                    return Err(StoreError::Stale {
                        what: format!("The design “{label}”"),
                        by: r.ot(1)?,
                        at: Some(r.i::<i64>(2)?),
                    });
                }
            }
            let sql = format!("INSERT INTO designs (clinic_id, client_id, label, case_toml, created_by, created_at, previous_id) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING {DESIGN_COLS}");
            let created = design(&insert(c, &sql, &[int(clinic), int(client_id), text(&d.label), text(&d.case_toml), int(by), int(now_unix()), opt_int(d.previous_id)])?)?;
            audit(c, clinic, Some(by), "create", "design", Some(created.id), Some(client_id), &match d.previous_id { Some(p) => format!("new version of design {}", p.0), None => String::new() })?;
            Ok(created)
        })
    }
    fn designs(&self, clinic: ClinicId, client_id: ClientId) -> Result<Vec<DesignRecord>> {
        self.read(|c| {
            own_client(c, clinic, client_id)?;
            let chosen = chosen_design(c, clinic, client_id)?;
            let rows = c.query(&format!("SELECT {DESIGN_COLS} FROM designs WHERE clinic_id = ? AND client_id = ? ORDER BY id DESC"), &[int(clinic), int(client_id)])?;
            rows.iter().map(design).map(|d| d.map(|mut d| { d.chosen = chosen == Some(d.id); d })).collect()
        })
    }
    fn design(&self, clinic: ClinicId, id: DesignId) -> Result<DesignRecord> {
        self.read(|c| design_in(c, clinic, id))
    }
    fn choose_design(
        &self,
        clinic: ClinicId,
        id: DesignId,
        seen: Option<Option<DesignId>>,
        by: UserId,
    ) -> Result<DesignRecord> {
        self.write(|c| {
            let d = design_in(c, clinic, id)?;
            // Two people choosing different designs at once were both told they chose (outside test s43).
            if let Some(seen) = seen {
                let now = c.query(
                    "SELECT ch.design_id, u.display_name, ch.chosen_at, d.label FROM chosen_designs ch LEFT JOIN users u ON u.id = ch.chosen_by LEFT JOIN designs d ON d.id = ch.design_id WHERE ch.client_id = ? AND ch.clinic_id = ?",
                    &[int(d.client_id), int(clinic)],
                )?;
                if let Some(r) = now.first() {
                    let current: i64 = r.i(0)?;
                    if Some(current) != seen.map(|x| x.0) && current != id.0 {
                        let label: Option<String> = r.ot(3)?;
                        return Err(StoreError::Stale {
                            what: format!(
                                "The design chosen for the sessions (now “{}”)",
                                label.unwrap_or_default()
                            ),
                            by: r.ot(1)?,
                            at: Some(r.i::<i64>(2)?),
                        });
                    }
                }
            }
            c.exec(
                "INSERT INTO chosen_designs (client_id, clinic_id, design_id, chosen_by, chosen_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (client_id) DO UPDATE SET design_id = excluded.design_id, chosen_by = excluded.chosen_by, chosen_at = excluded.chosen_at",
                &[int(d.client_id), int(clinic), int(id), int(by), int(now_unix())],
            )?;
            audit(c, clinic, Some(by), "choose", "design", Some(id), Some(d.client_id), "")?;
            Ok(DesignRecord { chosen: true, ..d })
        })
    }
    fn design_history(&self, clinic: ClinicId, id: DesignId) -> Result<Vec<DesignRecord>> {
        self.read(|c| {
            let mut out = vec![design_in(c, clinic, id)?];
            while let Some(prev) = out.last().and_then(|d| d.previous_id) {
                if out.len() >= MAX_DESIGN_VERSIONS || out.iter().any(|d| d.id == prev) {
                    break;
                }
                out.push(design_in(c, clinic, prev)?);
            }
            Ok(out)
        })
    }

    fn append_audit(&self, clinic: ClinicId, e: &NewAudit) -> Result<()> {
        self.write(|c| {
            audit(
                c,
                clinic,
                e.user_id,
                &e.action,
                &e.entity,
                e.entity_id,
                e.client_id,
                &e.detail,
            )
        })
    }
    fn audit(&self, clinic: ClinicId, limit: i64, offset: i64) -> Result<Vec<AuditEntry>> {
        self.read(|c| c.query(&format!("SELECT {AUDIT_COLS} FROM audit_log WHERE clinic_id = ? ORDER BY id DESC LIMIT ? OFFSET ?"), &[int(clinic), int(limit), int(offset)])?.iter().map(audit_entry).collect::<Result<Vec<_>>>())
    }

    fn put_photo_blob(&self, data: &[u8]) -> Result<String> {
        let sha = sha256_hex(data);
        self.write(|c| {
            // Storing known bytes again marks them fresh, so a purge running now keeps them for the photo row to come.
            c.exec(
                "INSERT INTO photo_blobs (sha256, bytes, created_at) VALUES (?, ?, ?) ON CONFLICT (sha256) DO UPDATE SET created_at = excluded.created_at",
                &[text(&sha), bytes(data), int(now_unix())],
            )
        })?;
        Ok(sha)
    }
    fn photo_bytes_in_use(&self, sha256: &str) -> Result<bool> {
        self.read(|c| Ok(crate::rights::photos_showing(c, sha256)? > 0))
    }
    fn photo_blob(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        self.read(|c| {
            Ok(c.query(
                "SELECT bytes FROM photo_blobs WHERE sha256 = ?",
                &[text(sha256)],
            )?
            .first()
            .map(|r| r.ob(0))
            .transpose()?
            .flatten())
        })
    }
    fn put_photo_derived(&self, sha256: &str, suffix: &str, data: &[u8]) -> Result<()> {
        self.write(|c| {
            c.exec(
                "INSERT INTO photo_derived (sha256, suffix, bytes) VALUES (?, ?, ?) ON CONFLICT (sha256, suffix) DO UPDATE SET bytes = excluded.bytes",
                &[text(sha256), text(suffix), bytes(data)],
            )
            .map(|_| ())
        })
    }
    fn photo_derived(&self, sha256: &str, suffix: &str) -> Result<Option<Vec<u8>>> {
        self.read(|c| {
            Ok(c.query(
                "SELECT bytes FROM photo_derived WHERE sha256 = ? AND suffix = ?",
                &[text(sha256), text(suffix)],
            )?
            .first()
            .map(|r| r.ob(0))
            .transpose()?
            .flatten())
        })
    }
    fn purge_unreferenced_photo_blobs(&self, before: i64) -> Result<u64> {
        self.write(|c| {
            let unreferenced = "created_at < ? AND NOT EXISTS (SELECT 1 FROM photos p WHERE p.sha256 = photo_blobs.sha256)";
            c.exec(&format!("DELETE FROM photo_derived WHERE sha256 IN (SELECT sha256 FROM photo_blobs WHERE {unreferenced})"), &[int(before)])?;
            c.exec(&format!("DELETE FROM photo_blobs WHERE {unreferenced}"), &[int(before)])
        })
    }
    fn photo_blob_count(&self) -> Result<i64> {
        self.read(|c| {
            c.one("count", "SELECT COUNT(*) FROM photo_blobs", &[])?
                .i(0)
        })
    }
    fn photo_shas_in_use(&self, shas: &[String]) -> Result<Vec<String>> {
        if shas.is_empty() {
            return Ok(Vec::new());
        }
        let marks = vec!["?"; shas.len()].join(", ");
        let params: Vec<Val> = shas.iter().map(|s| text(s)).collect();
        self.read(|c| {
            c.query(
                &format!("SELECT DISTINCT sha256 FROM photos WHERE sha256 IN ({marks})"),
                &params,
            )?
            .iter()
            .map(|r| r.t(0))
            .collect()
        })
    }

    fn throttle_attempt(
        &self,
        keys: &[String],
        now: i64,
        window: i64,
        refuse: &dyn Fn(&[ThrottleCount]) -> Option<i64>,
    ) -> Result<Option<i64>> {
        let mut keys = keys.to_vec();
        keys.sort(); // one lock order on every node: no deadlock between attempts
        keys.dedup();
        let verdict = self.write(|c| {
            let mut counts = Vec::with_capacity(keys.len());
            for k in &keys {
                // The upsert locks the key's row (PostgreSQL; SQLite has one writer), so attempts on one key queue.
                let r = c.one(
                    "throttle row",
                    "INSERT INTO login_throttle (key_hash, failures, last_at) VALUES (?, 0, ?) ON CONFLICT (key_hash) DO UPDATE SET key_hash = excluded.key_hash RETURNING failures, last_at, pending, pending_at",
                    &[text(k), int(now)],
                )?;
                let (failures, last_at, pending, pending_at): (i64, i64, i64, i64) = (r.i(0)?, r.i(1)?, r.i(2)?, r.i(3)?);
                let failures = if last_at < now - window { 0 } else { failures };
                let pending = if pending_at < now - crate::types::THROTTLE_PENDING_STALE { 0 } else { pending };
                counts.push(ThrottleCount { key: k.clone(), failures, last_at, pending });
            }
            if let Some(wait) = refuse(&counts) {
                // A refused attempt leaves nothing behind: not even the empty rows made to lock new keys.
                for t in counts.iter().filter(|t| t.failures == 0 && t.pending == 0) {
                    c.exec("DELETE FROM login_throttle WHERE key_hash = ? AND failures = 0 AND pending = 0", &[text(&t.key)])?;
                }
                return Ok(Some(wait));
            }
            for t in &counts {
                c.exec("UPDATE login_throttle SET pending = ?, pending_at = ? WHERE key_hash = ?", &[int(t.pending + 1), int(now), text(&t.key)])?;
            }
            Ok(None)
        })?;
        // Rows quiet for a whole window are forgotten (best effort: a failure here changes no verdict).
        let _ = self.throttle_purge(now - window);
        Ok(verdict)
    }
    fn throttle_settle(
        &self,
        keys: &[String],
        failed: bool,
        clear: &[String],
        now: i64,
        window: i64,
    ) -> Result<()> {
        let mut keys = keys.to_vec();
        keys.sort(); // the same lock order as throttle_attempt
        keys.dedup();
        self.write(|c| {
            for k in &keys {
                if failed {
                    c.exec("UPDATE login_throttle SET pending = CASE WHEN pending > 0 THEN pending - 1 ELSE 0 END, failures = CASE WHEN last_at < ? THEN 1 ELSE failures + 1 END, last_at = ? WHERE key_hash = ?", &[int(now - window), int(now), text(k)])?;
                } else {
                    c.exec("UPDATE login_throttle SET pending = CASE WHEN pending > 0 THEN pending - 1 ELSE 0 END WHERE key_hash = ?", &[text(k)])?;
                }
            }
            if !failed {
                for k in clear {
                    c.exec("DELETE FROM login_throttle WHERE key_hash = ? AND pending = 0", &[text(k)])?;
                    c.exec("UPDATE login_throttle SET failures = 0 WHERE key_hash = ?", &[text(k)])?;
                }
            }
            Ok(())
        })
    }
    fn throttle_purge(&self, before: i64) -> Result<u64> {
        self.write(|c| {
            c.exec(
                "DELETE FROM login_throttle WHERE last_at < ? AND pending_at < ?",
                &[int(before), int(before)],
            )
        })
    }
    fn throttle_rows(&self) -> Result<i64> {
        self.read(|c| {
            c.one("count", "SELECT COUNT(*) FROM login_throttle", &[])?
                .i(0)
        })
    }

    fn add_setup_token(&self, token_hash: &str, expires_at: i64) -> Result<()> {
        self.write(|c| {
            c.exec(
                "DELETE FROM setup_tokens WHERE expires_at <= ?",
                &[int(now_unix())],
            )?;
            c.exec(
                "INSERT INTO setup_tokens (token_hash, expires_at) VALUES (?, ?)",
                &[text(token_hash), int(expires_at)],
            )
            .map(|_| ())
        })
    }
    fn setup_token_live(&self, token_hash: &str, now: i64) -> Result<bool> {
        self.read(|c| {
            Ok(!c
                .query(
                    "SELECT token_hash FROM setup_tokens WHERE token_hash = ? AND expires_at > ?",
                    &[text(token_hash), int(now)],
                )?
                .is_empty())
        })
    }
    fn set_up_studio(
        &self,
        token_hash: &str,
        now: i64,
        clinic_name: &str,
        owner: &NewUser,
    ) -> Result<Option<(Clinic, User)>> {
        self.write(|c| {
            if c.one("count", "SELECT COUNT(*) FROM users", &[])?.i::<i64>(0)? > 0 {
                return Err(StoreError::Conflict("the studio is already set up; log in".into()));
            }
            if c.query("DELETE FROM setup_tokens WHERE token_hash = ? AND expires_at > ? RETURNING token_hash", &[text(token_hash), int(now)])?.is_empty() {
                return Ok(None);
            }
            let made = clinic_with_owner(c, self.keyed, clinic_name, owner)?;
            c.exec("DELETE FROM setup_tokens", &[])?; // every other token dies with the set-up
            Ok(Some(made))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::design_name_key;

    #[test]
    fn design_names_that_read_alike_have_one_key() {
        // "ë" as one character and as "e" with a combining diaeresis (macOS keyboards write the second).
        assert_eq!(
            design_name_key("Zoë 🙂 李"),
            design_name_key("Zoe\u{308} 🙂 李")
        );
        assert_eq!(
            design_name_key(" Same  look "),
            design_name_key("same look")
        );
        assert_eq!(design_name_key("ﬁne Ａ1"), design_name_key("fine A1"));
        assert_ne!(design_name_key("Zoë"), design_name_key("Zoe"));
    }
}
