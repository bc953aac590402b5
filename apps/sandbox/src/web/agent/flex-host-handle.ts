/** The part of `window.FlexHost` this page drives, typed by `@flexcord/flex-host/api` (see its README). */
export type {
  FlexHostApi as FlexHostHandle,
  HostMessage,
  HostTaskInput,
  HostTaskStatus,
} from '@flexcord/flex-host/api';
