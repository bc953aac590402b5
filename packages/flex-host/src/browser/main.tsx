import { render } from 'react-dom';
import { HostApp } from './components.tsx';
import { Flex } from './flex.ts';
import { FlexHost } from './flex-host-api.ts';
import { hostState as state } from './runtime.ts';
import { hostStyles } from './styles.ts';

/**
 * The host page's script: it installs `window.Twilio.Flex` (a stand-in a plugin bundle registers
 * into, as it would into Flex) and `window.FlexHost` (the embedding page's handle on tasks, token,
 * messages and plugins), then renders the agent desktop into `#flex-host` (created if missing).
 */
// `window.Twilio` is typed by @twilio/flex-ui where both are compiled together; the host only sets it.
Object.assign(window, { Twilio: { Flex } });
window.FlexHost = FlexHost;
window.addEventListener('error', (event) => state.reportError(event.error ?? event.message));
window.addEventListener('unhandledrejection', (event) => state.reportError(event.reason));

const style = document.createElement('style');
style.textContent = hostStyles;
document.head.appendChild(style);

function mount() {
  let root = document.getElementById('flex-host');
  if (!root) {
    root = document.createElement('div');
    root.id = 'flex-host';
    document.body.appendChild(root);
  }
  render(<HostApp />, root);
}

if (document.body) mount();
else document.addEventListener('DOMContentLoaded', mount);
