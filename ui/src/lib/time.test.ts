import { describe, expect, it } from "vitest";

import { hallTime } from "./time";

describe("hallTime", () => {
  it("shows UTC times with nanoseconds as hall time to the second", () => {
    expect(hallTime("2026-12-07T18:35:47.328523050+00:00")).toBe("2026-12-08 02:35:47");
    expect(hallTime("2026-12-07T18:35:47Z")).toBe("2026-12-08 02:35:47");
    expect(hallTime("2026-12-31T16:00:00.5+00:00")).toBe("2027-01-01 00:00:00");
  });

  it("takes the given offset into account", () => {
    expect(hallTime("2026-12-08T02:35:47+08:00")).toBe("2026-12-08 02:35:47");
    expect(hallTime("2026-12-07T13:35:47.1-05:00")).toBe("2026-12-08 02:35:47");
  });

  it("leaves hall times and other text alone", () => {
    expect(hallTime("2026-11-22 10:06:00")).toBe("2026-11-22 10:06:00");
    expect(hallTime("—")).toBe("—");
    expect(hallTime(null)).toBe("");
    expect(hallTime(undefined)).toBe("");
    expect(hallTime("")).toBe("");
  });
});
