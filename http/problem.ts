/** An error a route throws to answer with a specific problem+json (RFC 9457); http/errors.ts renders it. */
export interface ProblemFieldError {
  path: string
  message: string
}

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: ProblemFieldError[],
    /** Extra response headers, e.g. retry-after on a 429. */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title)
    this.name = 'HttpProblem'
  }
}
