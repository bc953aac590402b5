import type { HelpTopicSnapshot } from '@flexcord/contracts';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { SupportHoursSchema, type SupportHoursSpec } from '../chat/support-hours.ts';

// The brand's help topics (`HELP_TOPICS`): what /helpme offers before the virtual agent. Each topic
// has a label in English and Spanish, an emoji, an optional short form (a Discord modal), and
// either a canned answer (no case) or routing (the task attributes Flex's workflow filters read).
// The limits are Discord's, so a topic that validates here always renders:
// @see https://discord.com/developers/docs/components/reference#string-select-select-option-structure
// @see https://discord.com/developers/docs/components/reference#text-input-text-input-structure

/** A text in both languages members read. */
const bilingual = (max: number, what: string) =>
  z.object(
    {
      en: z
        .string()
        .trim()
        .min(1, `${what}: the English text is empty`)
        .max(max, `${what}: at most ${max} characters`),
      es: z
        .string()
        .trim()
        .min(1, `${what}: the Spanish text is empty`)
        .max(max, `${what}: at most ${max} characters`),
    },
    { error: `${what} needs "en" and "es"` },
  );

/** Topic and field ids: they travel in custom ids (≤100 characters) and in the `topic` task attribute. */
const ID = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const idSchema = (what: string) =>
  z.string().regex(ID, `${what} is 1–32 characters of a–z, 0–9, "_" or "-", starting with a letter or digit`);

/** One field of a topic's form: a Discord text input (label ≤45, placeholder ≤100, value ≤4000). */
export const TopicFieldSchema = z
  .object({
    id: idSchema('a field id'),
    label: bilingual(45, 'a field label'),
    style: z.enum(['short', 'paragraph']).default('short'),
    required: z.boolean().default(true),
    placeholder: bilingual(100, 'a field placeholder').optional(),
    minLength: z.number().int().min(0).max(4000).default(0),
    maxLength: z.number().int().min(1).max(4000).default(1000),
  })
  .refine((field) => field.minLength <= field.maxLength, {
    message: 'minLength is more than maxLength',
    path: ['minLength'],
  });
export type TopicField = z.infer<typeof TopicFieldSchema>;

/** What a routed topic's task carries, and when its team is there. */
export const TopicRoutingSchema = z.object({
  /**
   * The TaskRouter queue (friendly name) the topic's filter sends tasks to; provisioning creates it
   * (its workers: those with every skill) and writes the filter. Unset → the workflow's default.
   */
  queue: z.string().trim().min(1).max(64).optional(),
  /** Worker skills the topic needs: the task's `skills` attribute and the queue's `TargetWorkers`. */
  skills: z
    .array(z.string().regex(/^[\w-]{1,64}$/, 'a skill is 1–64 letters, digits, "_" or "-"'))
    .default([]),
  /** The task's priority (TaskRouter: higher first) and its `priority` attribute. */
  priority: z.number().int().min(0).max(1_000_000).default(0),
  /** The topic's own support hours (the `SUPPORT_HOURS` shape); unset → the brand's. */
  supportHours: SupportHoursSchema.optional(),
});
export type TopicRouting = z.infer<typeof TopicRoutingSchema>;

export const HelpTopicSchema = z
  .object({
    id: idSchema('a topic id'),
    /** The select menu's option label (≤100 characters). */
    label: bilingual(100, 'a topic label'),
    /** One emoji (a Unicode one, as members' clients show it in the menu). */
    emoji: z.string().trim().min(1).max(16).optional(),
    /** A line under the label in the menu (≤100 characters). */
    description: bilingual(100, 'a topic description').optional(),
    /** A short form, shown as a Discord modal (title ≤45 characters, 1–5 fields). */
    form: z
      .object({
        title: bilingual(45, 'a form title').optional(),
        fields: z
          .array(TopicFieldSchema)
          .min(1, 'a form has 1 to 5 fields')
          .max(5, 'a form has 1 to 5 fields'),
      })
      .optional(),
    /** A canned answer (Markdown, ≤2000 characters, a Discord message) that resolves the question without a case. */
    answer: bilingual(2000, 'an answer').optional(),
    routing: TopicRoutingSchema.optional(),
  })
  .superRefine((topic, ctx) => {
    if (topic.answer && topic.routing)
      ctx.addIssue({
        code: 'custom',
        message: 'has both "answer" and "routing": a topic either answers itself or is routed to the team',
        path: ['answer'],
      });
    if (topic.answer && topic.form)
      ctx.addIssue({
        code: 'custom',
        message: 'has both "answer" and "form": the form is for cases, and an answered topic opens none',
        path: ['form'],
      });
    const ids = topic.form?.fields.map((field) => field.id) ?? [];
    const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
    if (repeated)
      ctx.addIssue({
        code: 'custom',
        message: `the field id "${repeated}" is used twice`,
        path: ['form', 'fields'],
      });
  });
