//! ATOP provisions → DTR provisions: which kind each of a member's five
//! primary obligations becomes, under which condition, and what the
//! language cannot say yet (an [`Approx`], counted in docs/import.md).

use super::atop::{Flags, Member};

/// ATOP's five primary obligations, in the order the catalogue writes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Provision {
    Defense,
    Offense,
    Neutrality,
    Nonaggression,
    Consultation,
}

impl Provision {
    pub const ALL: [Provision; 5] = [
        Provision::Defense,
        Provision::Offense,
        Provision::Neutrality,
        Provision::Nonaggression,
        Provision::Consultation,
    ];

    /// The obligation's name in the catalogue: ATOP's column, except
    /// `neutral`, which is a DTR keyword.
    pub fn name(self) -> &'static str {
        match self {
            Provision::Defense => "defense",
            Provision::Offense => "offense",
            Provision::Neutrality => "neutrality",
            Provision::Nonaggression => "nonagg",
            Provision::Consultation => "consul",
        }
    }

    pub fn obligation_kind(self) -> &'static str {
        match self {
            Provision::Defense => "defend",
            Provision::Offense => "join",
            Provision::Neutrality => "neutral",
            Provision::Nonaggression => "nonaggression",
            Provision::Consultation => "consult",
        }
    }

    /// The commitment kind for one member's own promise; `join` has none
    /// (an offensive promise becomes `attacks` plans, see `catalog`).
    pub fn commitment_kind(self) -> Option<&'static str> {
        match self {
            Provision::Defense => Some("defends"),
            Provision::Offense => None,
            Provision::Neutrality => Some("neutral"),
            Provision::Nonaggression => Some("nonaggression"),
            Provision::Consultation => Some("consults"),
        }
    }

    fn held(self, f: &Flags) -> bool {
        match self {
            Provision::Defense => f.defense,
            Provision::Offense => f.offense,
            Provision::Neutrality => f.neutral,
            Provision::Nonaggression => f.nonagg,
            Provision::Consultation => f.consul,
        }
    }
}

/// When a provision applies, in terms of the triggering event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// The kind's default condition (or, for a promise, always).
    Default,
    /// An attack on the protected member, perhaps unprovoked, perhaps only
    /// by the named states.
    Attack { unprovoked: bool, by: Vec<u32> },
    /// A war between the protected member and one of the named states.
    War { with: Vec<u32> },
}

/// A condition ATOP codes that the catalogue does not express exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Approx {
    AdversaryType,
    Location,
    OngoingConflict,
    NumberOfAttackers,
    Demands,
    OnRequest,
    OtherCondition,
    VariesByPartner,
    WarAsAttack,
    OffenseUnnamed,
    OffenseLimited,
    EntryDayUnknown,
    ExitDayUnknown,
}

impl Approx {
    pub const ALL: [Approx; 13] = [
        Approx::AdversaryType,
        Approx::Location,
        Approx::OngoingConflict,
        Approx::NumberOfAttackers,
        Approx::Demands,
        Approx::OnRequest,
        Approx::OtherCondition,
        Approx::VariesByPartner,
        Approx::WarAsAttack,
        Approx::OffenseUnnamed,
        Approx::OffenseLimited,
        Approx::EntryDayUnknown,
        Approx::ExitDayUnknown,
    ];

