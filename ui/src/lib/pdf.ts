// Renders PDF bytes to canvases with pdf.js (WebKitGTK has no PDF viewer of its own).
// pdf.js is loaded on first use so the rest of the UI (and its unit tests) never pull it in.
import workerUrl from "pdfjs-dist/legacy/build/pdf.worker.min.mjs?url";

type PdfJs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");

let loading: Promise<PdfJs> | null = null;

function loadPdfJs(): Promise<PdfJs> {
  if (!loading) {
    loading = import("pdfjs-dist/legacy/build/pdf.mjs").then((m) => {
      m.GlobalWorkerOptions.workerSrc = workerUrl;
      return m;
    });
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

export type RenderHandle = { cancel: () => void };

/**
 * Renders every page of `data` as a canvas appended to `container`, each scaled to `cssWidth`
 * CSS pixels wide (sharp on HiDPI screens). Resolves with the page count.
 */
export async function renderPdf(
  data: Uint8Array,
  container: HTMLElement,
  cssWidth: number,
  isCancelled: () => boolean = () => false,
  /** Device pixels per CSS pixel; by default the screen's (at least 1, at most 3). */
  pixelRatio?: number,
): Promise<number> {
  const pdfjs = await loadPdfJs();
  // pdf.js takes ownership of (detaches) the buffer it is given, so give it a copy.
  const task = pdfjs.getDocument({ data: data.slice(), isEvalSupported: false });
  const doc = await task.promise;
  try {
    const ratio = pixelRatio ?? Math.max(1, Math.min(window.devicePixelRatio || 1, 3));
    for (let n = 1; n <= doc.numPages; n++) {
      if (isCancelled()) break;
      const page = await doc.getPage(n);
      const base = page.getViewport({ scale: 1 });
      const scale = cssWidth / base.width;
      const viewport = page.getViewport({ scale: scale * ratio });
      const canvas = document.createElement("canvas");
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      canvas.style.width = `${Math.floor(cssWidth)}px`;
      canvas.style.height = `${Math.floor((viewport.height / ratio))}px`;
      canvas.className = "pdf-page";
      canvas.dataset.testid = "pdf-page";
      canvas.dataset.page = String(n);
      const ctx = canvas.getContext("2d");
      if (!ctx) throw new Error("无法创建画布");
      container.appendChild(canvas);
      await page.render({ canvasContext: ctx, viewport }).promise;
      page.cleanup();
    }
    return doc.numPages;
  } finally {
    void doc.destroy();
  }
}
