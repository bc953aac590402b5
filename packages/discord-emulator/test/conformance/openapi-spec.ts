import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schemas from 'discord-api-spec/zod';
import ts from 'typescript';
import * as z from 'zod/mini';

/**
 * Discord's OpenAPI spec, as the `discord-api-spec` package ships it: zod (mini) schemas for every
 * component (`MessageResponseSchema`, `MessageCreateRequestSchema`, …) and, in its TypeScript
 * types, the `Paths` interface that says which component each route takes and answers per status.
 * The package ships no route → schema table for zod, so this module reads `Paths` with the
 * TypeScript parser and builds one; nothing here is written by hand per route.
 *
 * @see https://github.com/discord/discord-api-spec
 */
export type Schema = z.ZodMiniType;

/** One operation of the spec: `GET /channels/{channel_id}/messages`. */
export interface SpecOperation {
  method: string;
  path: string;
  /** Query parameters by name. */
  query: Map<string, { schema: Schema; required: boolean }>;
  /** The request body's schema, or null when the route takes none. */
  request: Schema | null;
  /** Response schemas by status key (`"200"`, `"204"`, `"429"`, `"4XX"`); null for no body. */
  responses: Map<string, Schema | null>;
}

export interface DiscordSpec {
  operations: Map<string, SpecOperation>;
  /** The operation for a method and a path template, placeholder names ignored. */
  find(method: string, path: string): SpecOperation | undefined;
  /** Type names `Paths` refers to that have no zod schema (checked as "anything"). */
  unresolved: Set<string>;
}

const componentSchemas = schemas as unknown as Record<string, Schema | undefined>;

/** Where the package's `build/discord-api-spec.ts` sits (its `exports` hide `package.json`). */
function specTypesFile(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'node_modules', 'discord-api-spec', 'build', 'discord-api-spec.ts');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('discord-api-spec is not installed (npm ci)');
    dir = parent;
  }
}

const templateKey = (method: string, path: string) =>
  `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`;

/** Reads `Paths` from the package's types and pairs each referenced type with its zod schema. */
export function loadDiscordSpec(): DiscordSpec {
  const file = specTypesFile();
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const unresolved = new Set<string>();
  const paths = source.statements.find(
    (statement): statement is ts.InterfaceDeclaration =>
      ts.isInterfaceDeclaration(statement) && statement.name.text === 'Paths',
  );
  if (!paths) throw new Error(`no Paths interface in ${file}`);

  const toSchema = (node: ts.TypeNode): Schema => {
    if (ts.isParenthesizedTypeNode(node)) return toSchema(node.type);
    if (ts.isTypeOperatorNode(node)) return toSchema(node.type);
    if (ts.isArrayTypeNode(node)) return z.array(toSchema(node.elementType));
    if (ts.isUnionTypeNode(node)) return z.union(node.types.map(toSchema));
    if (ts.isIntersectionTypeNode(node)) {
      const [first, ...rest] = node.types.map(toSchema);
      return rest.reduce<Schema>((left, right) => z.intersection(left, right), first ?? z.unknown());
    }
    if (ts.isLiteralTypeNode(node)) {
      const literal = node.literal;
      if (literal.kind === ts.SyntaxKind.NullKeyword) return z.null();
      if (literal.kind === ts.SyntaxKind.TrueKeyword) return z.literal(true);
      if (literal.kind === ts.SyntaxKind.FalseKeyword) return z.literal(false);
      if (ts.isStringLiteral(literal)) return z.literal(literal.text);
      if (ts.isNumericLiteral(literal)) return z.literal(Number(literal.text));
      if (ts.isPrefixUnaryExpression(literal) && ts.isNumericLiteral(literal.operand))
        return z.literal(-Number(literal.operand.text));
    }
    if (ts.isTypeLiteralNode(node)) return z.object(shapeOf(node.members));
    if (ts.isTypeReferenceNode(node)) {
      const name = node.typeName.getText(source);
      const args = node.typeArguments ?? [];
      if (name === 'Record' && args[1]) return z.record(z.string(), toSchema(args[1]));
      if (name === 'Array' && args[0]) return z.array(toSchema(args[0]));
      const schema = componentSchemas[`${name}Schema`];
      if (schema) return schema;
      unresolved.add(name);
      return z.unknown();
    }
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return z.string();
      case ts.SyntaxKind.NumberKeyword:
        return z.number();
      case ts.SyntaxKind.BooleanKeyword:
        return z.boolean();
      case ts.SyntaxKind.NullKeyword:
        return z.null();
      case ts.SyntaxKind.NeverKeyword:
        return z.never();
      default:
        return z.unknown();
    }
  };

  const shapeOf = (members: ts.NodeArray<ts.TypeElement>): Record<string, Schema> => {
    const shape: Record<string, Schema> = {};
    for (const member of members) {
      if (!ts.isPropertySignature(member) || !member.type) continue;
      const schema = toSchema(member.type);
      shape[propertyName(member.name)] = member.questionToken ? z.optional(schema) : schema;
    }
    return shape;
  };

  const operations = new Map<string, SpecOperation>();
  for (const pathMember of paths.members) {
    if (!ts.isPropertySignature(pathMember) || !pathMember.type || !ts.isTypeLiteralNode(pathMember.type))
      continue;
    const path = propertyName(pathMember.name);
    for (const methodMember of pathMember.type.members) {
      if (!ts.isPropertySignature(methodMember) || !methodMember.type) continue;
      if (!ts.isTypeLiteralNode(methodMember.type)) continue;
      const method = propertyName(methodMember.name).toUpperCase();
      const part = (name: string) =>
        methodMember.type && ts.isTypeLiteralNode(methodMember.type)
          ? methodMember.type.members.find(
              (member): member is ts.PropertySignature =>
                ts.isPropertySignature(member) && propertyName(member.name) === name,
            )
          : undefined;
      const query = new Map<string, { schema: Schema; required: boolean }>();
      const parameters = part('parameters')?.type;
      if (parameters && ts.isTypeLiteralNode(parameters)) {
        const queryType = parameters.members.find(
          (member): member is ts.PropertySignature =>
            ts.isPropertySignature(member) && propertyName(member.name) === 'query',
        )?.type;
        if (queryType && ts.isTypeLiteralNode(queryType)) {
          for (const parameter of queryType.members) {
            if (!ts.isPropertySignature(parameter) || !parameter.type) continue;
            query.set(propertyName(parameter.name), {
              schema: toSchema(parameter.type),
              required: !parameter.questionToken,
            });
          }
        }
      }
      const requestType = part('requestBody')?.type;
      const request =
        !requestType || requestType.kind === ts.SyntaxKind.UndefinedKeyword ? null : toSchema(requestType);
      const responses = new Map<string, Schema | null>();
      const responseTypes = part('responses')?.type;
      if (responseTypes && ts.isTypeLiteralNode(responseTypes)) {
        for (const response of responseTypes.members) {
          if (!ts.isPropertySignature(response) || !response.type) continue;
          const body = response.type.kind === ts.SyntaxKind.UnknownKeyword ? null : toSchema(response.type);
          responses.set(propertyName(response.name), body);
        }
      }
      operations.set(templateKey(method, path), { method, path, query, request, responses });
    }
  }
  return {
    operations,
    unresolved,
    find: (method, path) => operations.get(templateKey(method, path)),
  };
}

function propertyName(name: ts.PropertyName): string {
  return ts.isStringLiteral(name) || ts.isIdentifier(name) || ts.isNumericLiteral(name)
    ? name.text
    : name.getText();
}
