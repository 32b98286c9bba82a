import { describe, expect, it } from "vitest";

import { PAPER_TYPES, PAPER_TYPE_LABELS, timeLimitText } from "./dict";

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
});
