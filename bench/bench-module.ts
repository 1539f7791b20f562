// The shape every benchmark module has, so `npm run bench` can run them all and print one JSON document.

export interface BenchModule {
  /** Key of this module's results in the printed document; `npm run bench -- <name>` runs only the named ones. */
  name: string;
  run(): Promise<Record<string, unknown>>;
}
