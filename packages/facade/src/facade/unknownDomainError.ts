/**
 * Thrown by `log.get(name)` for a name that is not a declared domain; the message lists the declared ones.
 *
 * @example
 * ```ts
 * try {
 *   log.get(userInput as never)
 * } catch (err) {
 *   if (err instanceof UnknownDomainError) console.error(err.domains)
 * }
 * ```
 */
export class UnknownDomainError extends Error {
  /** The name asked for. */
  readonly domain: string
  /** The declared domains. */
  readonly domains: readonly string[]

  constructor(domain: unknown, domains: readonly string[]) {
    const name = nameOf(domain)
    const shown =
      typeof domain === 'string' ? `'${name.length > 80 ? `${name.slice(0, 77)}...` : name}'` : name
    super(`loglanes: ${shown} is not a declared domain; declared domains: ${domains.join(', ')}`)
    this.name = 'UnknownDomainError'
    this.domain = name
    this.domains = domains
  }
}

/**
 * The name asked for as a string, even for a value whose conversion throws (an object whose `toString` is not a
 * function, a null prototype, a revoked proxy): then its tag, so the caller gets this error and not a TypeError.
 */
function nameOf(domain: unknown): string {
  try {
    return String(domain)
  } catch {
    try {
      return Object.prototype.toString.call(domain)
    } catch {
      // A revoked proxy has no tag either.
      return '[object Object]'
    }
  }
}
