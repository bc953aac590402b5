import { describeTwilioConformance } from '@flexcord/twilio-emulator/conformance';

// Every exchange the bridge's tests had with the Twilio emulator (the `bridge` project, run first),
// held to twilio-node's resources: what the bridge relies on is what Twilio answers.
describeTwilioConformance(String(process.env.TWILIO_EMULATOR_TRAFFIC_DIR));
