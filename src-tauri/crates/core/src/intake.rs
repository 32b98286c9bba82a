//! Intake: a new case with the clerk's decision (收件, 受理, 不予受理, 补齐补正, 提交受理).

use crate::accounts::Actor;
use crate::desk::{Acting, Desk, insert_event};
use crate::dict::PaperType;
use crate::error::{CoreError, Result};
use crate::idcard;
use crate::model::*;
use crate::plan::{field_error, reason_problem, supplement_problems};
use crate::store;
use crate::time::spec_time;
use crate::validate::validate_intake;
use crate::workflow::{Action, transition};

impl Desk {
    /// A new case: validates, assigns the case number, and stores the case with its
    /// materials, history entry and document in one durable transaction.
    async fn intake(
        &self,
        actor: &Actor,
        form: &IntakeForm,
        action: Action,
        opinion: &str,
        supplement: Option<&SupplementRequest>,
    ) -> Result<AcceptOutcome> {
        let catalog = self.catalog().await?;
        let now = self.now();
        let to = transition(None, action).map_err(|e| CoreError::Conflict(e.to_string()))?;
        let mut errors = validate_intake(
            form,
            &catalog,
            now.date_naive(),
            matches!(action, Action::Accept | Action::Submit),
        );
        errors.extend(reason_problem(action, opinion));
        let item = catalog
            .iter()
            .find(|i| i.dept_ql_reg_no == form.dept_ql_reg_no.trim());
        if let (Some(item), Some(req)) = (item, supplement) {
            errors.extend(supplement_problems(item, req));
        }
        if let (Some(item), Action::Submit) = (item, action) {
            errors.extend(crate::sharing::submit_problems(form, item));
        } else if form.materiallist.iter().any(|m| m.share.is_some()) {
            errors.push(field_error(
                "materiallist",
                "帮我传",
                "有材料选择了帮我传，请点击“提交受理”，待材料调取到位后自动受理",
            ));
        }
        if !errors.is_empty() {
            return Err(CoreError::Validation(errors));
        }
        let item =
            item.ok_or_else(|| CoreError::NotFound(format!("事项 {}", form.dept_ql_reg_no)))?;
        let desk = self.profile_for(actor).await?;

        // Materials in catalog order, numbered from 1.
        let materials: Vec<CaseMaterial> = item
            .materials
            .iter()
            .filter_map(|c| {
                form.materiallist
                    .iter()
                    .find(|m| {
                        m.no == c.no || (m.no.is_empty() && m.sj_file_name.trim() == c.sj_file_name)
                    })
                    .map(|m| (c, m.sj_no))
            })
            .enumerate()
            .map(|(i, (c, sj_no))| CaseMaterial {
                ord: i as u32 + 1,
                no: c.no.clone(),
                sj_file_name: c.sj_file_name.clone(),
                sj_no,
                form: c.form,
                sj_file_if: c.sj_file_if,
                attachguid: None,
            })
            .collect();

        let paper_code = match form.applicant_paper_type {
            PaperType::IdCard => form.applicant_paper_code.trim().to_ascii_uppercase(),
            _ => form.applicant_paper_code.trim().to_string(),
        };
        let party = normalized_party(form);
        let situations: Vec<String> = item
            .situations
            .iter()
            .filter(|s| form.situations.iter().any(|c| c.trim() == s.code))
            .map(|s| s.code.clone())
            .collect();
        let at = spec_time(&now);
        let mut tx = self.store.write().await?;

        let day = now.format("%Y%m%d").to_string();
        let seq = next_case_seq(&mut tx, &item.dept_ql_reg_no, &day, &desk).await?;
        let project_no = format!("{}{day}{seq:04}", item.dept_ql_reg_no);
        let accepted = to == CaseState::Accepted;

        let case_id = store::cases::insert(
            &mut *tx,
            &store::cases::NewCase {
                row_guid: uuid::Uuid::new_v4().to_string(),
                project_no: &project_no,
                dept_ql_reg_no: &item.dept_ql_reg_no,
                dept_ql_name: &item.dept_ql_name,
                org_id: &item.org_id,
                org_name: &item.org_name,
                applicant_type: form.applicant_type.code(),
                applicant_name: form.applicant_name.trim(),
                applicant_paper_type: form.applicant_paper_type.code(),
                applicant_paper_code_enc: self.keys.seal_str(&paper_code)?,
                applicant_paper_code_idx: self.keys.blind_index(&paper_code),
                applicant_paper_code_masked: idcard::mask(&paper_code),
                applicant_mobile_enc: self.keys.seal_str(form.applicant_mobile.trim())?,
                applicant_address_enc: self.keys.seal_str(form.applicant_address.trim())?,
                state: to.as_str(),
                apply_date: &at,
                acceptdate: if accepted { at.as_str() } else { "" },
                acceptusername: if accepted {
                    desk.clerk_name.as_str()
                } else {
                    ""
                },
                window_no: &desk.window_no,
                promise: i64::from(item.promise),
                promise_type: item.promise_type.code(),
                delivery_method: form.delivery_method.code(),
                created_at: &at,
                party_enc: self.keys.seal(&serde_json::to_vec(&party)?)?,
                situations: serde_json::to_string(&situations)?,
            },
        )
        .await?;

        for m in &materials {
            store::materials::insert(&mut *tx, case_id, m).await?;
        }
        if action == Action::Submit {
            crate::sharing::insert_submitted(&mut tx, case_id, item, form, &at).await?;
        }
        if let Some(req) = supplement {
            self.insert_supplement(&mut tx, case_id, item, req, now.date_naive(), &at)
                .await?;
        }
        insert_event(&mut tx, case_id, &at, &desk, action, None, to, opinion).await?;
        let document = self
            .issue(&mut tx, case_id, &project_no, action, &desk, &at)
            .await?;
        let messages: Vec<(OutboxOperation, String)> =
            crate::outbox::messages_for(None, to, action)
                .into_iter()
                .map(|(o, e)| (o, e.to_string()))
                .collect();
        if !messages.is_empty() {
            let case = self.read_case(&mut tx, &project_no).await?;
            crate::outbox::enqueue(self, &mut tx, case_id, &case, &messages, &at).await?;
        }
        tx.commit().await?;

        let case = self.get_case(&project_no).await?;
        Ok(AcceptOutcome {
            project_no,
            case,
            document,
        })
    }

