//! Table-driven screening tests: realistic intakes against the shipped rule set (v1), covering every
//! outcome class, each rule, and the edge dates (a wait that ends exactly today, age 18 today).

use follicle_clinic::{screen, Date, Intake, Outcome, RuleSet};

/// The day every case is screened for.
const ON: &str = "2025-03-10";

/// One case: what the intake adds to a healthy adult (text placed inside the `[skin]` table, so it may
/// set `sensitivity` or open further tables), and what screening must say.
struct Case {
    name: &'static str,
    dob: &'static str,
    extra: &'static str,
    outcome: Outcome,
    rules: &'static [&'static str],
    until: Option<&'static str>,
}

const fn case(
    name: &'static str,
    extra: &'static str,
    outcome: Outcome,
    rules: &'static [&'static str],
    until: Option<&'static str>,
) -> Case {
    Case {
        name,
        dob: "1985-05-20",
        extra,
        outcome,
        rules,
        until,
    }
}

fn intake(dob: &str, extra: &str) -> Intake {
    let text = format!(
        r#"format = "follicle-intake"
version = 1
[client]
id = "t-001"
name = "Test Client"
date_of_birth = {dob}
[consultation]
date = 2025-03-03
practitioner = "Ana Ruiz"
[skin]
fitzpatrick = "III"
undertone = "neutral"
{extra}
"#
    );
    Intake::from_toml(&text).unwrap_or_else(|e| panic!("intake does not parse: {e}\n{text}"))
}

use Outcome::*;

