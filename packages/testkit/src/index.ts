export {
  BRIDGE_MAIN,
  type BridgeProcess,
  type BridgeProcessOptions,
  startBridgeProcess,
} from './bridge-process.ts';
export {
  CHROMIUM_ARGS,
  type ChromiumHost,
  ChromiumMissingError,
  chromiumExecutablePath,
  chromiumLaunchOptions,
  DEBIAN_CHROMIUM,
  ensureChromium,
  findChromium,
  INSTALL_CHROMIUM,
  thisMachine,
} from './chromium.ts';
export { eventually } from './eventually.ts';
export { freePort } from './free-port.ts';
export { type LoadBalancer, startLoadBalancer } from './load-balancer.ts';
export {
  type LocalStack,
  type LocalStackOptions,
  type StartBridge,
  type StoppableBridge,
  startLocalStack,
} from './local-stack.ts';
