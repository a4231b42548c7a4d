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
    const shown =
      typeof domain === 'string'
        ? `'${domain.length > 80 ? `${domain.slice(0, 77)}...` : domain}'`
        : String(domain)
    super(`loglanes: ${shown} is not a declared domain; declared domains: ${domains.join(', ')}`)
    this.name = 'UnknownDomainError'
    this.domain = String(domain)
    this.domains = domains
  }
}
