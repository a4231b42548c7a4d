import { escapeControl, safeJsonStringify } from '@loglanes/core'
import { LEVEL_COLORS } from '../consoleColors.js'
import type { LaneRecord } from './laneRecord.js'

const PINO_LABELS: Readonly<Record<number, string>> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
}
const ANSI_CODES: Readonly<Record<string, number>> = {
  gray: 90,
  blue: 34,
  green: 32,
  yellow: 33,
  red: 31,
  magenta: 35,
}
/** Fields shown in the head of a line rather than among the other fields. */
const HEAD_FIELDS = new Set(['level', 'time', 'timestamp', 'msg', 'message', 'domain'])
// The level word of a text-format record: `<timestamp> <LEVEL> [<domain>]`, whatever the timestamp looks like.
const TEXT_LEVEL = / ([A-Za-z][\w-]*) \[/
const INDENT = '    '
const LINE_BREAK = /\r\n|\n|\r/

/** The level label of a JSON record: pino's numbers by name (`level-35` when unnamed), winston's as written. */
export function levelLabel(level: unknown): string {
  if (typeof level === 'number') return PINO_LABELS[level] ?? `level-${level}`
  return typeof level === 'string' ? level.toLowerCase() : ''
}

/** The level label of a record, lower case: its JSON `level`, or the level word of a text-format line. */
export function recordLevel(record: LaneRecord): string {
  if (record.json !== undefined) return levelLabel(record.json.level)
  const newline = record.text.indexOf('\n')
  const level = TEXT_LEVEL.exec(newline === -1 ? record.text : record.text.slice(0, newline))
  return level === null ? '' : level[1]!.toLowerCase()
}

/** `2026-11-20 14:00:00.123` in the local time zone (`TZ`). */
export function formatLocalTime(time: number): string {
  const date = new Date(time)
  const pad = (value: number, width = 2) => String(value).padStart(width, '0')
  return (
    `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`
  )
}

function paint(text: string, label: string, colors: boolean): string {
  if (!colors) return text
  const color = (LEVEL_COLORS as Readonly<Record<string, string>>)[label]
  return color === undefined ? text : `\u001b[${ANSI_CODES[color]}m${text}\u001b[39m`
}

function stackLines(stack: string): string {
  let out = ''
  for (const line of stack.split(LINE_BREAK)) if (line !== '') out += `\n${INDENT}${escapeControl(line)}`
  return out
}

/** Splits the fields shown after the message from an error stack, which goes on the lines below. */
function fieldsAndStack(json: Record<string, unknown>): { fields: Record<string, unknown>; stack: string } {
  const fields: Record<string, unknown> = {}
  let stack = typeof json.stack === 'string' ? json.stack : ''
  for (const [key, value] of Object.entries(json)) {
    if (HEAD_FIELDS.has(key) || (key === 'stack' && typeof value === 'string')) continue
    if (
      stack === '' &&
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { stack?: unknown }).stack === 'string'
    ) {
      // pino's serialized error (`err`): its stack below, its other properties inline.
      const { stack: errorStack, ...rest } = value as { stack: string }
      stack = errorStack
      fields[key] = rest
    } else fields[key] = value
  }
  return { fields, stack }
}

function renderJson(json: Record<string, unknown>, record: LaneRecord, colors: boolean): string {
  const label = levelLabel(json.level)
  let out = record.timed ? formatLocalTime(record.time) : '-'
  out += ` ${paint(escapeControl(label.toUpperCase().padEnd(5)), label, colors)}`
  if (typeof json.domain === 'string') out += ` [${escapeControl(json.domain)}]`
  const message = json.msg ?? json.message
  if (message !== undefined && message !== '') {
    out += ` ${escapeControl(typeof message === 'string' ? message : safeJsonStringify(message))}`
  }
  const { fields, stack } = fieldsAndStack(json)
  const rendered = safeJsonStringify(fields)
  if (rendered !== '{}') out += ` ${escapeControl(rendered)}`
  return out + stackLines(stack)
}

/** A text-format record as written, with its level word colored: `<timestamp> <LEVEL> [<domain>] ...`. */
function renderText(text: string, colors: boolean): string {
  const safe = text
    .split('\n')
    .map((line) => escapeControl(line))
    .join('\n')
  if (!colors) return safe
  const newline = safe.indexOf('\n')
  const level = TEXT_LEVEL.exec(newline === -1 ? safe : safe.slice(0, newline))
  if (!level) return safe
  const start = level.index + 1
  const word = level[1]!
  return safe.slice(0, start) + paint(word, word.toLowerCase(), colors) + safe.slice(start + word.length)
}

/**
 * One record as a readable line: `2026-11-20 14:00:00.123 ERROR [db] message {"fields":1}` in local time, with an
 * error stack on the indented lines below; a text-format record as written. The level label is colored when
 * `colors` is set (debug blue, info green, warn yellow, error red, fatal magenta). Control characters in the
 * record are escaped, so a log line cannot drive the terminal. No final newline.
 *
 * @example
 * ```ts
 * renderRecord(record, false) // '2026-11-20 14:00:00.123 ERROR [db] connection lost {"code":"ECONNRESET"}'
 * ```
 */
export function renderRecord(record: LaneRecord, colors: boolean): string {
  return record.json === undefined ? renderText(record.text, colors) : renderJson(record.json, record, colors)
}
