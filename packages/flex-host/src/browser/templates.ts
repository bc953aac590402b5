/**
 * Flex strings are Handlebars templates. The host renders the part channel templates use —
 * `{{path}}`, `{{{path}}}`, `{{#if path}}…{{else}}…{{/if}}` (nested) and `{{#unless}}` — and drops
 * Flex's own helpers such as `{{{icon name='…'}}}`. Output is text, never HTML.
 */
type Node =
  | { kind: 'text'; text: string }
  | { kind: 'value'; path: string }
  | { kind: 'if'; path: string; negate: boolean; whenTrue: Node[]; whenFalse: Node[] };

const TAG = /\{\{\{?\s*([^}]*?)\s*\}?\}\}/g;

function parse(source: string): Node[] {
  const root: Node[] = [];
  const stack: Array<{ node: Extract<Node, { kind: 'if' }>; inElse: boolean }> = [];
  const target = () => {
    const top = stack.at(-1);
    return top ? (top.inElse ? top.node.whenFalse : top.node.whenTrue) : root;
  };
  let last = 0;
  for (const match of source.matchAll(TAG)) {
    if (match.index > last) target().push({ kind: 'text', text: source.slice(last, match.index) });
    last = match.index + match[0].length;
    const tag = match[1] ?? '';
    const block = /^#(if|unless)\s+(\S+)$/.exec(tag);
    if (block) {
      const node: Extract<Node, { kind: 'if' }> = {
        kind: 'if',
        path: block[2] ?? '',
        negate: block[1] === 'unless',
        whenTrue: [],
        whenFalse: [],
      };
      target().push(node);
      stack.push({ node, inElse: false });
    } else if (tag === 'else') {
      const top = stack.at(-1);
      if (top) top.inElse = true;
    } else if (/^\/(if|unless)$/.test(tag)) {
      stack.pop();
    } else if (/^[\w.$-]+$/.test(tag)) {
      target().push({ kind: 'value', path: tag });
    }
    // Anything else is a Flex helper call the host does not have: it renders as nothing.
  }
  if (last < source.length) target().push({ kind: 'text', text: source.slice(last) });
  return root;
}

function lookup(context: unknown, path: string): unknown {
  let value: unknown = context;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function truthy(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}

function renderNode(node: Node, context: unknown): string {
  switch (node.kind) {
    case 'text':
      return node.text;
    case 'value': {
      const value = lookup(context, node.path);
      return value === undefined || value === null ? '' : String(value);
    }
    case 'if':
      return truthy(lookup(context, node.path)) !== node.negate
        ? render(node.whenTrue, context)
        : render(node.whenFalse, context);
  }
}

function render(nodes: readonly Node[], context: unknown): string {
  return nodes.map((node) => renderNode(node, context)).join('');
}

/** Renders a Flex string template against `context` (e.g. `{ task, helper }`), trimmed. */
export function renderTemplate(source: string, context: unknown): string {
  return render(parse(source), context).replace(/\s+/g, ' ').trim();
}