const CASES: &[Case] = &[
    case("healthy adult, Norwood V", "[hair_loss]\nscale = \"norwood\"\nstage = \"V\"", Go, &[], None),
    Case { name: "turns 18 today", dob: "2007-03-10", extra: "", outcome: Go, rules: &[], until: None },
    Case { name: "turns 18 tomorrow", dob: "2007-03-11", extra: "", outcome: NotSuitable, rules: &["age-under-18"], until: None },
    case("keloid on the chest after surgery", "[[conditions]]\nname = \"keloid\"\nnotes = \"sternotomy scar\"", NotSuitable, &["keloid-tendency"], None),
    case("hypertrophic scarring", "[[conditions]]\nname = \"hypertrophic-scarring\"", NotSuitable, &["hypertrophic-scarring"], None),
    case("tinea capitis on the crown", "[[conditions]]\nname = \"active-infection\"\nin_area = true\nnotes = \"tinea capitis\"", NotSuitable, &["infection-in-area"], None),
    case("infected toe", "[[conditions]]\nname = \"active-infection\"\nin_area = false", PhysicianClearance, &["infection-elsewhere"], None),
    case("scalp psoriasis flaring", "[[conditions]]\nname = \"psoriasis\"\nin_area = true\nactivity = \"active\"", NotSuitable, &["psoriasis-flare-in-area"], None),
    case("scalp psoriasis controlled", "[[conditions]]\nname = \"psoriasis\"\nin_area = true\nactivity = \"stable\"", PhysicianClearance, &["psoriasis-controlled-in-area"], None),
    case("psoriasis on the elbows only", "[[conditions]]\nname = \"psoriasis\"\nin_area = false\nactivity = \"active\"", Go, &[], None),
    case("scalp eczema flaring", "[[conditions]]\nname = \"eczema\"\nin_area = true\nactivity = \"active\"", NotSuitable, &["eczema-flare-in-area"], None),
    case("scalp eczema in remission", "[[conditions]]\nname = \"eczema\"\nin_area = true\nactivity = \"in-remission\"", GoWithPrecautions, &["dermatitis-controlled-in-area"], None),
    case("seborrheic dermatitis flaring", "[[conditions]]\nname = \"seborrheic-dermatitis\"\nin_area = true\nactivity = \"active\"", NotSuitable, &["seborrheic-dermatitis-flare-in-area"], None),
    case("seborrheic dermatitis controlled", "[[conditions]]\nname = \"seborrheic-dermatitis\"\nin_area = true\nactivity = \"stable\"", GoWithPrecautions, &["seborrheic-dermatitis-controlled-in-area"], None),
    case("type 1 diabetes", "[[conditions]]\nname = \"diabetes\"\ncontrolled = true", PhysicianClearance, &["diabetes"], None),
    case("pacemaker", "[[conditions]]\nname = \"heart-condition\"\nnotes = \"pacemaker since 2019\"", PhysicianClearance, &["heart-condition"], None),
    case("von Willebrand disease", "[[conditions]]\nname = \"bleeding-disorder\"", PhysicianClearance, &["bleeding-disorder"], None),
    case("kidney transplant on tacrolimus", "[[conditions]]\nname = \"immune-suppression\"", PhysicianClearance, &["immune-suppression"], None),
    case("on warfarin", "[[treatments]]\nname = \"anticoagulant\"\nongoing = true", PhysicianClearance, &["anticoagulant"], None),
    case("warfarin stopped last year", "[[treatments]]\nname = \"anticoagulant\"\nlast = 2024-01-15", Go, &[], None),
    case("daily aspirin", "[[treatments]]\nname = \"antiplatelet\"\nongoing = true", PhysicianClearance, &["antiplatelet"], None),
    case("prednisolone course", "[[treatments]]\nname = \"systemic-steroid\"\nongoing = true", PhysicianClearance, &["systemic-steroid"], None),
    case("isotretinoin stopped 3 months ago", "[[treatments]]\nname = \"isotretinoin\"\nlast = 2024-12-01", DeferUntil, &["isotretinoin-6-months"], Some("2025-06-01")),
    case("isotretinoin stopped exactly 6 months ago", "[[treatments]]\nname = \"isotretinoin\"\nlast = 2024-09-10", Go, &[], None),
    case("isotretinoin still taken", "[[treatments]]\nname = \"isotretinoin\"\nongoing = true", DeferUntil, &["isotretinoin-6-months"], None),
    case("chemotherapy ended exactly at the wait limit", "[[treatments]]\nname = \"chemotherapy\"\nlast = 2024-09-10", Go, &[], None),
    case("chemotherapy one day short of the wait", "[[treatments]]\nname = \"chemotherapy\"\nlast = 2024-09-11", DeferUntil, &["chemotherapy-6-months"], Some("2025-03-11")),
    case("chemotherapy without a recorded date", "[[treatments]]\nname = \"chemotherapy\"", DeferUntil, &["chemotherapy-6-months"], None),
    case("radiotherapy to the head, recent", "[[treatments]]\nname = \"radiotherapy\"\nin_area = true\nlast = 2024-12-01", DeferUntil, &["radiotherapy-head", "radiotherapy-6-months"], Some("2025-06-01")),
    case("radiotherapy to the head, 2 years ago", "[[treatments]]\nname = \"radiotherapy\"\nin_area = true\nlast = 2023-01-20", PhysicianClearance, &["radiotherapy-head"], None),
    case("laser removal of old SMP in January", "[[treatments]]\nname = \"laser-tattoo-removal\"\nin_area = true\nlast = 2025-01-01", DeferUntil, &["laser-removal-90-days"], Some("2025-04-01")),
    case("laser removal exactly 90 days ago", "[[treatments]]\nname = \"laser-tattoo-removal\"\nin_area = true\nlast = 2024-12-10", Go, &[], None),
    case("laser removal on the forearm", "[[treatments]]\nname = \"laser-tattoo-removal\"\nin_area = false\nlast = 2025-02-20", Go, &[], None),
    case("clobetasol scalp lotion last week", "[[treatments]]\nname = \"topical-steroid\"\nin_area = true\nlast = 2025-03-01", DeferUntil, &["topical-steroid-scalp"], Some("2025-03-15")),
    case("pregnant, due in June", "[pregnancy]\npregnant = true\ndue_date = 2025-06-15", DeferUntil, &["pregnancy"], Some("2025-09-15")),
    case("breastfeeding until August", "[pregnancy]\nbreastfeeding = true\nbreastfeeding_until = 2025-08-01", DeferUntil, &["breastfeeding"], Some("2025-08-01")),
    case("breastfeeding, end unknown", "[pregnancy]\nbreastfeeding = true", DeferUntil, &["breastfeeding"], None),
    case("sunburn last week", "[sunburn]\ndate = 2025-03-01", DeferUntil, &["sunburn-healed"], Some("2025-03-15")),
    case("sunburn five weeks ago, healed", "[sunburn]\ndate = 2025-02-01\nhealed = true", Go, &[], None),
    case("sunburn five weeks ago, still peeling", "[sunburn]\ndate = 2025-02-01\nhealed = false", DeferUntil, &["sunburn-healed"], None),
    case("reaction to a red tattoo", "[[allergies]]\nkind = \"tattoo-ink\"\nreaction = \"raised itchy red lines, 2019\"", GoWithPrecautions, &["ink-reaction-patch-test"], None),
    case("nickel allergy", "[[allergies]]\nkind = \"nickel\"", GoWithPrecautions, &["nickel-allergy"], None),
    case("latex and lidocaine", "[[allergies]]\nkind = \"latex\"\n\n[[allergies]]\nkind = \"topical-anaesthetic\"\nsubstance = \"lidocaine\"", GoWithPrecautions, &["latex-allergy", "anaesthetic-allergy"], None),
    case("chromium allergy from leather", "[[allergies]]\nkind = \"chromium\"", GoWithPrecautions, &["chromium-allergy"], None),
    case("chlorhexidine allergy", "[[allergies]]\nkind = \"antiseptic\"\nsubstance = \"chlorhexidine\"", GoWithPrecautions, &["antiseptic-allergy"], None),
    case("isopropyl alcohol allergy", "[[allergies]]\nkind = \"other\"\nsubstance = \"isopropyl alcohol\"", GoWithPrecautions, &["other-allergy"], None),
    case("highly reactive skin", "sensitivity = \"high\"", GoWithPrecautions, &["sensitive-skin"], None),
    case("alopecia areata spreading", "[[conditions]]\nname = \"alopecia-areata\"\nactivity = \"active\"", GoWithPrecautions, &["alopecia-areata-active"], None),
    case("alopecia areata stable for years", "[[conditions]]\nname = \"alopecia-areata\"\nactivity = \"in-remission\"", Go, &[], None),
    case("keloid and recent isotretinoin", "[[conditions]]\nname = \"keloid\"\n\n[[treatments]]\nname = \"isotretinoin\"\nlast = 2025-01-10", NotSuitable, &["keloid-tendency", "isotretinoin-6-months"], None),
    case("chemotherapy and pregnancy: the later date wins", "[[treatments]]\nname = \"chemotherapy\"\nlast = 2024-12-20\n\n[pregnancy]\npregnant = true\ndue_date = 2025-05-01", DeferUntil, &["chemotherapy-6-months", "pregnancy"], Some("2025-08-01")),
    case("warfarin by name, with its dose", "[[treatments]]\nname = \"warfarin 5 mg\"\nongoing = true", PhysicianClearance, &["anticoagulant"], None),
    case("Eliquis by brand", "[[treatments]]\nname = \"Eliquis\"\ndose = \"5 mg twice daily\"\nongoing = true", PhysicianClearance, &["anticoagulant"], None),
    case("clopidogrel", "[[treatments]]\nname = \"clopidogrel\"\nongoing = true", PhysicianClearance, &["antiplatelet"], None),
    case("Roaccutane stopped in December", "[[treatments]]\nname = \"Roaccutane 20 mg\"\nlast = 2024-12-01", DeferUntil, &["isotretinoin-6-months"], Some("2025-06-01")),
    case("finasteride and minoxidil: recorded, no gate", "[[treatments]]\nname = \"finasteride 1 mg\"\nongoing = true\n\n[[treatments]]\nname = \"Regaine\"\nongoing = true", Go, &[], None),
    case("FUE transplant in November", "[hair_transplant]\ndate = 2024-11-20\nmethod = \"fue\"", DeferUntil, &["hair-transplant-healing"], Some("2025-05-20")),
    case("FUT transplant two years ago", "[hair_transplant]\ndate = 2023-02-01\nmethod = \"fut\"", Go, &[], None),
    case("hepatitis C", "[[conditions]]\nname = \"blood-borne-infection\"\nnotes = \"hepatitis C, treated 2022\"", PhysicianClearance, &["blood-borne-infection"], None),
    case("epilepsy with a seizure last month", "[[conditions]]\nname = \"epilepsy\"\nactivity = \"active\"", PhysicianClearance, &["epilepsy-uncontrolled"], None),
    case("epilepsy controlled for years", "[[conditions]]\nname = \"epilepsy\"\nactivity = \"in-remission\"", GoWithPrecautions, &["epilepsy-controlled"], None),
    case("faints at needles", "[[conditions]]\nname = \"fainting\"", GoWithPrecautions, &["fainting"], None),
    case("diabetes and nickel: clearance outranks precautions", "[[conditions]]\nname = \"diabetes\"\n\n[[allergies]]\nkind = \"nickel\"", PhysicianClearance, &["diabetes", "nickel-allergy"], None),
];

