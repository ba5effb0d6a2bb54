//! Shared by the tests that run the records commands (`follicle client export|erase`, `follicle records purge`)
//! on a real SQLite studio: the binary with the clinic's time zone, and a studio seeded through the store (an
//! owner and staff, clients with a treatment session, a photo whose bytes are in the photo folder).

#![allow(dead_code)]

use follicle_store::*;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

/// Runs the real `follicle` binary in the clinic's time zone (Europe/Warsaw).
pub fn follicle(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_follicle"))
        .args(args)
        .env("FOLLICLE_TZ", "Europe/Warsaw")
        .output()
        .unwrap()
}

/// A user to create (the password hash is never checked by the records commands).
pub fn user(name: &str, role: Role) -> NewUser {
    NewUser {
        username: name.into(),
        display_name: name.into(),
        role,
        password_hash: "$argon2id$unused".into(),
    }
}

/// A studio on the database at `url`: the clinic "Studio" with its owner `owner` and the `staff` users.
pub struct Studio {
    /// The store.
    pub store: Arc<dyn Store>,
    /// The photo folder.
    pub photos: PhotoStore,
    /// The clinic.
    pub clinic: ClinicId,
    /// The owner.
    pub owner: UserId,
}

impl Studio {
    /// Opens the database at `url`, creates the clinic with its owner `owner`, then the `staff` users.
    pub fn new(url: &str, photo_dir: &Path, staff: &[(&str, Role)]) -> Studio {
        let store = open(url).unwrap();
        let photos = PhotoStore::for_store(store.clone(), photo_dir).unwrap();
        let (c, o) = store
            .create_clinic_with_owner("Studio", &user("owner", Role::Owner))
            .unwrap();
        for (name, role) in staff {
            store.create_user(c.id, &user(name, *role), o.id).unwrap();
        }
        // The lot the treated clients' sessions name (a session's lot must be one of the clinic's lots), of
        // the example catalogue's first pigment.
        let catalogue = follicle_clinic::Catalogue::parse(
            include_str!("../../../../examples/pigments.toml"),
            follicle_clinic::Format::Toml,
        )
        .unwrap();
        let pigment = &catalogue.pigments[0];
        store
            .add_pigment(
                c.id,
                &pigment.id,
                &serde_json::to_string(pigment).unwrap(),
                o.id,
            )
            .unwrap();
        store
            .add_lot(
                c.id,
                &NewLot {
                    pigment: pigment.id.clone(),
                    number: "NC1-2409".into(),
                    expiry: "2030-01-01".into(),
                    received: None,
                },
                o.id,
            )
            .unwrap();
        Studio {
            store,
            photos,
            clinic: c.id,
            owner: o.id,
        }
    }

    /// A client with one treatment session held on `held_on` (lot NC1-2409, by `prac`).
    pub fn treated_client(&self, fields: ClientFields, held_on: &str) -> ClientId {
        let s = &*self.store;
        let client = s.create_client(self.clinic, &fields, self.owner).unwrap();
        s.add_session(
            self.clinic,
            client.id,
            &NewSession {
                index: 1,
                held_on: held_on.into(),
                record_json: r#"{"index":1,"lot":"NC1-2409","practitioner":"prac"}"#.into(),
            },
            self.owner,
        )
        .unwrap();
        client.id
    }

    /// A 1×1 PNG photo of the client whose (fake) bytes are `bytes`; returns their SHA-256.
    pub fn photo(&self, client: ClientId, bytes: &[u8]) -> String {
        let sha = self.photos.put(bytes).unwrap();
        self.store
            .add_photo(
                self.clinic,
                client,
                &NewPhoto {
                    sha256: sha.clone(),
                    content_type: "image/png".into(),
                    bytes: 16,
                    width: 1,
                    height: 1,
                    caption: None,
                    view: "front".into(),
                },
                self.owner,
            )
            .unwrap();
        sha
    }
}

/// Identity and contact details with only a reference and a name.
pub fn fields(reference: &str, name: &str) -> ClientFields {
    ClientFields {
        reference: reference.into(),
        name: name.into(),
        date_of_birth: None,
        email: None,
        phone: None,
    }
}
