import { z } from 'zod';
import { SnowflakeSchema } from './json-string.ts';

/**
 * Members' data rights (GDPR articles 15 and 17) and the audit log of staff actions on cases, as
 * the plugin API serves them.
 */

/** Where a staff action on a case came from. */
export const AuditSourceSchema = z.enum(['plugin-api', 'flex', 'discord', 'bridge']);
export type AuditSource = z.infer<typeof AuditSourceSchema>;

/** One staff action on a case: who, what, when, from where. */
export const AuditEntrySchema = z.object({
  id: z.number().int().positive(),
  caseNumber: z.number().int().positive(),
  /** The timeline entry it recorded (`status_changed`, `assigned`, `note`, …). */
  action: z.string(),
  actor: z.object({ id: z.string(), name: z.string() }),
  source: AuditSourceSchema,
  /** What changed (`from`, `to`, …); never what a member or an agent wrote. */
  changes: z.record(z.string(), z.unknown()),
  at: z.iso.datetime({ offset: true }),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditQuerySchema = z.object({
  caseNumber: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  /** The last N days (default 30). */
  days: z.coerce.number().int().min(1).max(3650).default(30),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  format: z.enum(['json', 'csv']).default('json'),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export const AuditResponseSchema = z.object({ entries: z.array(AuditEntrySchema) });
export type AuditResponse = z.infer<typeof AuditResponseSchema>;

/** What an erasure or an export covered: how many of each kind (no personal data). */
export const PrivacySummarySchema = z.record(z.string(), z.number().int().nonnegative());
export type PrivacySummary = z.infer<typeof PrivacySummarySchema>;

/** One member's data request, as supervisors see it: no name, no Discord id. */
export const PrivacyRequestSchema = z.object({
  id: z.number().int().positive(),
  kind: z.enum(['export', 'delete']),
  source: z.enum(['discord', 'plugin-api']),
  /** `member` (on Discord), else the admin who made it. */
  requestedBy: z.string(),
  summary: PrivacySummarySchema,
  at: z.iso.datetime({ offset: true }),
});
export type PrivacyRequest = z.infer<typeof PrivacyRequestSchema>;

export const PrivacyRequestsResponseSchema = z.object({ requests: z.array(PrivacyRequestSchema) });
export type PrivacyRequestsResponse = z.infer<typeof PrivacyRequestsResponseSchema>;

/** An admin's request for a member who asked by e-mail: their Discord user id. */
export const PrivacyMemberParamSchema = SnowflakeSchema;

/** `POST /api/privacy/members/:userId/export`: the file, and whether it was also sent to the member. */
export const PrivacyExportRequestSchema = z.object({
  /** Also send the file to the member on Discord (default: only return it). */
  sendToMember: z.boolean().default(false),
});
export type PrivacyExportRequest = z.infer<typeof PrivacyExportRequestSchema>;

/** `POST /api/privacy/members/:userId/delete`: must confirm by repeating the user id. */
export const PrivacyDeleteRequestSchema = z.object({ confirm: SnowflakeSchema });
export type PrivacyDeleteRequest = z.infer<typeof PrivacyDeleteRequestSchema>;

export const PrivacyDeleteResponseSchema = z.object({ erased: z.boolean(), summary: PrivacySummarySchema });
export type PrivacyDeleteResponse = z.infer<typeof PrivacyDeleteResponseSchema>;