#[test]
fn every_case_screens_as_expected() {
    let rules = RuleSet::embedded();
    let on: Date = ON.parse().unwrap();
    let mut failures = Vec::new();
    for c in CASES {
        let i = intake(c.dob, c.extra);
        let s = screen(&i, &rules, on);
        let fired: Vec<&str> = s.findings.iter().map(|f| f.rule.as_str()).collect();
        let until = c.until.map(|u| u.parse::<Date>().unwrap());
        if s.outcome != c.outcome || fired != c.rules || s.until != until {
            failures.push(format!(
                "{}: got {} {:?} until {:?}; want {} {:?} until {:?}",
                c.name, s.outcome, fired, s.until, c.outcome, c.rules, until
            ));
        }
        assert!(s
            .findings
            .iter()
            .all(|f| !f.source.is_empty() && !f.reason.is_empty()));
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn the_table_covers_every_outcome_class_and_every_rule() {
    assert!(CASES.len() >= 25);
    for o in [
        Go,
        GoWithPrecautions,
        PhysicianClearance,
        DeferUntil,
        NotSuitable,
    ] {
        assert!(CASES.iter().any(|c| c.outcome == o), "no case for {o}");
    }
    for rule in RuleSet::embedded().rules {
        let covered = CASES.iter().any(|c| c.rules.contains(&rule.id.as_str()));
        assert!(covered, "rule `{}` is not exercised by any case", rule.id);
    }
}

#[test]
fn every_finding_prints_its_dates() {
    let rules = RuleSet::embedded();
    let on: Date = ON.parse().unwrap();
    let cases = [
        (
            "[[treatments]]\nname = \"radiotherapy\"\nin_area = true\nlast = 2024-12-01",
            &[
                "radiotherapy in the treatment area, last 2024-12-01",
                "until 2025-06-01",
            ][..],
        ),
        (
            "[[treatments]]\nname = \"radiotherapy\"\nin_area = true\nlast = 2023-01-20",
            &["radiotherapy in the treatment area, last 2023-01-20"][..],
        ),
        (
            "[hair_transplant]\ndate = 2024-11-20\nmethod = \"fue\"",
            &["FUE hair transplant on 2024-11-20", "until 2025-05-20"][..],
        ),
        (
            "[[allergies]]\nkind = \"tattoo-ink\"\ndate = 2019-07-01",
            &["last reaction 2019-07-01"][..],
        ),
        (
            "[[treatments]]\nname = \"Eliquis 5 mg\"\nongoing = true",
            &["anticoagulant (apixaban, as Eliquis 5 mg) ongoing"][..],
        ),
    ];
    for (extra, wants) in cases {
        let s = screen(&intake("1985-05-20", extra), &rules, on);
        let details: Vec<&str> = s.findings.iter().map(|f| f.detail.as_str()).collect();
        for want in wants {
            assert!(
                details.iter().any(|d| d.contains(want)),
                "{extra}: no `{want}` in {details:?}"
            );
        }
    }
}

#[test]
fn numerals_and_drug_names_in_the_intake() {
    let i = intake(
        "1985-05-20",
        "[hair_loss]\nscale = \"norwood\"\nstage = \"6\"",
    )
    .clone();
    assert_eq!(i.hair_loss.unwrap().stage, "VI");
    let text = |fitz: &str| {
        format!(
        "format = \"follicle-intake\"\nversion = 1\n[client]\nid = \"t\"\nname = \"T\"\ndate_of_birth = 1985-05-20\n[consultation]\ndate = 2025-03-03\npractitioner = \"A\"\n[skin]\nfitzpatrick = \"{fitz}\"\nundertone = \"neutral\"\n"
    )
    };
    assert_eq!(
        Intake::from_toml(&text("3"))
            .unwrap()
            .skin
            .fitzpatrick
            .as_str(),
        "III"
    );
    assert_eq!(
        Intake::from_toml(&text("ii"))
            .unwrap()
            .skin
            .fitzpatrick
            .as_str(),
        "II"
    );
    let e = Intake::from_toml(&text("7")).unwrap_err();
    assert!(e.message.contains("did you mean `VI`"), "{}", e.message);
    let e = Intake::from_toml(&format!(
        "{}[[treatments]]\nname = \"warfrin\"\n",
        text("3")
    ))
    .unwrap_err();
    assert_eq!(e.path, "treatments[0].name");
    assert!(
        e.message.contains("did you mean `warfarin`"),
        "{}",
        e.message
    );
    let e = Intake::from_toml(&format!(
        "{}[hair_loss]\nscale = \"ludwig\"\nstage = \"4\"\n",
        text("3")
    ))
    .unwrap_err();
    assert!(e.message.contains("did you mean `III`"), "{}", e.message);
}

#[test]
fn open_ended_deferral_is_flagged() {
    let s = screen(
        &intake("1985-05-20", "[pregnancy]\nbreastfeeding = true"),
        &RuleSet::embedded(),
        ON.parse().unwrap(),
    );
    assert!(s.open_ended);
    assert_eq!(s.headline(), "Deferred (date not yet known)");
}

#[test]
fn example_intakes_screen_as_documented() {
    let rules = RuleSet::embedded();
    let cases = [
        (
            include_str!("../../../examples/intake-norwood6-go.toml"),
            follicle_clinic::Format::Toml,
            Go,
        ),
        (
            include_str!("../../../examples/intake-isotretinoin-nickel.toml"),
            follicle_clinic::Format::Toml,
            DeferUntil,
        ),
        (
            include_str!("../../../examples/intake-scar-anticoagulant.toml"),
            follicle_clinic::Format::Toml,
            PhysicianClearance,
        ),
        (
            include_str!("../../../examples/intake-chemo-alopecia.json"),
            follicle_clinic::Format::Json,
            DeferUntil,
        ),
    ];
    for (text, format, want) in cases {
        let i = Intake::parse(text, format).unwrap();
        let s = screen(&i, &rules, ON.parse().unwrap());
        assert_eq!(s.outcome, want, "{}", i.client.name);
    }
}

#[test]
fn every_rule_is_documented() {
    let doc = include_str!("../../../docs/screening.md");
    for rule in RuleSet::embedded().rules {
        assert!(
            doc.contains(&format!("`{}`", rule.id)),
            "rule `{}` is missing from docs/screening.md",
            rule.id
        );
    }
}