    /// Stores the materials of a supplement request, due `limit_days` working days after
    /// `today`; a material's name is the catalog's.
    pub(crate) async fn insert_supplement(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
        case_id: i64,
        item: &CatalogItem,
        req: &SupplementRequest,
        today: chrono::NaiveDate,
        at: &str,
    ) -> Result<()> {
        let due = self
            .calendar()
            .due_date(today, req.limit_days, crate::dict::TimeUnit::WorkingDays)
            .format("%Y-%m-%d")
            .to_string();
        for s in &req.materials {
            let name = item
                .materials
                .iter()
                .find(|c| c.no == s.no)
                .map(|c| c.sj_file_name.clone())
                .unwrap_or_else(|| s.sj_file_name.clone());
            store::supplements::insert(
                &mut **tx,
                &store::supplements::NewSupplement {
                    case_id,
                    requested_at: at,
                    due_date: &due,
                    no: &s.no,
                    sj_file_name: &name,
                    reason: s.reason.trim(),
                },
            )
            .await?;
        }
        Ok(())
    }
}

/// The party details as stored: trimmed, ID numbers upper-cased, and the organisation code
/// derived from the unified social credit code when the clerk left it empty.
fn normalized_party(form: &IntakeForm) -> PartyDetails {
    let p = &form.party;
    let t = |s: &str| s.trim().to_string();
    let mut applicant_code = t(&p.applicant_code);
    if applicant_code.is_empty() && form.applicant_type.is_organisation() {
        applicant_code =
            crate::validate::org_code_from_uscc(&form.applicant_paper_code).unwrap_or_default();
    }
    let linkman = p.has_linkman();
    PartyDetails {
        applicant_phone: t(&p.applicant_phone),
        applicant_zipcode: t(&p.applicant_zipcode),
        applicant_email: t(&p.applicant_email),
        applicant_code,
        oper_man_name: t(&p.oper_man_name),
        oper_man_code: p.oper_man_code.trim().to_ascii_uppercase(),
        linkman_name: if linkman {
            t(&p.linkman_name)
        } else {
            String::new()
        },
        linkman_paper_type: p.linkman_paper_type,
        linkman_paper_code: if linkman && p.linkman_paper_type == PaperType::IdCard {
            p.linkman_paper_code.trim().to_ascii_uppercase()
        } else if linkman {
            t(&p.linkman_paper_code)
        } else {
            String::new()
        },
        linkman_mobile: if linkman {
            t(&p.linkman_mobile)
        } else {
            String::new()
        },
    }
}

