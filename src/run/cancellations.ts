// Cancel switches of the runs executing in this process: the API flips one, the run's steps see the signal.

export class Cancellations {
  readonly #controllers = new Map<number, AbortController>();

  register(runId: number): AbortSignal {
    const controller = new AbortController();
    this.#controllers.set(runId, controller);
    return controller.signal;
  }

  release(runId: number): void {
    this.#controllers.delete(runId);
  }

  /** True if the run was executing here and is now being cancelled. */
  cancel(runId: number): boolean {
    const controller = this.#controllers.get(runId);
    if (!controller) return false;
    controller.abort(new Error('cancelled by the user'));
    return true;
  }
}
