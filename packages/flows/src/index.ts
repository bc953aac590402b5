export {
  connectTwilioToBridge,
  type DeployedFlow,
  DISCORD_INBOUND_FLOW,
  DISCORD_INBOUND_FLOW_NAME,
  deployFlow,
  type FlowPlaceholders,
  renderFlowDefinition,
  sameFlowDefinition,
} from './deploy-flow.ts';