/// The next case-number sequence of this desk for an item and hall day.
///
/// The 4-digit sequence space 0001–9999 is split into `desk_count` equal blocks and this
/// desk draws only from block `desk_index`, so desks that are offline can never hand out the
/// same number. With one desk the whole space is used.
async fn next_case_seq(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    prefix: &str,
    day: &str,
    desk: &DeskProfile,
) -> Result<i64> {
    let (first, last) = desk_block(desk);
    let seq = store::cases::next_seq(&mut **tx, prefix, day, first).await?;
    if seq > last {
        return Err(CoreError::Conflict(format!(
            "本窗口今日该事项的办件编号段（{first:04}–{last:04}）已用尽，请改用其他窗口受理或调整窗口编号段"
        )));
    }
    Ok(seq)
}

/// The sequence block of a desk: (first, last).
pub fn desk_block(desk: &DeskProfile) -> (i64, i64) {
    let count = desk.desk_count.clamp(1, 99);
    let index = i64::from(desk.desk_index.clamp(1, count));
    let size = 9999 / i64::from(count);
    ((index - 1) * size + 1, index * size)
}

impl Acting<'_> {
    /// Intake and acceptance in one step (issues the 受理通知书).
    pub async fn accept(&self, form: &IntakeForm) -> Result<AcceptOutcome> {
        self.desk
            .intake(
                self.actor(),
                form,
                Action::Accept,
                "申请材料齐全、符合法定形式，予以受理",
                None,
            )
            .await
    }

    /// 提交受理 with materials fetched through 帮我传 (see `sharing`): the case waits in
    /// 受理中 and a 临时回执 is issued.
    pub async fn submit(&self, form: &IntakeForm) -> Result<AcceptOutcome> {
        self.desk
            .intake(
                self.actor(),
                form,
                Action::Submit,
                "提交受理，部分材料通过帮我传向部门调取，待材料到位后自动受理",
                None,
            )
            .await
    }

    /// Intake of materials only (issues the 收件凭证); the decision comes later.
    pub async fn receive(&self, form: &IntakeForm) -> Result<AcceptOutcome> {
        self.desk
            .intake(self.actor(), form, Action::Receive, "收取申请材料", None)
            .await
    }

    /// Intake and rejection in one step (issues the 不予受理通知书).
    pub async fn reject_intake(&self, form: &IntakeForm, reason: &str) -> Result<AcceptOutcome> {
        self.desk
            .intake(self.actor(), form, Action::Reject, reason, None)
            .await
    }

    /// Intake with a supplement request (issues the 补齐补正通知书).
    pub async fn supplement_intake(
        &self,
        form: &IntakeForm,
        request: &SupplementRequest,
    ) -> Result<AcceptOutcome> {
        self.desk
            .intake(
                self.actor(),
                form,
                Action::RequestSupplement,
                &request.opinion,
                Some(request),
            )
            .await
    }

    /// A new case with the clerk's decision at intake.
    pub async fn intake_with(
        &self,
        form: &IntakeForm,
        decision: &IntakeDecision,
    ) -> Result<AcceptOutcome> {
        match decision {
            IntakeDecision::Receive => self.receive(form).await,
            IntakeDecision::Accept => self.accept(form).await,
            IntakeDecision::Reject { reason } => self.reject_intake(form, reason).await,
            IntakeDecision::RequestSupplement { request } => {
                self.supplement_intake(form, request).await
            }
        }
    }
}
