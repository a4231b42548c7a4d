import { safeJsonStringify } from './safeJson.js'

/** One record as the `text` format renders it. */
export interface TextRecord {
  /** Epoch milliseconds. */
  readonly time: number
  /** Level label, rendered upper-case. */
  readonly level: string
  /** Rendered inside `[ ]`. */
  readonly domain: string
  readonly message: string
  /** Rendered as compact JSON; omitted when undefined or empty. */
  readonly fields?: Record<string, unknown> | undefined
  /** An error stack, rendered on indented continuation lines. */
  readonly stack?: string | undefined
}

// C0 controls, DEL, C1 controls and the two JS/Unicode line terminators. NEL (0x85) is C1.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_ALL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g
const STACK_LINE_BREAK = /\r\n|\n|\r/
const INDENT = '    '

/**
 * Escapes every character that could forge a log record or drive a terminal:
 * `\n` → `\\n`, `\r` → `\\r`, `\t` → `\\t`; other C0 controls, DEL (0x7f) and C1 controls
 * (0x80-0x9f) → `\\xHH`; U+2028/U+2029 → `\\u2028`/`\\u2029`. ESC therefore becomes `\\x1b`,
 * so ANSI sequences cannot recolor a terminal. Everything else, backslashes included, is
 * unchanged.
 *
 * @param text - untrusted text
 * @returns `text` itself when nothing needs escaping, else the escaped copy
 *
 * @example
 * ```ts
 * escapeControl('a\nb\u001b[31m') // 'a\\nb\\x1b[31m'
 * ```
 */
export function escapeControl(text: string): string {
  return CONTROL.test(text) ? text.replace(CONTROL_ALL, escapeChar) : text
}

function escapeChar(char: string): string {
  if (char === '\n') return '\\n'
  if (char === '\r') return '\\r'
  if (char === '\t') return '\\t'
  const code = char.charCodeAt(0)
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`
}

/**
 * Renders one record of the `text` format:
 * `<timestamp> <LEVEL> [<domain>] <message> <fields as JSON>` and `\n`, followed by the stack
 * (if any) on continuation lines indented by four spaces. An empty message or absent fields
 * leave no stray space. All user text is passed through {@link escapeControl}, so a record is
 * always exactly one unindented line plus its indented stack lines.
 *
 * @param record - the record to render
 * @param timestamp - compiled timestamp formatter, `(epochMs) => string`
 * @returns the rendered record, ending in `'\n'`
 *
 * @example
 * ```ts
 * renderTextRecord(
 *   { time: 0, level: 'warn', domain: 'db', message: 'slow query', fields: { ms: 812 } },
 *   (t) => new Date(t).toISOString(),
 * ) // '1970-01-01T00:00:00.000Z WARN [db] slow query {"ms":812}\n'
 * ```
 */
export function renderTextRecord(record: TextRecord, timestamp: (t: number) => string): string {
  // JSON already escapes \n and friends, but leaves DEL, C1 and U+2028/2029 raw: escaped by renderTextLine.
  const json = record.fields === undefined ? '' : safeJsonStringify(record.fields)
  let out = renderTextLine(
    timestamp(record.time),
    record.level,
    record.domain,
    record.message,
    json === '{}' ? '' : json,
  )
  if (record.stack) out += renderStack(record.stack)
  return out
}

/**
 * The first line of a `text` record, `\n` included, from its parts: `fields` is the JSON text of the fields,
 * '' for none. What {@link renderTextRecord} writes for a record without a stack; transports that read the fields'
 * JSON text straight from a line call it to skip parsing and stringifying them.
 *
 * @example
 * ```ts
 * renderTextLine('14:00:00', 'warn', 'db', 'slow query', '{"ms":812}') // '14:00:00 WARN [db] slow query {"ms":812}\n'
 * ```
 */
export function renderTextLine(
  timestamp: string,
  level: string,
  domain: string,
  message: string,
  fields: string,
): string {
  // The timestamp is escaped too: a strftime pattern may contain %n or %t.
  let out = `${escapeControl(timestamp)} ${escapeControl(level.toUpperCase())} [${escapeControl(domain)}]`
  if (message !== '') out += ` ${escapeControl(message)}`
  if (fields !== '') out += ` ${escapeControl(fields)}`
  return `${out}\n`
}

/** Stack lines as continuation lines; trailing empty lines are dropped. */
function renderStack(stack: string): string {
  const lines = stack.split(STACK_LINE_BREAK)
  let end = lines.length
  while (end > 0 && lines[end - 1] === '') end--
  let out = ''
  for (let i = 0; i < end; i++) out += `${INDENT}${escapeControl(lines[i]!)}\n`
  return out
}
