// A case's notices: viewed in the preview, or saved as PDF.
import { reactive, ref, type Ref } from "vue";
import { ElMessage } from "element-plus";

import * as api from "../api";
import type { CaseRecord } from "../bindings/CaseRecord";
import type { NoticeKind } from "../bindings/NoticeKind";

export function useNoticeDocuments(record: Ref<CaseRecord | null>) {
  const previewOpen = ref(false);
  const previewKind = ref<NoticeKind>("acceptance");
  const savingKind = ref<NoticeKind | null>(null);

  function view(kind: NoticeKind) {
    previewKind.value = kind;
    previewOpen.value = true;
  }

  async function save(kind: NoticeKind) {
    if (!record.value) return;
    savingKind.value = kind;
    try {
      const path = await api.exportNotice(record.value.project_no, kind);
      ElMessage.success({ message: `已保存：${path}`, duration: 6000 });
    } catch (e) {
      ElMessage.error(`保存失败：${api.errorText(e)}`);
    } finally {
      savingKind.value = null;
    }
  }

  // One reactive object: its refs read as plain values (`docs.savingKind`), in templates too.
  return reactive({ previewOpen, previewKind, savingKind, view, save });
}

export type NoticeDocuments = ReturnType<typeof useNoticeDocuments>;
