import { describe, expect, it } from "vitest";

import { actionDoneText, historyAction, windowLabel } from "./case";

describe("windowLabel", () => {
  it("reads numbers as windows and names as they are", () => {
    expect(windowLabel("08")).toBe("08号窗口");
    expect(windowLabel("A3")).toBe("A3号窗口");
    expect(windowLabel("办件中心")).toBe("办件中心");
    expect(windowLabel("")).toBe("");
    expect(windowLabel(null)).toBe("");
  });
});

describe("historyAction", () => {
  it("keeps the event code of old department steps out of the text", () => {
    expect(historyAction("部门办理：正常审批程序（B9）")).toEqual({ text: "部门办理：正常审批程序", code: "B9" });
    expect(historyAction("部门办理：正常审批程序")).toEqual({ text: "部门办理：正常审批程序", code: "" });
    expect(historyAction("受理")).toEqual({ text: "受理", code: "" });
  });
});

describe("actionDoneText", () => {
  it("does not double 完成", () => {
    expect(actionDoneText("补正完成", "补正完成")).toBe("补正完成，办件状态：补正完成");
    expect(actionDoneText("受理", "已受理")).toBe("受理完成，办件状态：已受理");
  });
});
