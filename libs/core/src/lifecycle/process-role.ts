/**
 * What kind of process the composition root built: the long-running service, which keeps background
 * activity going (delivery workers, LISTEN connections), or a one-shot command (the CLI), which runs
 * use cases and exits and starts none of it. Provided by `CoreModule.forRoot`.
 */
export class ProcessRole {
  private constructor(readonly longRunning: boolean) {}

  static readonly service = new ProcessRole(true);
  static readonly command = new ProcessRole(false);
}
