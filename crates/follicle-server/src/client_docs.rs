//! A client's documents and their data archive, each built from the store in one blocking call (run it on a
//! blocking thread: the HTTP handlers use `cpu`, the `follicle` command calls it directly): the client report,
//! the ink passport, and "everything about this client" as one zip archive (records as JSON, plan.json and
//! case files, photos, the report and passport as PDFs, and a README in plain words).

use crate::error::ApiError;
use follicle_clinic::export::document::Document;
use follicle_clinic::export::{passport_document, pdf};
use follicle_clinic::{
    Aftercare, Catalogue, ConsentLibrary, Date, Format, InkPassport, Intake, Lot, Pigment,
    ScheduleSettings, Screening, SessionLog,
};
use follicle_store::{
    ClientId, ClinicId, Consultation, LotRow, PhotoStore, PigmentRow, PlanId, Store, UserId,
};
use serde_json::{json, Value};
use std::io::{Seek, Write};

/// The clinic's catalogue (pigments and lots) as follicle-clinic reads it, checked by its rules; with an extra
/// pigment or lot to check before storing it.
pub fn catalogue_of(
    pigments: &[PigmentRow],
    lots: &[LotRow],
    extra_pigment: Option<Pigment>,
    extra_lot: Option<Lot>,
) -> Result<Catalogue, ApiError> {
    let mut ps: Vec<Value> = pigments
        .iter()
        .map(|p| serde_json::from_str(&p.pigment_json).map_err(ApiError::internal))
        .collect::<Result<_, _>>()?;
    let mut ls: Vec<Value> = lots
        .iter()
        .map(|l| json!({ "pigment": l.lot.pigment, "number": l.lot.number, "expiry": l.lot.expiry, "received": l.lot.received }))
        .collect();
    if let Some(p) = extra_pigment {
        ps.push(serde_json::to_value(p).map_err(ApiError::internal)?);
    }
    if let Some(l) = extra_lot {
        ls.push(serde_json::to_value(l).map_err(ApiError::internal)?);
    }
    let doc = json!({ "format": "follicle-pigments", "version": 1, "pigment": ps, "lot": ls });
    // The form's words: the field named as people say it ("Ph regulators: …", "Number: …"), not the
    // catalogue's path (`pigment[3].ph_regulators`), whose index means nothing to the person at the form.
    Catalogue::parse(&doc.to_string(), Format::Json).map_err(|e| {
        let duplicate = e
            .message
            .contains(follicle_clinic::pigment::ALREADY_IN_CATALOGUE);
        let what = if e.path.is_empty() {
            e.message
        } else {
            format!("{}: {}", crate::error::label(&e.path), e.message)
        };
        // A pigment or lot given twice conflicts with what is stored: the same answer as when two saves race
        // and the store refuses the second (outside probe s31: 409 and 422 by timing).
        if duplicate {
            ApiError::conflict(what)
        } else {
            ApiError::unprocessable(what)
        }
    })
}

/// The clinic's pigments that have a recorded colour, as follicle-render pigments named by their id (the name
/// a zone's `shade` carries): what a plan is drawn and matched with (follicle-render's `plan_catalogue`) and a
/// new design starts from.
pub fn colours_of(
    pigments: &[PigmentRow],
) -> Result<Vec<follicle_render::shade::Pigment>, ApiError> {
    let mut out = Vec::new();
    for r in pigments {
        let p: Pigment = serde_json::from_str(&r.pigment_json).map_err(ApiError::internal)?;
        if let Some([l, a, b]) = p.lab {
            out.push(follicle_render::shade::Pigment {
                name: p.id.clone(),
                lab: follicle_render::color::Lab::new(l, a, b),
                ingredients: p.ingredients.clone(),
                note: p.display_name(),
            });
        }
    }
    Ok(out)
}

/// The client's session log (consents and sessions) as follicle-clinic builds it from stored rows.
pub fn session_log_of(
    reference: &str,
    sessions: &[follicle_store::TreatmentSession],
    consents: &[follicle_store::Consent],
) -> Result<SessionLog, ApiError> {
    let mut log = SessionLog::new(reference);
    for r in sessions {
        log.sessions
            .push(serde_json::from_str(&r.record_json).map_err(ApiError::internal)?);
    }
    for c in consents {
        log.consents
            .push(serde_json::from_str(&c.signed_json).map_err(ApiError::internal)?);
    }
    Ok(log)
}

