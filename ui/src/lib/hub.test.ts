import { describe, expect, it } from "vitest";

import type { HubStatus } from "../bindings/HubStatus";
import { splitFailure, syncOutcome } from "./hub";

function status(pending: number, dead: number, online: boolean, next: string | null = null): HubStatus {
  return {
    online,
    last_success_at: null,
    last_failure_at: null,
    last_failure: "",
    outbox: { pending, dead, delivered: 0, oldest_pending_at: null, next_attempt_at: next },
  };
}

describe("splitFailure", () => {
  it("keeps the technical detail apart", () => {
    expect(splitFailure("无法连接办件中心（地址 http://10.1.2.3），请检查网络\n详情：tcp connect error")).toEqual({
      message: "无法连接办件中心（地址 http://10.1.2.3），请检查网络",
      detail: "tcp connect error",
    });
    expect(splitFailure("办件中心拒绝：缺少必填项")).toEqual({ message: "办件中心拒绝：缺少必填项", detail: "" });
    expect(splitFailure(null)).toEqual({ message: "", detail: "" });
  });
});

describe("syncOutcome", () => {
  it("is a success only when the queue emptied and nothing failed", () => {
    expect(syncOutcome(status(1, 0, true), status(0, 0, true))).toEqual({
      type: "success",
      text: "已上报到期的办件信息",
    });
  });

  it("warns with the count and the retry time when messages still wait", () => {
    expect(syncOutcome(status(1, 0, false), status(1, 0, false, "2026-12-08 02:36:05"))).toEqual({
      type: "warning",
      text: "上报失败，1条待上报，将于 02:36:05 重试",
    });
    expect(syncOutcome(null, status(2, 0, false)).text).toBe("上报失败，2条待上报");
  });

  it("warns when a message went to the dead letters", () => {
    const r = syncOutcome(status(1, 0, true), status(0, 1, true));
    expect(r.type).toBe("warning");
    expect(r.text).toContain("1条已转入上报失败列表");
  });
});
