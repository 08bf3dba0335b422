/**
 * Refusals a rule can give. The HTTP edge maps each kind to its status code:
 * NotFound 404, Forbidden 403, Conflict 409, RuleViolated 422.
 */
export abstract class DomainError extends Error {
  abstract readonly kind: 'not_found' | 'forbidden' | 'conflict' | 'rule_violated'
  constructor(message: string) {
    super(message)
    this.name = new.target.name
  }
}

export class NotFound extends DomainError {
  readonly kind = 'not_found'
}

export class Forbidden extends DomainError {
  readonly kind = 'forbidden'
}

export class Conflict extends DomainError {
  readonly kind = 'conflict'
}

export class RuleViolated extends DomainError {
  readonly kind = 'rule_violated'
}