export type HelpTopic = z.infer<typeof HelpTopicSchema>;

export const HelpTopicsSchema = z
  .object({
    /** At most 25: a Discord select menu's options. */
    topics: z
      .array(HelpTopicSchema)
      .min(1, 'list at least one topic')
      .max(25, 'at most 25 topics (a Discord select menu)'),
  })
  .superRefine((value, ctx) => {
    const ids = value.topics.map((topic) => topic.id);
    const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
    if (repeated)
      ctx.addIssue({ code: 'custom', message: `the topic id "${repeated}" is used twice`, path: ['topics'] });
  });

/** A topic's form answers, as the member gave them (field id → text). */
export type TopicAnswers = Record<string, string>;

/** What a case keeps of its topic (the form's answers in the form's order, with their labels). */
export type TopicSnapshot = HelpTopicSnapshot;

/** The language of a Discord locale: Spanish for `es-*`, else English. */
export function topicLanguage(locale: string | null | undefined): 'en' | 'es' {
  return locale?.toLowerCase().startsWith('es') ? 'es' : 'en';
}

/**
 * The brand's topics, looked up by id. Empty when none are configured: /helpme then behaves as it
 * always did.
 */
export class HelpTopics {
  private readonly byId: Map<string, HelpTopic>;

  constructor(readonly list: readonly HelpTopic[] = []) {
    this.byId = new Map(list.map((topic) => [topic.id, topic]));
  }

  get configured(): boolean {
    return this.list.length > 0;
  }

  get(id: string | null | undefined): HelpTopic | undefined {
    return id ? this.byId.get(id) : undefined;
  }

  /** The topic's own support hours, if it has them. */
  hoursOf(id: string | null | undefined): SupportHoursSpec | undefined {
    return this.get(id)?.routing?.supportHours;
  }

  /**
   * The form's answers, checked against its fields (required ones present, lengths kept; unknown
   * fields dropped), or the first problem in the member's language.
   */
  checkAnswers(
    topic: HelpTopic,
    given: TopicAnswers,
    locale: string | null,
  ): { ok: true; answers: TopicAnswers } | { ok: false; field: string } {
    const language = topicLanguage(locale);
    const answers: TopicAnswers = {};
    for (const field of topic.form?.fields ?? []) {
      const value = (given[field.id] ?? '').trim();
      if (
        (field.required && !value) ||
        (value && (value.length < field.minLength || value.length > field.maxLength))
      )
        return { ok: false, field: field.label[language] };
      if (value) answers[field.id] = value;
    }
    return { ok: true, answers };
  }

  /** What the case keeps of a topic and its answers. */
  snapshot(topic: HelpTopic, answers: TopicAnswers): TopicSnapshot {
    return {
      id: topic.id,
      label: topic.label,
      ...(topic.emoji ? { emoji: topic.emoji } : {}),
      answers: (topic.form?.fields ?? [])
        .filter((field) => answers[field.id])
        .map((field) => ({ id: field.id, label: field.label, value: answers[field.id]! })),
    };
  }

  /** The task attributes Flex's workflow filters read for a topic: `topic`, `skills`, `priority`. */
  taskAttributes(id: string | null | undefined): { topic: string; skills: string[]; priority: number } {
    const topic = this.get(id);
    return {
      // A topic since removed from the configuration still names itself; it has no routing left.
      topic: id ?? '',
      skills: topic?.routing?.skills ?? [],
      priority: topic?.routing?.priority ?? 0,
    };
  }
}

/**
 * Parses `HELP_TOPICS`: YAML or JSON, inline or the path of a file (`.yaml`, `.yml`, `.json`).
 * Throws an Error whose message names each problem by its place ("topics.1.form.fields.0.label.es: …").
 */
export function parseHelpTopics(raw: string, readFile: (path: string) => string): HelpTopic[] {
  const trimmed = raw.trim();
  const inline = trimmed.startsWith('{') || trimmed.startsWith('topics:') || trimmed.includes('\n');
  let text: string;
  if (inline) text = trimmed;
  else {
    try {
      text = readFile(trimmed);
    } catch (error) {
      throw new Error(`cannot read ${trimmed} (${(error as Error).message})`);
    }
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new Error(`not valid YAML or JSON (${(error as Error).message.split('\n')[0]})`);
  }
  const result = HelpTopicsSchema.safeParse(value);
  if (!result.success)
    throw new Error(
      result.error.issues.map((issue) => `${issue.path.join('.') || 'value'}: ${issue.message}`).join('; '),
    );
  return result.data.topics;
}