/// The client's consultations held by `today`, newest first (the store lists them newest first): one dated
/// later has not happened yet (a mistyped year kept from before dates were checked on entry) and must not
/// stand for the client's current screening in gates, reports and schedules.
pub fn held_by(list: Vec<Consultation>, today: Date) -> Vec<Consultation> {
    list.into_iter()
        .filter(|c| c.held_on.parse::<Date>().is_ok_and(|d| d <= today))
        .collect()
}

/// The client's ink passport: `Err(409)` without a consultation, `Err(422)` when a consent does not verify or
/// a lot is unknown.
pub fn passport(
    s: &dyn Store,
    clinic: ClinicId,
    client: ClientId,
) -> Result<InkPassport, ApiError> {
    let c = s.client(clinic, client)?;
    let consultations = s.consultations(clinic, client)?;
    let mut intake = consultations
        .first()
        .map(|c| Intake::from_json(&c.intake_json).map_err(ApiError::internal))
        .transpose()?
        .ok_or_else(|| ApiError::conflict("no consultation recorded for this client"))?;
    // The client as the record says now (a name or date of birth corrected with a reason reaches the passport,
    // as it reaches the report): the intake is what was said at the consultation.
    intake.client.name = c.fields.name.clone();
    if let Some(dob) = c
        .fields
        .date_of_birth
        .as_deref()
        .and_then(|d| d.parse().ok())
    {
        intake.client.date_of_birth = dob;
    }
    let cat = catalogue_of(&s.pigments(clinic)?, &s.lots(clinic)?, None, None)?;
    let log = session_log_of(
        &c.fields.reference,
        &s.sessions(clinic, client)?,
        &s.consents(clinic, client)?,
    )?;
    let library = ConsentLibrary::embedded();
    for consent in &log.consents {
        consent
            .verify(&library)
            .map_err(|e| ApiError::unprocessable(e.to_string()))?;
    }
    InkPassport::build(&intake, &log, &cat).map_err(|e| ApiError::unprocessable(e.to_string()))
}

/// The passport as a document for the client, headed by the clinic's logo, name and address.
pub fn passport_doc(
    s: &dyn Store,
    clinic: ClinicId,
    p: &InkPassport,
    today: Date,
) -> Result<Document, ApiError> {
    use follicle_clinic::export::document::Block;
    let mut doc = passport_document(p, today);
    let settings = s.clinic_settings(clinic)?;
    let mut head = Vec::new();
    if let Some((ty, bytes)) = s.clinic_logo(clinic)? {
        head.push(Block::Image {
            bytes,
            media_type: ty,
            width_mm: 40.0,
            caption: String::new(),
        });
    }
    let mut fields = vec![("Studio".to_string(), settings.name)];
    if !settings.address.trim().is_empty() {
        fields.push(("Address".into(), settings.address.trim().to_string()));
    }
    head.push(Block::Fields(fields));
    doc.blocks.splice(0..0, head);
    Ok(doc)
}

fn parse_day(field: &str, s: &str) -> Result<Date, ApiError> {
    s.parse()
        .map_err(|e| ApiError::unprocessable(format!("{field}: {e}")))
}

