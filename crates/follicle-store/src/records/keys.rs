//! The keys written beside names so that look-alikes are one (user and clinic names, client references, the
//! search key of a client): filled for rows made before their schema version, refreshed on every change, and
//! the words of a refusal when a key is taken.

use super::*;

/// Escapes LIKE wildcards in user text (with `\` as the escape character).
pub(crate) fn like_pattern(s: &str) -> String {
    let mut out = String::from("%");
    for ch in s.to_lowercase().chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

/// Fills the name keys of users and clinics made before schema 17 (or by a node that does not know the keys yet),
/// oldest first; a row whose name reads the same as an earlier row's keeps no key. Nodes starting together compute
/// the same keys, so their fills agree.
pub(crate) fn fill_name_keys(c: &mut dyn Conn) -> Result<()> {
    for (table, name, key) in [
        (
            "users",
            "username",
            text_rules::user_name_key as fn(&str) -> String,
        ),
        ("clinics", "name", text_rules::clinic_name_key),
    ] {
        let rows = c.query(
            &format!("SELECT id, {name} FROM {table} WHERE name_key IS NULL ORDER BY id"),
            &[],
        )?;
        if rows.is_empty() {
            continue;
        }
        let mut taken: std::collections::HashSet<String> = c
            .query(
                &format!("SELECT name_key FROM {table} WHERE name_key IS NOT NULL"),
                &[],
            )?
            .iter()
            .map(|r| r.t(0))
            .collect::<Result<_>>()?;
        for r in &rows {
            let k = key(&r.t(1)?);
            if taken.insert(k.clone()) {
                c.exec(
                    &format!("UPDATE {table} SET name_key = ? WHERE id = ?"),
                    &[text(&k), int(r.i::<i64>(0)?)],
                )?;
            }
        }
    }
    Ok(())
}

/// Fills the reference keys of clients made before schema 21 (or by a node that does not know them yet), oldest
/// first; a client whose reference reads the same as an earlier one's in the clinic keeps no key, as does an erased
/// client (its pseudonym is no reference anyone types, and no trace of the erased one may stay).
pub(crate) fn fill_reference_keys(c: &mut dyn Conn) -> Result<()> {
    let rows = c.query(
        "SELECT id, clinic_id, reference FROM clients WHERE reference_key IS NULL AND erased_at IS NULL ORDER BY id",
        &[],
    )?;
    if rows.is_empty() {
        return Ok(());
    }
    let mut taken: std::collections::HashSet<(i64, String)> = c
        .query(
            "SELECT clinic_id, reference_key FROM clients WHERE reference_key IS NOT NULL",
            &[],
        )?
        .iter()
        .map(|r| Ok((r.i(0)?, r.t(1)?)))
        .collect::<Result<_>>()?;
    for r in &rows {
        let key = text_rules::reference_key(&r.t(2)?);
        if taken.insert((r.i(1)?, key.clone())) {
            c.exec(
                "UPDATE clients SET reference_key = ? WHERE id = ?",
                &[text(&key), int(r.i::<i64>(0)?)],
            )?;
        }
    }
    Ok(())
}

/// Fills the search keys of clients made before schema 22 (or by a node that does not know them yet).
pub(crate) fn fill_search_keys(c: &mut dyn Conn) -> Result<()> {
    let ids = c.query(
        "SELECT id FROM clients WHERE search_key IS NULL ORDER BY id",
        &[],
    )?;
    for r in &ids {
        refresh_search_key(c, true, r.i(0)?)?;
    }
    Ok(())
}

/// Writes a client's search key (schema 22 on, `keyed`) from the row as it now is, inside the caller's
/// transaction: its name, reference, e-mail and phone folded as a search compares them
/// (`follicle_clinic::text::search_fold`). Called wherever a client's fields are written.
pub(crate) fn refresh_search_key(c: &mut dyn Conn, keyed: bool, id: ClientId) -> Result<()> {
    if !keyed {
        return Ok(());
    }
    let r = c.one(
        "client",
        "SELECT name, reference, COALESCE(email, ''), COALESCE(phone, '') FROM clients WHERE id = ?",
        &[int(id)],
    )?;
    let key = [r.t(0)?, r.t(1)?, r.t(2)?, r.t(3)?]
        .iter()
        .map(|f| text_rules::search_fold(f))
        .collect::<Vec<_>>()
        .join("\n");
    c.exec(
        "UPDATE clients SET search_key = ? WHERE id = ?",
        &[text(&key), int(id)],
    )?;
    Ok(())
}

/// Writes a client's reference key (schema 21 on, `keyed`) inside the caller's transaction: a reference that reads
/// the same as another client's of the clinic is refused in words ([`reference_taken`]).
pub(crate) fn set_reference_key(
    c: &mut dyn Conn,
    keyed: bool,
    id: ClientId,
    reference: &str,
) -> Result<()> {
    if !keyed {
        return Ok(());
    }
    c.exec(
        "UPDATE clients SET reference_key = ? WHERE id = ?",
        &[text(&text_rules::reference_key(reference)), int(id)],
    )
    .map(|_| ())
    .map_err(|e| reference_taken(e, reference))
}

/// The words for a client reference refused by the unique indexes on references (the database's message names
/// the column or index), in place of the database's; other conflicts pass unchanged.
pub(crate) fn reference_taken(e: StoreError, reference: &str) -> StoreError {
    match e {
        StoreError::Conflict(db) if db.contains("reference") => StoreError::Conflict(format!(
            "a client with the reference `{reference}`, or one that differs from it only in capital letters, already exists in this clinic; choose another reference"
        )),
        e => e,
    }
}

/// The words for a name refused by the unique indexes on user and clinic names (`users.username`,
/// `users_name_key`, `clinics_name_key`: the database's message names the column or index), in place of the
/// database's; other conflicts pass unchanged.
pub(crate) fn name_taken(e: StoreError, clinic: Option<&str>, username: &str) -> StoreError {
    match e {
        StoreError::Conflict(db) if db.contains("name") => StoreError::Conflict(match clinic {
            Some(name) if db.contains("clinics") => format!(
                "a clinic named `{name}` already uses this database (capital letters and spaces at the ends do not make a different name); give this one another name"
            ),
            _ => format!(
                "the user name `{username}` is taken, or reads the same as one that is (capital letters do not make a different name); choose another"
            ),
        }),
        e => e,
    }
}
