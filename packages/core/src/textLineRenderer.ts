import { escapeControl } from './textFormat.js'

/** (level, domain) pairs whose rendered head is kept: beyond this a head is rendered per record. */
const MAX_HEADS = 1024

/**
 * Renders the first line of `text` records as {@link renderTextLine} does, for a transport that routes many of
 * them: what repeats from record to record is rendered once and kept (the timestamp of the last millisecond seen,
 * the ` LEVEL [domain]` of each level and domain), so a record costs little more than its own message and fields.
 *
 * @example
 * ```ts
 * const renderer = new TextLineRenderer((t) => new Date(t).toISOString())
 * renderer.render(0, 'warn', 'db', 'slow query', '{"ms":812}', false)
 * // '1970-01-01T00:00:00.000Z WARN [db] slow query {"ms":812}\n'
 * ```
 */
export class TextLineRenderer {
  private stampTime = Number.NaN
  private stampText = ''
  private readonly heads = new Map<string, Map<string, string>>()
  private headCount = 0

  constructor(private readonly timestamp: (t: number) => string) {}

  /**
   * @param fields - the fields' JSON text, `''` for none
   * @param clean - `message` and `fields` hold no character {@link escapeControl} changes (the caller checked)
   */
  render(
    time: number,
    level: string,
    domain: string,
    message: string,
    fields: string,
    clean: boolean,
  ): string {
    if (time !== this.stampTime) {
      // The timestamp is escaped too: a strftime pattern may contain %n or %t.
      this.stampText = escapeControl(this.timestamp(time))
      this.stampTime = time
    }
    let out = this.stampText + this.head(level, domain)
    if (message !== '') out += ` ${clean ? message : escapeControl(message)}`
    if (fields !== '') out += ` ${clean ? fields : escapeControl(fields)}`
    return `${out}\n`
  }

  private head(level: string, domain: string): string {
    let byDomain = this.heads.get(level)
    const known = byDomain?.get(domain)
    if (known !== undefined) return known
    const head = ` ${escapeControl(level.toUpperCase())} [${escapeControl(domain)}]`
    if (this.headCount < MAX_HEADS) {
      if (byDomain === undefined) {
        byDomain = new Map()
        this.heads.set(level, byDomain)
      }
      byDomain.set(domain, head)
      this.headCount++
    }
    return head
  }
}
