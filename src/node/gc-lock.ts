/**
 * Pins take the lock shared, garbage collection exclusive: a collection must never see
 * a DAG that is half-walked (its blocks present but its pin not yet recorded). Waiting
 * collections go first, so a stream of pins cannot starve one.
 */

type Release = () => void

interface Waiter {
  exclusive: boolean
  grant: () => void
}

export class GcLock {
  private readers = 0
  private writer = false
  private readonly waiting: Waiter[] = []

  shared(): Promise<Release> {
    return this.acquire(false)
  }

  exclusive(): Promise<Release> {
    return this.acquire(true)
  }

  private acquire(exclusive: boolean): Promise<Release> {
    return new Promise<Release>((resolve) => {
      this.waiting.push({ exclusive, grant: () => resolve(this.releaser(exclusive)) })
      this.drain()
    })
  }

  private releaser(exclusive: boolean): Release {
    let released = false
    return () => {
      if (released) return
      released = true
      if (exclusive) this.writer = false
      else this.readers--
      this.drain()
    }
  }

  private drain(): void {
    while (this.waiting.length > 0 && !this.writer) {
      const first = this.waiting[0] as Waiter
      if (first.exclusive) {
        if (this.readers > 0) return
        this.writer = true
      } else {
        this.readers++
      }
      this.waiting.shift()
      first.grant()
    }
  }
}
