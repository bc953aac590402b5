import type { Case, CaseDetailResponse, CaseEvent, KbSearchHit } from '@flexcord/contracts';

export const MEMBER = {
  id: '123456789012345678',
  username: 'mika_plays',
  displayName: 'Mika',
  avatarUrl: null,
};

export const CONVERSATION_SID = `CH${'1'.repeat(32)}`;

export function aCase(overrides: Partial<Case> = {}): Case {
  return {
    number: 7,
    type: 'bug',
    status: 'open',
    priority: 'normal',
    subject: 'Login fails after the update',
    member: MEMBER,
    assignee: null,
    details: {
      kind: 'bug',
      whatHappened: 'The app shows an error after login',
      steps: '1. Update\n2. Log in',
      expectedVsActual: 'Expected the dashboard, got an error',
      severity: 'high',
      platform: 'iOS',
    },
    conversationSids: [CONVERSATION_SID],
    publicPost: null,
    createdAt: '2025-01-02T10:00:00.000Z',
    updatedAt: '2025-01-02T10:05:00.000Z',
    resolvedAt: null,
    ...overrides,
  };
}

let eventId = 0;
export function anEvent(type: CaseEvent['type'], overrides: Partial<CaseEvent> = {}): CaseEvent {
  eventId += 1;
  return {
    id: eventId,
    caseNumber: 7,
    type,
    actor: { kind: 'member', id: MEMBER.id, name: 'Mika' },
    visibility: 'public',
    data: {},
    createdAt: '2025-01-02T10:00:00.000Z',
    ...overrides,
  };
}

export function aDetail(overrides: Partial<CaseDetailResponse> = {}): CaseDetailResponse {
  const kase = overrides.case ?? aCase();
  return {
    case: kase,
    timeline: [
      anEvent('created'),
      anEvent('handover_requested'),
      anEvent('agent_joined', { actor: { kind: 'agent', id: 'dana', name: 'Dana' } }),
    ],
    member: {
      ...MEMBER,
      memberSince: '2023-05-01T00:00:00.000Z',
      otherCases: [
        {
          number: 3,
          type: 'support',
          status: 'resolved',
          subject: 'Billing question',
          updatedAt: '2024-12-01T00:00:00.000Z',
        },
      ],
    },
    ...overrides,
  };
}

export const KB_HITS: KbSearchHit[] = [
  {
    slug: 'reset-password',
    title: 'Reset your password',
    url: 'https://help.example.com/reset-password',
    excerpt: 'Use the “Forgot password” link on the sign-in page…',
    tags: ['account'],
    score: 3.2,
  },
  {
    slug: 'two-factor',
    title: 'Two-factor authentication',
    url: 'https://help.example.com/two-factor',
    excerpt: 'Turn on 2FA in your account settings…',
    tags: ['account', 'security'],
    score: 1.1,
  },
];
