//! From a polled hub message (7.2.3, 7.2.5, 7.2.6) to what it means for the desk
//! ([`yichuang_core::inbox::HubInstruction`]), one per `projectlist` entry.

use yichuang_core::inbox::{HubInstruction, IncomingDoc, RequestedMaterial};

use yichuang_hub::client::Incoming;

fn s(v: &Option<String>) -> String {
    v.as_deref().unwrap_or_default().trim().to_string()
}

/// The instructions of a message, each with its case number (`no`), or why an entry cannot
/// be used.
pub fn instructions(msg: &Incoming) -> Vec<(String, Result<HubInstruction, String>)> {
    match msg {
        Incoming::Supply(req) => req
            .projectlist
            .iter()
            .map(|item| {
                let materials: Vec<RequestedMaterial> = item
                    .projectinfo
                    .0
                    .materiallist
                    .iter()
                    .flatten()
                    .map(|m| RequestedMaterial {
                        no: s(&m.no),
                        sj_file_name: s(&m.sj_file_name),
                    })
                    .collect();
                let ins = if materials.is_empty() {
                    Err("补正请求没有列出材料（materiallist）".to_string())
                } else {
                    Ok(HubInstruction::SupplementRequest {
                        opinion: s(&item.opinion),
                        materials,
                    })
                };
                (item.no.clone(), ins)
            })
            .collect(),
        Incoming::Process(req) => req
            .projectlist
            .iter()
            .flat_map(|item| {
                let docs: Vec<IncomingDoc> = item
                    .projectinfo
                    .doclist
                    .iter()
                    .flatten()
                    .filter(|d| d.docattach.as_deref().is_some_and(|g| !g.trim().is_empty()))
                    .map(|d| IncomingDoc {
                        attachguid: s(&d.docattach),
                        docname: s(&d.docname),
                        docnumber: s(&d.docnumber),
                    })
                    .collect();
                let steps: Vec<_> = item.projectinfo.processlist.iter().flatten().collect();
                if steps.is_empty() {
                    return vec![(
                        item.no.clone(),
                        Err("办理过程没有步骤（processlist）".to_string()),
                    )];
                }
                let last = steps.len() - 1;
                steps
                    .into_iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let code = p
                            .event_code
                            .map(|c| c.code().to_string())
                            .unwrap_or_default();
                        let name = p
                            .event_name
                            .clone()
                            .or_else(|| p.event_code.map(|c| c.label().to_string()));
                        (
                            item.no.clone(),
                            Ok(HubInstruction::ProcessStep {
                                event_code: code,
                                event_name: s(&name),
                                department: s(&p.department),
                                actor: s(&p.end_user_name),
                                note: s(&p.end_note),
                                // The documents go with the last step of the entry.
                                docs: if i == last { docs.clone() } else { Vec::new() },
                            }),
                        )
                    })
                    .collect()
            })
            .collect(),
        Incoming::Finish(req) => req
            .projectlist
            .iter()
            .map(|item| {
                let r = item.projectinfo.resultinfo.iter().flatten().next();
                let ins = match r {
                    None => Err("办结信息没有结果（resultinfo）".to_string()),
                    Some(r) => match r.status {
                        None => Err("办结信息缺少办理结果（status）".to_string()),
                        Some(status) => Ok(HubInstruction::Result {
                            status,
                            result_no: s(&r.result_no),
                            note: s(&r.note),
                            resultname: s(&r.resultname),
                            handleusername: s(&r.handleusername),
                            create_date: s(&r.create_date),
                        }),
                    },
                };
                (item.no.clone(), ins)
            })
            .collect(),
    }
}
