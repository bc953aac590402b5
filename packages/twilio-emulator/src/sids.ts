import { randomBytes } from 'node:crypto';

/**
 * The two-letter prefixes of the Twilio resources the emulator serves.
 *
 * @see https://www.twilio.com/docs/glossary/what-is-a-sid
 */
export type SidPrefix =
  | 'AC' // account
  | 'CH' // conversation
  | 'KG' // interaction channel invite
  | 'MB' // conversation participant
  | 'IM' // conversation message
  | 'WH' // conversation webhook
  | 'IS' // conversations service
  | 'MG' // messaging service
  | 'RL' // role
  | 'US' // conversations user
  | 'FW' // studio flow
  | 'FN' // studio execution
  | 'FT' // studio execution step
  | 'KD' // flex interaction
  | 'UO' // flex interaction channel
  | 'UT' // flex interaction channel participant
  | 'UX' // flex interaction channel transfer
  | 'WS' // taskrouter workspace
  | 'WW' // taskrouter workflow
  | 'WQ' // taskrouter task queue
  | 'TC' // taskrouter task channel
  | 'WT' // taskrouter task
  | 'WR' // taskrouter reservation
  | 'WK' // taskrouter worker
  | 'WA' // taskrouter activity
  | 'EV' // taskrouter event
  | 'ME'; // media

/** A new SID: the prefix and 32 lowercase hex characters, like every Twilio SID. */
export function newSid<P extends SidPrefix>(prefix: P): `${P}${string}` {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}