    /// The name used in comments, in the summary and in docs/import.md.
    pub fn key(self) -> &'static str {
        match self {
            Approx::AdversaryType => "adversary_type",
            Approx::Location => "location",
            Approx::OngoingConflict => "ongoing_conflict",
            Approx::NumberOfAttackers => "number_of_attackers",
            Approx::Demands => "demands",
            Approx::OnRequest => "on_request",
            Approx::OtherCondition => "other_condition",
            Approx::VariesByPartner => "varies_by_partner",
            Approx::WarAsAttack => "war_as_attack",
            Approx::OffenseUnnamed => "offense_unnamed",
            Approx::OffenseLimited => "offense_limited",
            Approx::EntryDayUnknown => "entry_day_unknown",
            Approx::ExitDayUnknown => "exit_day_unknown",
        }
    }

    /// What ATOP codes and what the catalogue does instead.
    pub fn describe(self) -> &'static str {
        match self {
            Approx::AdversaryType => {
                "limited to a kind of adversary, no state named in statthr1/2: applies to any attacker"
            }
            Approx::Location => "limited to a location: applies everywhere (ATOP has no region data)",
            Approx::OngoingConflict => "limited to an ongoing conflict: applies to any conflict",
            Approx::NumberOfAttackers => "limited by the number of adversaries: applies to any number",
            Approx::Demands => "conditional on demands being met: applies unconditionally",
            Approx::OnRequest => "consultation on request only: consults on every threat",
            Approx::OtherCondition => "another condition that ATOP does not code: ignored",
            Approx::VariesByPartner => "owed differently to different partners: owed to all",
            Approx::WarAsAttack => "a war between a partner and the named states: read as their attack on the partner",
            Approx::OffenseUnnamed => "offensive promise of some members only, no adversary named: not written",
            Approx::OffenseLimited => {
                "offensive promise limited to a place, a number of adversaries or demands, no adversary named: \
                 not written, since as a `join` it would answer every war a member opens"
            }
            Approx::EntryDayUnknown => "day of entry unknown: the first of the month",
            Approx::ExitDayUnknown => "day of exit unknown: the last of the month",
        }
    }

    /// The ATOP column behind it, for the provision it concerns.
    pub fn column(self, p: Option<Provision>) -> String {
        let prefix = match p {
            Some(Provision::Defense) => "def",
            Some(Provision::Offense) => "off",
            Some(Provision::Neutrality) => "neu",
            Some(Provision::Consultation) => "con",
            Some(Provision::Nonaggression) | None => "",
        };
        let suffix = match self {
            Approx::AdversaryType => "coadv",
            Approx::Location => "coloc",
            Approx::OngoingConflict => "cocon",
            Approx::NumberOfAttackers => "conum",
            Approx::Demands => "codem",
            Approx::OnRequest => return "concoreq".into(),
            Approx::OtherCondition => return "olimob".into(),
            Approx::VariesByPartner => return "obvary".into(),
            Approx::WarAsAttack => return format!("{prefix}coadv"),
            Approx::OffenseUnnamed => return "offense".into(),
            Approx::OffenseLimited => return "offcoloc offconum offcodem".into(),
            Approx::EntryDayUnknown => return "dayent".into(),
            Approx::ExitDayUnknown => return "dayexit".into(),
        };
        format!("{prefix}{suffix}")
    }
}

/// One member's promise of one kind, as the catalogue writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Terms {
    pub trigger: Trigger,
    /// Sorted, without repeats.
    pub approximations: Vec<Approx>,
}

/// The member's promise of kind `p`, if its row has one.
pub fn terms(member: &Member, p: Provision) -> Option<Terms> {
    let f = &member.flags;
    if !p.held(f) {
        return None;
    }
    let mut approx = Vec::new();
    let named = |adversary: bool, approx: &mut Vec<Approx>| -> Vec<u32> {
        if !adversary {
            return Vec::new();
        }
        if member.threats.is_empty() {
            approx.push(Approx::AdversaryType);
        }
        member.threats.clone()
    };
    let mut drop_if = |cond: bool, a: Approx| {
        if cond {
            approx.push(a);
        }
    };
    let trigger = match p {
        Provision::Defense => {
            drop_if(f.defcoloc, Approx::Location);
            drop_if(f.defcocon, Approx::OngoingConflict);
            drop_if(f.defconum, Approx::NumberOfAttackers);
            drop_if(f.defcodem, Approx::Demands);
            let by = named(f.defcoadv, &mut approx);
            if by.is_empty() && !f.defconpr { Trigger::Default } else { Trigger::Attack { unprovoked: f.defconpr, by } }
        }
        Provision::Offense => {
            drop_if(f.offcoloc, Approx::Location);
            drop_if(f.offcocon, Approx::OngoingConflict);
            drop_if(f.offconum, Approx::NumberOfAttackers);
            drop_if(f.offcodem, Approx::Demands);
            let with = named(f.offcoadv, &mut approx);
            if with.is_empty() { Trigger::Default } else { Trigger::War { with } }
        }
        Provision::Neutrality => {
            drop_if(f.neucoloc, Approx::Location);
            drop_if(f.neucocon, Approx::OngoingConflict);
            drop_if(f.neuconum, Approx::NumberOfAttackers);
            drop_if(f.neucodem, Approx::Demands);
            let by = named(f.neucoadv, &mut approx);
            if f.neucoatt || f.neuconpr {
                Trigger::Attack { unprovoked: f.neuconpr, by }
            } else if by.is_empty() {
                Trigger::Default
            } else {
                Trigger::War { with: by }
            }
        }
        Provision::Nonaggression => Trigger::Default,
        Provision::Consultation => {
            drop_if(f.concoloc, Approx::Location);
            drop_if(f.concocon, Approx::OngoingConflict);
            drop_if(f.concoreq, Approx::OnRequest);
            let with = named(f.concoadv, &mut approx);
            if with.is_empty() { Trigger::Default } else { Trigger::War { with } }
        }
    };
    approx.sort();
    approx.dedup();
    Some(Terms { trigger, approximations: approx })
}

/// Approximations of the whole row rather than of one provision.
pub fn row_approximations(member: &Member) -> Vec<Approx> {
    let mut out = Vec::new();
    if member.flags.olimob {
        out.push(Approx::OtherCondition);
    }
    if member.flags.obvary {
        out.push(Approx::VariesByPartner);
    }
    if member.entry_day_unknown {
        out.push(Approx::EntryDayUnknown);
    }
    if member.exit_day_unknown {
        out.push(Approx::ExitDayUnknown);
    }
    out
}
