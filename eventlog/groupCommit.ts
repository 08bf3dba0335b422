/**
 * Group commit: the requests made during one event-loop turn are written by one transaction, so they share
 * one commit, and one fsync, instead of paying for one each. Requests are committed in the order they were
 * made, at most `maxGroup` per transaction; the rest go to the next turn.
 */
export class GroupCommit<Request, Result> {
  private readonly queue: { request: Request; resolve: (result: Result) => void; reject: (error: unknown) => void }[] = []
  private scheduled = false

  /** `commit` writes its requests in one transaction and returns each one's outcome, in order; when it throws,
   *  the transaction failed and every request of the group fails with that error. */
  constructor(
    private readonly commit: (requests: Request[]) => PromiseSettledResult<Result>[],
    private readonly maxGroup: number,
  ) {}

  /** Settles once the transaction holding the request has committed. */
  submit(request: Request): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject })
      this.schedule()
    })
  }

  /** Commits every queued request now, group by group. */
  flush(): void {
    while (this.queue.length > 0) this.commitGroup()
  }

  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      if (this.queue.length === 0) return // flushed meanwhile
      this.commitGroup()
      if (this.queue.length > 0) this.schedule()
    })
  }

  private commitGroup(): void {
    const group = this.queue.splice(0, this.maxGroup)
    let outcomes: PromiseSettledResult<Result>[]
    try {
      outcomes = this.commit(group.map(pending => pending.request))
    } catch (error) {
      for (const pending of group) pending.reject(error)
      return
    }
    for (const [index, pending] of group.entries()) {
      const outcome = outcomes[index]!
      if (outcome.status === 'fulfilled') pending.resolve(outcome.value)
      else pending.reject(outcome.reason)
    }
  }
}
