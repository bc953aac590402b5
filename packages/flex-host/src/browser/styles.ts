/** The host page's layout: a header, the task list and task canvas (Panel 1), and Panel 2. */
export const hostStyles = `
html, body { margin: 0; height: 100%; font-family: system-ui, sans-serif; font-size: 14px; color: #121c2d; }
#flex-host { height: 100%; display: flex; flex-direction: column; }
/* A plugin's providers (Paste's theme) wrap the desktop in elements of their own: they fill the page too. */
#flex-host > * { flex: 1; min-height: 0; display: flex; flex-direction: column; }
.fh-root { display: flex; flex-direction: column; flex: 1; height: 100%; min-height: 0; }
.fh-header { display: flex; gap: 16px; align-items: center; padding: 8px 16px; background: #121c2d; color: #fff; }
.fh-error { color: #ffb3b3; }
.fh-main { flex: 1; display: flex; min-height: 0; container: fh-frame / inline-size; }
.fh-side-nav { width: 72px; flex: none; display: flex; flex-direction: column; gap: 4px; padding: 8px 4px; background: #1f304c; }
.fh-side-link { display: flex; flex-direction: column; align-items: center; gap: 2px; padding: 8px 2px; background: none; border: 0; border-radius: 4px; color: #c7cfdc; cursor: pointer; font: inherit; font-size: 11px; }
.fh-side-link.fh-active { background: #394762; color: #fff; }
.fh-side-icon { display: inline-flex; width: 24px; height: 24px; align-items: center; justify-content: center; font-weight: 700; }
.fh-side-icon svg { width: 20px; height: 20px; }
.fh-side-label { text-align: center; line-height: 1.2; }
.fh-views { flex: 1; display: flex; min-width: 0; min-height: 0; }
.fh-view-slot { flex: 1; display: flex; min-width: 0; min-height: 0; }
.fh-view-slot[hidden] { display: none; }
.fh-view { flex: 1; display: flex; min-width: 0; min-height: 0; overflow: auto; }
.fh-desktop { flex: 1; display: flex; min-height: 0; min-width: 0; container-type: inline-size; }
.fh-panel1 { flex: 3; display: flex; min-width: 0; border-right: 1px solid #e1e3ea; }
.fh-panel2 { flex: 2; min-width: 300px; min-height: 0; overflow: auto; }
.fh-task-list { list-style: none; margin: 0; padding: 0; width: 260px; flex: none; border-right: 1px solid #e1e3ea; overflow: auto; }
.fh-task { border-left: 4px solid transparent; border-bottom: 1px solid #e1e3ea; }
.fh-task > button { display: flex; gap: 8px; align-items: center; width: 100%; padding: 10px; background: none; border: 0; text-align: left; cursor: pointer; font: inherit; }
.fh-task.fh-selected { background: #f4f4f6; }
.fh-icon { display: inline-flex; align-items: center; justify-content: center; width: 32px; height: 32px; border-radius: 50%; color: #fff; flex: none; }
.fh-icon svg { width: 20px; height: 20px; }
.fh-lines { display: flex; flex-direction: column; min-width: 0; }
.fh-first { font-weight: 600; }
.fh-second { color: #606b85; font-size: 12px; }
.fh-canvas { flex: 1; display: flex; flex-direction: column; min-width: 0; min-height: 0; }
.fh-canvas-header { display: flex; gap: 8px; align-items: center; padding: 12px 16px; border-bottom: 1px solid #e1e3ea; }
.fh-tabs { flex: 1; display: flex; flex-direction: column; min-height: 0; }
.fh-tablist { display: flex; border-bottom: 1px solid #e1e3ea; }
.fh-tablist button { padding: 8px 16px; background: none; border: 0; border-bottom: 2px solid transparent; cursor: pointer; font: inherit; }
.fh-tablist button[aria-selected="true"] { border-bottom-color: #0263e0; font-weight: 600; }
.fh-tabpanel { flex: 1; overflow: auto; min-height: 0; }
.fh-chat { display: flex; flex-direction: column; height: 100%; min-height: 0; }
.fh-messages-frame { flex: 1; position: relative; display: flex; flex-direction: column; min-height: 0; }
.fh-messages { flex: 1; list-style: none; margin: 0; padding: 16px; overflow: auto; min-height: 0; }
.fh-messages li { margin-bottom: 8px; display: flex; flex-direction: column; align-items: flex-start; gap: 4px; }
.fh-messages li.fh-agent { align-items: flex-end; }
.fh-author { font-size: 12px; color: #606b85; }
.fh-body { white-space: pre-wrap; overflow-wrap: anywhere; background: #f4f4f6; padding: 6px 10px; border-radius: 8px; max-width: 85%; }
.fh-agent .fh-body { background: #e6f0fd; }
.fh-edited { font-size: 11px; color: #606b85; }
.fh-input { display: flex; gap: 8px; align-items: flex-end; padding: 8px 16px; border-top: 1px solid #e1e3ea; }
.fh-chat-ended { padding: 12px 16px; border-top: 1px solid #e1e3ea; background: #f4f4f6; color: #394762; }
.fh-input textarea { flex: 1; min-width: 0; min-height: 56px; max-height: 30vh; resize: vertical; font: inherit; padding: 6px; }
.fh-input-actions { display: flex; gap: 4px; align-items: center; }
.fh-send { padding: 6px 14px; }
.fh-empty, .fh-placeholder { padding: 24px; color: #606b85; }
.fh-attributes { padding: 16px; margin: 0; }
.fh-attributes dt { font-weight: 600; }
.fh-attributes dd { margin: 0 0 8px; font-family: monospace; word-break: break-all; }
.fh-notifications { position: fixed; top: 48px; right: 16px; display: flex; flex-direction: column; gap: 8px; }
.fh-notification { background: #fff; border: 1px solid #e1e3ea; border-radius: 4px; padding: 8px 12px; box-shadow: 0 2px 6px rgba(0,0,0,.15); }
.fh-notification.fh-error { border-color: #d61f1f; }
.fh-new-messages { position: absolute; bottom: 10px; left: 50%; transform: translateX(-50%); background: #0263e0; color: #fff; border: 0; border-radius: 16px; padding: 4px 14px; font: inherit; font-weight: 600; cursor: pointer; box-shadow: 0 2px 6px rgba(0,0,0,.2); }
.fh-media-image img { display: block; max-width: min(260px, 100%); max-height: 260px; border-radius: 8px; border: 1px solid #e1e3ea; }
.fh-media-file { display: inline-flex; gap: 6px; align-items: center; background: #f4f4f6; border: 1px solid #e1e3ea; border-radius: 8px; padding: 6px 10px; color: #0263e0; max-width: 85%; overflow-wrap: anywhere; }
.fh-media-size { color: #606b85; font-size: 12px; }
.fh-attach { position: relative; color: #606b85; display: inline-flex; align-items: center; justify-content: center; width: 32px; height: 32px; border-radius: 4px; cursor: pointer; }
.fh-attach:hover { background: #f4f4f6; }
.fh-attach input { position: absolute; width: 1px; height: 1px; opacity: 0; }
.fh-attach.fh-busy { opacity: .5; }
/* A container query only reaches inside its container: the side nav sits beside the desktop, so it asks the frame. */
@container fh-frame (max-width: 1272px) {
  /* The side nav narrows, giving the width to the chat; each link keeps a small label under its icon. */
  .fh-side-nav { width: 52px; padding: 8px 1px; }
  .fh-side-link { font-size: 10px; padding: 6px 1px; }
}
@container (max-width: 1200px) {
  /* The task list narrows to the icon and the member's name under it. */
  .fh-task-list { width: 64px; }
  .fh-task > button { flex-direction: column; gap: 2px; padding: 8px 2px; text-align: center; }
  .fh-task .fh-lines { width: 100%; }
  .fh-task .fh-first { font-size: 11px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .fh-task .fh-second { display: none; }
  .fh-panel2 { min-width: 280px; }
}
`;
