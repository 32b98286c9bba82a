import { describe, expect, it } from "vitest";

import {
  CASE_ACTIONS,
  CASE_STATES,
  CASE_STATE_LABELS,
  NOTICE_KIND_LABELS,
  PAPER_TYPES,
  PAPER_TYPE_LABELS,
  SHARE_METHOD_LABELS,
  SHARE_STATUS_LABELS,
  timeLimitText,
} from "./dict";

describe("dict", () => {
  it("words time limits like the Rust side", () => {
    expect(timeLimitText(5, "1")).toBe("5个工作日");
    expect(timeLimitText(20, "0")).toBe("20天");
    expect(timeLimitText(3, "2")).toBe("3个月");
    expect(timeLimitText(1, "3")).toBe("1年");
    expect(timeLimitText(0, "1")).toBe("当场办结");
  });

  it("offers every B.4 paper type in the spec's order, 身份证 first", () => {
    expect(PAPER_TYPES).toHaveLength(11);
    expect(PAPER_TYPES.map((p) => PAPER_TYPE_LABELS[p])).toEqual([
      "身份证", "护照", "回乡证", "居住证", "军官证", "特区护照", "通行证", "台胞证", "营业执照", "注册证书", "其他",
    ]);
  });

  it("names every case state and notice kind as the Rust side does", () => {
    expect(CASE_STATES.map((s) => CASE_STATE_LABELS[s])).toEqual([
      "已收件", "受理中", "待补正", "补正完成", "已受理", "受理后待补正", "特别程序中", "已办结", "已出件", "不予受理", "已撤回",
    ]);
    expect(NOTICE_KIND_LABELS).toEqual({
      receipt: "收件凭证",
      acceptance: "受理通知书",
      rejection: "不予受理通知书",
      supplement: "补齐补正通知书",
      temporary_receipt: "临时回执",
    });
    // 帮我传 (seed 004 表1, 综窗版).
    expect(Object.values(SHARE_STATUS_LABELS)).toEqual([
      "待共享", "待签出", "待签入", "已完成", "材料缺失", "共享超时", "已变更", "已取消",
    ]);
    expect(SHARE_METHOD_LABELS).toEqual({ electronic: "电子材料共享", paper: "纸档材料共享" });
  });

  it("allows the transitions of workflow.rs, and nothing from a final state", () => {
    const legal = Object.values(CASE_ACTIONS).reduce((n, a) => n + a.length, 0);
    // 受理中 is accepted automatically or cancelled in its 帮我传 panel: no buttons here.
    expect(CASE_ACTIONS.in_acceptance).toEqual([]);
    // 2 accept + 3 reject + 3 supplement + 2 complete + 6 withdraw + suspend, resume, extend
    // + 3 conclude + hand-over (intake decisions are separate).
    expect(legal).toBe(23);
    expect(CASE_ACTIONS.accepted).toEqual(["suspend", "extend", "request_supplement", "conclude", "withdraw"]);
    expect(CASE_ACTIONS.suspended).toEqual(["resume", "conclude", "withdraw"]);
    expect(CASE_ACTIONS.awaiting_supplement).toEqual(["complete_supplement", "conclude", "withdraw"]);
    expect(CASE_ACTIONS.concluded).toEqual(["hand_over"]);
    expect(CASE_ACTIONS.rejected).toEqual([]);
    expect(CASE_ACTIONS.withdrawn).toEqual([]);
    expect(CASE_ACTIONS.handed_over).toEqual([]);
    expect(CASE_ACTIONS.supplement_requested).not.toContain("accept");
  });
});
