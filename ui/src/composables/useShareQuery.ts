// 帮我传: ask the departments whether a material can be fetched, then choose how.
import { ref } from "vue";
import { ElMessage } from "element-plus";

import * as api from "../api";
import type { CatalogMaterial } from "../bindings/CatalogMaterial";
import type { ShareAvailability } from "../bindings/ShareAvailability";
import { SHARE_METHOD_LABELS } from "../dict";
import type { IntakeFormState } from "./useIntakeForm";

export function useShareQuery(form: IntakeFormState, onFieldChange: (field: string) => void) {
  const shareOpen = ref(false);
  const shareLoading = ref(false);
  const shareMaterial = ref<CatalogMaterial | null>(null);
  const shareAnswers = ref<ShareAvailability[]>([]);
  const shareError = ref("");

  async function openShare(m: CatalogMaterial) {
    shareMaterial.value = m;
    shareAnswers.value = [];
    shareError.value = "";
    shareOpen.value = true;
    shareLoading.value = true;
    try {
      const { form: built } = form.buildForm();
      shareAnswers.value = await api.shareQuery(built, m.no);
    } catch (e) {
      shareError.value = api.errorText(e);
    } finally {
      shareLoading.value = false;
    }
  }

  function chooseShare(a: ShareAvailability) {
    const r = form.received[a.material_no];
    if (!r) return;
    r.checked = true;
    r.share = a.method;
    shareOpen.value = false;
    onFieldChange("materiallist");
    ElMessage.success(`已选择${SHARE_METHOD_LABELS[a.method]}：提交受理后向部门调取“${a.sj_file_name}”`);
  }

  function clearShare(no: string) {
    const r = form.received[no];
    if (r) r.share = null;
  }

  return { shareOpen, shareLoading, shareMaterial, shareAnswers, shareError, openShare, chooseShare, clearShare };
}
