// Small pieces the dialogs share.

/** A keydown handler that runs `confirm` on Ctrl+Enter (⌘+Enter) and keeps the key to itself. */
export function ctrlEnter(confirm: () => unknown): (ev: KeyboardEvent) => void {
  return (ev) => {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      ev.stopPropagation();
      void confirm();
    }
  };
}
