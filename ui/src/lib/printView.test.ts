import { afterEach, describe, expect, it, vi } from "vitest";

import { printView, renderPrintView } from "./printView";

afterEach(() => {
  document.body.innerHTML = "";
  vi.restoreAllMocks();
});

describe("printView", () => {
  it("renders the title, images and tables as text (never as HTML)", () => {
    const root = renderPrintView({
      title: "在办件督办监察",
      subtitle: "共 1 件",
      images: ["data:image/png;base64,AAAA"],
      tables: [{ caption: "汇总", headers: ["预警", "办件编号"], rows: [["红牌", "<b>1</b>"]] }],
    });
    expect(root.classList.contains("yc-print-root")).toBe(true);
    expect(root.querySelector("h1")!.textContent).toBe("在办件督办监察");
    expect(root.querySelector("img")!.getAttribute("src")).toBe("data:image/png;base64,AAAA");
    expect(root.querySelector("caption")!.textContent).toBe("汇总");
    expect(Array.from(root.querySelectorAll("th")).map((t) => t.textContent)).toEqual(["预警", "办件编号"]);
    const cells = root.querySelectorAll("td");
    expect(cells[1].textContent).toBe("<b>1</b>");
    expect(cells[1].querySelector("b")).toBeNull();
  });

  it("opens the system print dialog with the view in the page", () => {
    let during = "";
    const print = vi.spyOn(window, "print").mockImplementation(() => {
      during = document.body.querySelector('[data-testid="print-view"]')?.textContent ?? "";
    });
    printView({ title: "办件统计", tables: [] });
    expect(print).toHaveBeenCalledOnce();
    expect(during).toContain("办件统计");
    window.dispatchEvent(new Event("afterprint"));
    expect(document.body.querySelector('[data-testid="print-view"]')).toBeNull();
  });
});