/// The client report (crate::report) for a plan of the client (default: the one the sessions follow,
/// crate::followed), as of `today`.
pub fn report(
    s: &dyn Store,
    clinic_id: ClinicId,
    id: ClientId,
    plan: Option<PlanId>,
    today: Date,
) -> Result<Document, ApiError> {
    let client = s.client(clinic_id, id)?;
    let settings = s.clinic_settings(clinic_id)?;
    let plans = s.plans(clinic_id, id)?;
    let rows = s.sessions(clinic_id, id)?;
    let consultations = held_by(s.consultations(clinic_id, id)?, today);
    let users = s.users(clinic_id)?;
    let record = match plan {
        Some(pid) => Some(
            plans
                .iter()
                .find(|p| p.id == pid)
                .ok_or_else(|| {
                    ApiError::not_found(format!("plan {pid} is not one of this client's plans"))
                })?
                .clone(),
        ),
        None => crate::followed::sessions_plan(&plans, &s.designs(clinic_id, id)?).cloned(),
    };
    let plan_doc: Option<Value> = match &record {
        Some(p) => {
            Some(serde_json::from_str(&s.plan_json(clinic_id, p.id)?).map_err(ApiError::internal)?)
        }
        None => None,
    };
    let (cat, log) = if consultations.is_empty() {
        (None, None)
    } else {
        (
            Some(catalogue_of(
                &s.pigments(clinic_id)?,
                &s.lots(clinic_id)?,
                None,
                None,
            )?),
            Some(session_log_of(
                &client.fields.reference,
                &rows,
                &s.consents(clinic_id, id)?,
            )?),
        )
    };
    let held = rows
        .iter()
        .map(|r| {
            Ok((
                u32::try_from(r.index).map_err(ApiError::internal)?,
                parse_day("held_on", &r.held_on)?,
            ))
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let screening: Option<Screening> = consultations
        .first()
        .map(|c| serde_json::from_str(&c.screening_json).map_err(ApiError::internal))
        .transpose()?;
    let intake = consultations
        .first()
        .map(|c| Intake::from_json(&c.intake_json).map_err(ApiError::internal))
        .transpose()?;
    let scars = intake.as_ref().is_some_and(|i| i.has_scars());
    // A touch-up plan extends its parent by one session: the course is the first plan's sessions.
    let course = crate::followed::course_sessions(&plans, record.as_ref());
    let schedule = ScheduleSettings {
        sessions: course,
        ..ScheduleSettings::default()
    };
    let held_days: Vec<Date> = held.iter().map(|(_, d)| *d).collect();
    let visits = follicle_clinic::propose(&held_days, today, &schedule, scars).unwrap_or_default();
    let passport = match (&intake, &log, &cat) {
        (Some(i), Some(log), Some(cat)) => InkPassport::build(i, log, cat).ok(),
        _ => None,
    };
    // The practitioner: who recorded the latest session, else who made the plan.
    let practitioner = log
        .as_ref()
        .and_then(|l| l.sessions.last())
        .map(|s| s.practitioner.clone())
        .or_else(|| {
            record.as_ref().and_then(|p| {
                users
                    .iter()
                    .find(|u| u.id == p.created_by)
                    .map(|u| u.display_name.clone())
            })
        });
    let own = colours_of(&s.pigments(clinic_id)?)?;
    // The mannequin dressed as the studio's preview dresses it: the plan's face, else its case's or the
    // latest consultation's, and that consultation's hair colour (crate::look, one rule).
    let latest_intake = consultations
        .first()
        .map(|c| serde_json::from_str::<Value>(&c.intake_json).map_err(ApiError::internal))
        .transpose()?;
    let look = crate::look::ClientLook::of(
        record.as_ref().and_then(|p| p.case_toml.as_deref()),
        latest_intake.as_ref(),
    );
    let picture = plan_doc
        .as_ref()
        .and_then(|d| crate::report::design_picture(&d.to_string(), own, &look));
    let logo = s.clinic_logo(clinic_id)?;
    let aftercare = Aftercare::embedded();
    let input = crate::report::ReportInput {
        client_name: &client.fields.name,
        client_reference: &client.fields.reference,
        studio: &settings.name,
        address: &settings.address,
        logo: logo.as_ref().map(|(t, b)| (t.as_str(), b.as_slice())),
        practitioner: practitioner.as_deref(),
        picture: picture.as_deref(),
        today,
        course,
        plan: record
            .as_ref()
            .zip(plan_doc.as_ref())
            .map(|(p, d)| (p.id, p.created_at, d)),
        held: &held,
        visits: &visits,
        screening: screening.as_ref(),
        passport: passport.as_ref(),
        aftercare: &aftercare,
    };
    Ok(crate::report::client_report(&input))
}

fn zip_error(e: impl std::fmt::Display) -> ApiError {
    ApiError::internal(format!("export archive: {e}"))
}

/// Everything the clinic holds about a client as one zip archive written to `out` (a temporary file: the
/// server streams it from there, the command line renames it into place), audited as an export by `by`, or by
/// the command line with `how` saying so. Photos are read from `photos` one at a time and written straight
/// through, so memory stays bounded by the largest photo ([`crate::PHOTO_LIMIT`]) plus the client's records
/// and plans, whatever the photos weigh together; the archive's size is what the client's files come to.
#[allow(clippy::too_many_arguments)]
pub fn export_archive<W: Write + Seek>(
    s: &dyn Store,
    photos: &PhotoStore,
    clinic: ClinicId,
    client: ClientId,
    today: Date,
    by: Option<UserId>,
    how: &str,
    out: W,
) -> Result<W, ApiError> {
    use zip::write::SimpleFileOptions;
    use zip::CompressionMethod;
    let mut export = s.export_client(clinic, client, by, how)?;
    // Each plan.json goes to its own file; taken out so records.json does not copy them.
    let plan_files: Vec<(PlanId, String)> = export
        .plans
        .iter_mut()
        .map(|p| (p.record.id, std::mem::take(&mut p.plan_json)))
        .collect();
    let report_pdf = pdf::render(&report(s, clinic, client, None, today)?).map_err(zip_error)?;
    let passport_pdf = match passport(s, clinic, client) {
        Ok(p) => Some(pdf::render(&passport_doc(s, clinic, &p, today)?).map_err(zip_error)?),
        Err(_) => None,
    };

    let mut records = serde_json::to_value(&export).map_err(ApiError::internal)?;
    if let Some(plans) = records["plans"].as_array_mut() {
        for p in plans {
            let id = p["id"].as_i64().unwrap_or(0);
            if let Some(o) = p.as_object_mut() {
                o.remove("plan_json");
                o.insert(
                    "plan_json_file".into(),
                    json!(format!("plans/plan-{id}.json")),
                );
            }
        }
    }
    // The clinic's day: every appointment (cancelled ones too), the drawn signature of each signed consent,
    // and the physician's clearance letters (details here, the files under clearance-letters/).
    let appointments = s.appointments(
        clinic,
        &follicle_store::AppointmentQuery {
            from: 0,
            to: i64::MAX / 2,
            client: Some(client),
            practitioner: None,
            include_cancelled: true,
        },
    )?;
    let mut signatures = Vec::new();
    for c in &export.consents {
        if let (_, Some(sig)) = s.signed_consent(clinic, c.id)? {
            signatures.push(sig);
        }
    }
    let letters = s.clearance_letters(clinic, client)?;
    if let Some(o) = records.as_object_mut() {
        o.insert(
            "appointments".into(),
            serde_json::to_value(&appointments).map_err(ApiError::internal)?,
        );
        o.insert(
            "consent_signatures".into(),
            serde_json::to_value(&signatures).map_err(ApiError::internal)?,
        );
        o.insert(
            "clearance_letters".into(),
            serde_json::to_value(&letters).map_err(ApiError::internal)?,
        );
    }
    let mut z = zip::ZipWriter::new(out);
    let packed = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let mut add = |name: &str, bytes: &[u8], opts: SimpleFileOptions| -> Result<(), ApiError> {
        z.start_file(name, opts.large_file(bytes.len() as u64 >= u32::MAX as u64))
            .map_err(zip_error)?;
        z.write_all(bytes).map_err(zip_error)
    };
    let mut readme = format!(
        "Everything {clinic} holds about {name} (reference {reference}), exported on {today}.\n\n\
         records.json       every record: details, consultations (deleted ones marked), designs, plans, treatment\n\
         \u{20}                  sessions, signed consents with their drawn signatures, appointments, the clearance\n\
         \u{20}                  letters' details, photos' details, earlier versions of edited records, and the\n\
         \u{20}                  audit log of who saw or changed them\n\
         plans/             each plan's impressions (plan.json)\n\
         clearance-letters/ the physician's clearance letters\n\
         designs/           each design's case file\n\
         photos/            the photos\n\
         documents/         the treatment report{passport} as PDF\n",
        clinic = s.clinic(clinic)?.name,
        name = export.client.fields.name,
        reference = export.client.fields.reference,
        passport = if passport_pdf.is_some() { " and the ink passport" } else { "" },
    );
    if passport_pdf.is_none() {
        readme.push_str("\nNo ink passport: it needs a consultation and recorded sessions.\n");
    }
    add("README.txt", readme.as_bytes(), packed)?;
    add(
        "records.json",
        serde_json::to_string_pretty(&records)
            .map_err(ApiError::internal)?
            .as_bytes(),
        packed,
    )?;
    for (id, json) in &plan_files {
        add(&format!("plans/plan-{id}.json"), json.as_bytes(), packed)?;
    }
    for d in &export.designs {
        add(
            &format!("designs/design-{}.toml", d.id),
            d.case_toml.as_bytes(),
            packed,
        )?;
    }
    for p in &export.photos {
        let ext = if p.photo.content_type == "image/jpeg" {
            "jpg"
        } else {
            "png"
        };
        let bytes = photos.get(&p.photo.sha256)?;
        add(
            &format!("photos/photo-{}.{ext}", p.photo.id),
            &bytes,
            stored,
        )?;
    }
    for l in &letters {
        let ext = match l.content_type.as_str() {
            "application/pdf" => "pdf",
            "image/jpeg" => "jpg",
            _ => "png",
        };
        let (_, bytes) = s.clearance_letter(clinic, l.id)?;
        add(
            &format!("clearance-letters/letter-{}.{ext}", l.id),
            &bytes,
            stored,
        )?;
    }
    add("documents/treatment-report.pdf", &report_pdf, stored)?;
    if let Some(p) = &passport_pdf {
        add("documents/ink-passport.pdf", p, stored)?;
    }
    z.finish().map_err(zip_error)
}
