//! The client the mannequin shows: the one rule for the face and the stubble colour of every picture the
//! server draws of a plan on the mannequin (the studio's `preview.png` and the client report's picture).
//! The face is the plan's own head sex (plan.json's `head.sex`; for a plan stored before plans kept it, its
//! case's `[head] sex`), else the latest consultation's (a Ludwig classification is a woman's), else the
//! median man's; the stubble and brows take the hair colour the latest consultation records.

use follicle_core::Sex;
use follicle_render::color::Lin;
use follicle_render::mannequin::Face;
use serde_json::Value;

/// The head's sex a consultation's intake records (`client.sex`), else the one its hair-loss classification
/// implies: a Ludwig classification is a woman's, a Norwood one a man's (follicle-case's `pattern_for_stage`);
/// `None` with neither.
pub fn consultation_sex(intake: &Value) -> Option<Sex> {
    if let Some(stated) = intake["client"]["sex"]
        .as_str()
        .and_then(|s| s.parse::<follicle_clinic::vocab::Sex>().ok())
    {
        return Some(stated.head());
    }
    let hl = &intake["hair_loss"];
    let pattern = follicle_case::pattern_for_stage(
        hl["scale"].as_str().unwrap_or(""),
        hl["stage"].as_str().unwrap_or(""),
    )?;
    Some(match pattern {
        follicle_core::Pattern::Ludwig(_) => Sex::Female,
        _ => Sex::Male,
    })
}

/// What the records say of the client's looks, besides the plan itself.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ClientLook {
    /// The sex the plan's case states, else the one the latest consultation implies.
    pub sex: Option<Sex>,
    /// The latest consultation's hair colour (`shade::parse_hair`), when recorded and understood.
    pub hair: Option<Lin>,
}

impl ClientLook {
    /// From the plan's case file (`None` for a touch-up plan, which has none) and the latest consultation's
    /// intake (`None` without a consultation, or for an account that may not read it).
    pub fn of(case_toml: Option<&str>, intake: Option<&Value>) -> ClientLook {
        let stated = case_toml
            .and_then(|t| follicle_case::parse("case.toml", t, &Default::default()).ok())
            .and_then(|c| c.design.sex);
        ClientLook {
            sex: stated.or_else(|| intake.and_then(consultation_sex)),
            hair: intake
                .and_then(|i| i["hair"]["colour"].as_str())
                .and_then(follicle_render::shade::parse_hair),
        }
    }

    /// The face `plan` is drawn with: its own head sex first, else this look's, else the man's.
    pub fn face(&self, plan: &follicle_core::Plan) -> Face {
        plan.design
            .sex
            .or(self.sex)
            .map(Face::of)
            .unwrap_or_default()
    }

    /// Dresses `scene`'s mannequin for `plan`: [`ClientLook::face`] and the consultation's hair colour (the
    /// default dark brown when none is recorded).
    pub fn dress(&self, scene: &mut follicle_render::Scene, plan: &follicle_core::Plan) {
        scene.appearance.face = self.face(plan);
        if let Some(h) = self.hair {
            scene.appearance.hair = h;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_plan_says_first_then_the_case_then_the_consultation() {
        let ludwig =
            json!({"hair_loss": {"scale": "ludwig", "stage": "II"}, "hair": {"colour": "blond"}});
        let norwood = json!({"hair_loss": {"scale": "norwood", "stage": "VI"}});
        assert_eq!(consultation_sex(&ludwig), Some(Sex::Female));
        assert_eq!(consultation_sex(&norwood), Some(Sex::Male));
        assert_eq!(consultation_sex(&json!({})), None);
        // The sex the consultation records first (outside test s55: a woman with a Norwood stage, or none,
        // started on a man's head).
        let woman =
            json!({"client": {"sex": "female"}, "hair_loss": {"scale": "norwood", "stage": "III"}});
        assert_eq!(consultation_sex(&woman), Some(Sex::Female));
        assert_eq!(
            consultation_sex(&json!({"client": {"sex": "male"}})),
            Some(Sex::Male)
        );

        let look = ClientLook::of(None, Some(&ludwig));
        assert_eq!(look.sex, Some(Sex::Female));
        assert_eq!(look.hair, follicle_render::shade::parse_hair("blond"));
        let man_case = "[head]\nsex = \"male\"\n";
        assert_eq!(
            ClientLook::of(Some(man_case), Some(&ludwig)).sex,
            Some(Sex::Male)
        );
        assert_eq!(
            ClientLook::of(Some(""), Some(&ludwig)).sex,
            Some(Sex::Female)
        );
        assert_eq!(ClientLook::of(None, None), ClientLook::default());

        let mut d = follicle_core::pattern_design(
            follicle_core::Pattern::Norwood(2),
            follicle_core::HeadMeasurements::median(Sex::Male),
            1,
            3,
        );
        let plan = follicle_core::plan(&d).unwrap();
        assert_eq!(look.face(&plan), Face::Female);
        assert_eq!(ClientLook::default().face(&plan), Face::Male);
        d.sex = Some(Sex::Male);
        let plan = follicle_core::plan(&d).unwrap();
        assert_eq!(look.face(&plan), Face::Male, "the plan's own sex first");
    }
}
