/**
 * Who may call each route of the plugin API: the one table the routes are registered from
 * (`plugin-api-routes.ts` registers a route only through it, and a route missing from it cannot be
 * registered) and the table in docs/deploy.md is generated from (a test checks the two agree, and
 * another walks every route under `/api` as each kind of caller).
 *
 * Every route needs a valid Flex token first (a stranger gets 401); the rule then says which agents.
 */
export type PluginApiAccess = 'agent' | 'case-editor' | 'case-participant' | 'supervisor' | 'privacy-admin';

/** What each rule means, in the words the docs use. */
export const ACCESS_RULES: Record<PluginApiAccess, string> = {
  agent: 'any agent',
  'case-editor': "the case's assignee (anyone while it is unassigned), supervisors",
  'case-participant': "the case's assignee, agents who took part in its chats, supervisors",
  supervisor: 'supervisors only',
  'privacy-admin': 'admins only (`PRIVACY_ADMIN_ROLES`, default admin)',
};

/**
 * Route (`METHOD /api/path`, Express's path syntax) → who may call it. Reading the desk, a case,
 * the KB, proposing a learned phrasing and adding an internal note is every agent's work; what reaches the member or changes the
 * case (status, stage, wrap-up, transfer, official reply, duplicate) is the case's owner's; a
 * transcript (the member's own words) is for those who were in the chats; figures, deciding a
 * learned phrasing, the audit log and the privacy request log are for supervisors, and so are the
 * shared canned replies (every agent reads them, and keeps personal ones only they see: another
 * agent's are never found); exporting or erasing a member's data (a request that came by e-mail)
 * is for admins. "Supervisors" are the Flex roles in `SUPERVISOR_ROLES` (default supervisor, admin).
 */
export const PLUGIN_API_ACCESS = {
  'GET /api/cases': 'agent',
  'GET /api/cases/:number': 'agent',
  'PATCH /api/cases/:number': 'case-editor',
  'POST /api/cases/:number/notes': 'agent',
  'GET /api/cases/:number/version': 'agent',
  'GET /api/wrap-up': 'agent',
  'POST /api/cases/:number/wrap-up': 'case-editor',
  'POST /api/cases/:number/transfer': 'case-editor',
  'GET /api/cases/:number/transcript': 'case-participant',
  'POST /api/cases/:number/replies': 'case-editor',
  'POST /api/cases/:number/duplicate': 'case-editor',
  'GET /api/kb/search': 'agent',
  'GET /api/kb/gaps': 'agent',
  'GET /api/kb/articles/:slug': 'agent',
  'POST /api/kb/gaps/phrasings': 'agent',
  'POST /api/kb/gaps/phrasings/:id': 'supervisor',
  'GET /api/figures': 'supervisor',
  'GET /api/canned-replies': 'agent',
  'GET /api/canned-replies/filled': 'agent',
  'POST /api/canned-replies/shared': 'supervisor',
  'PUT /api/canned-replies/shared/:id': 'supervisor',
  'DELETE /api/canned-replies/shared/:id': 'supervisor',
  'POST /api/canned-replies/personal': 'agent',
  'PUT /api/canned-replies/personal/:id': 'agent',
  'DELETE /api/canned-replies/personal/:id': 'agent',
  'GET /api/audit': 'supervisor',
  'GET /api/privacy/requests': 'supervisor',
  'POST /api/privacy/members/:userId/export': 'privacy-admin',
  'POST /api/privacy/members/:userId/delete': 'privacy-admin',
} as const satisfies Record<string, PluginApiAccess>;

export type PluginApiRoute = keyof typeof PLUGIN_API_ACCESS;

/** The table as docs/deploy.md shows it (between its `plugin-api-access` markers). */
export function accessTableMarkdown(): string {
  const rows = Object.entries(PLUGIN_API_ACCESS).map(
    ([route, access]) => `| \`${route}\` | ${ACCESS_RULES[access]} |`,
  );
  return ['| Route | Who may call it |', '| --- | --- |', ...rows].join('\n');
}
