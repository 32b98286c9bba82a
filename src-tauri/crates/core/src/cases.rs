//! Reading cases: one case whole, the case list, and an applicant known from earlier cases.

use sqlx::SqliteConnection;

use crate::desk::Desk;
use crate::dict::{ApplicantType, DeliveryMethod, PaperType, TimeUnit, time_limit_text};
use crate::error::{CoreError, Result};
use crate::model::*;
use crate::store::{self, parse_code};

/// How many cases a list returns at most.
const LIST_LIMIT: i64 = 500;

impl Desk {
    /// One case, with its materials, documents and history.
    pub async fn get_case(&self, project_no: &str) -> Result<CaseRecord> {
        self.refresh_calendar().await?;
        let mut conn = self.store.pool().acquire().await?;
        self.read_case(&mut conn, project_no).await
    }

    pub(crate) async fn read_case(
        &self,
        pool: &mut SqliteConnection,
        project_no: &str,
    ) -> Result<CaseRecord> {
        let project_no = project_no.trim();
        let row = store::cases::by_project_no(&mut *pool, project_no)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("办件 {project_no}")))?;
        let case_id = row.id;
        let mut materials = store::materials::for_case(&mut *pool, case_id).await?;
        let documents = store::documents::for_case(&mut *pool, case_id).await?;
        let history = store::events::for_case(&mut *pool, case_id).await?;
        let supplements = store::supplements::for_case(&mut *pool, case_id).await?;
        let clock = store::clock::for_case(&mut *pool, case_id).await?;

        let promise = row.promise;
        let promise_type = parse_code("promise_type", &row.promise_type, TimeUnit::from_code)?;
        let acceptdate = row.acceptdate.clone();
        let cal = self.calendar();
        let promised = crate::desk_calendar::promised_date(
            &cal,
            &acceptdate,
            promise as u32,
            promise_type,
            &clock,
            self.now().date_naive(),
        );
        let promised_date = promised.map(|d| d.format("%Y-%m-%d").to_string());
        let promised_date_estimate = promised_date
            .as_deref()
            .and_then(|d| crate::desk_calendar::warning_between(&cal, &acceptdate, d));
        let supplements = supplements
            .into_iter()
            .map(|mut s: SupplementRecord| {
                s.due_estimate =
                    crate::desk_calendar::warning_between(&cal, &s.requested_at, &s.due_date);
                s
            })
            .collect::<Vec<_>>();
        let sync = crate::outbox::case_sync(&mut *pool, case_id).await?;
        let result = crate::inbox::read_result(&mut *pool, case_id).await?;
        let hub_documents = crate::inbox::read_hub_documents(&mut *pool, case_id).await?;
        let material_pages = store::materials::pages(&mut *pool, project_no).await?;
        let sharing = crate::sharing::read_sharing(&mut *pool, case_id).await?;
        let uploads = store::materials::uploads(&mut *pool, case_id).await?;
        for m in &mut materials {
            m.attachguid = uploads
                .iter()
                .find(|(no, _)| *no == m.no)
                .map(|(_, g)| g.clone());
        }
        let supervision_orders = crate::orders::case_orders(&mut *pool, case_id).await?;
        let satisfaction = match &row.satisfaction {
            Some(c) => Some(
                crate::dict::Satisfaction::from_code(c)
                    .ok_or_else(|| CoreError::Data(format!("满意度“{c}”无法识别")))?,
            ),
            None => None,
        };
        let applicant = self.open_applicant(row.applicant, 1)?;
        Ok(CaseRecord {
            applicant_type: applicant.applicant_type,
            applicant_name: applicant.applicant_name,
            applicant_paper_type: applicant.applicant_paper_type,
            applicant_paper_code: applicant.applicant_paper_code,
            applicant_mobile: applicant.applicant_mobile,
            applicant_address: applicant.applicant_address,
            party: applicant.party,
            apply_date: applicant.last_seen,
            situations: serde_json::from_str(&row.situations).unwrap_or_default(),
            state: parse_code("state", &row.state, CaseState::parse)?,
            promise: promise as u32,
            promise_type,
            promise_text: time_limit_text(promise as u32, promise_type),
            promised_date,
            promised_date_estimate,
            clock_paused: clock
                .iter()
                .any(|c| c.kind != ClockKind::Extension && c.ended_at.is_none()),
            clock,
            delivery_method: parse_code(
                "delivery_method",
                &row.delivery_method,
                DeliveryMethod::from_code,
            )?,
            materials,
            supplements,
            documents,
            history,
            sync,
            result,
            hub_documents,
            material_pages,
            sharing,
            supervision_orders,
            satisfaction,
            satisfaction_at: row.satisfaction_at,
            project_no: row.project_no,
            dept_ql_reg_no: row.dept_ql_reg_no,
            dept_ql_name: row.dept_ql_name,
            org_id: row.org_id,
            org_name: row.org_name,
            acceptdate,
            acceptusername: row.acceptusername,
            window_no: row.window_no,
        })
    }

    /// The applicant of a stored case, unsealed, as known from `cases` cases (the date of the
    /// application is when it was last seen).
    fn open_applicant(&self, r: store::cases::ApplicantRow, cases: u32) -> Result<KnownApplicant> {
        Ok(KnownApplicant {
            applicant_type: parse_code(
                "applicant_type",
                &r.applicant_type,
                ApplicantType::from_code,
            )?,
            applicant_paper_type: parse_code(
                "applicant_paper_type",
                &r.applicant_paper_type,
                PaperType::from_code,
            )?,
            applicant_paper_code: self.keys.open_str(&r.applicant_paper_code_enc)?,
            applicant_mobile: self.keys.open_str(&r.applicant_mobile_enc)?,
            applicant_address: self.keys.open_str(&r.applicant_address_enc)?,
            party: match r.party_enc {
                Some(sealed) => serde_json::from_slice(&self.keys.open(&sealed)?)?,
                None => PartyDetails::default(),
            },
            applicant_name: r.applicant_name,
            cases,
            last_seen: r.apply_date,
        })
    }

    /// Cases, newest first. `search` matches a case number (or its tail), an applicant's
    /// name, or a whole ID number (through its blind index); `state` keeps one state only.
    pub async fn list_cases(
        &self,
        search: Option<&str>,
        state: Option<CaseState>,
    ) -> Result<Vec<CaseSummary>> {
        let search = search.map(str::trim).filter(|s| !s.is_empty());
        Ok(store::cases::list(
            self.store.pool(),
            &store::cases::CaseSearch {
                text: search,
                blind_index: search.map(|s| self.keys.blind_index(s)),
                state,
                limit: LIST_LIMIT,
            },
        )
        .await?)
    }

    /// The details of an applicant known from earlier cases at this desk, by whole ID number.
    pub async fn known_applicant(&self, paper_code: &str) -> Result<Option<KnownApplicant>> {
        let number = paper_code.trim();
        if number.chars().count() < 6 {
            return Ok(None);
        }
        let idx = self.keys.blind_index(number);
        let rows = store::cases::applicants_by_index(self.store.pool(), &idx).await?;
        let cases = rows.len() as u32;
        let Some(r) = rows.into_iter().next() else {
            return Ok(None);
        };
        Ok(Some(self.open_applicant(r, cases)?))
    }
}
