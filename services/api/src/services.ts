/**
 * Services the API calls but does not implement: the import engine and the identifier allocator.
 * They are injected into `buildApp`; a route that needs a missing one answers 503
 * (API_ERR_SERVICE_UNAVAILABLE).
 */

export interface ImportSubmission {
  /** Files saved to a temporary folder, removed when `submit` settles (copy what you keep). */
  readonly paths: readonly string[];
  /** Plan only: nothing is written to the directory. */
  readonly dryRun: boolean;
  /** `key:<id>` of the API key that uploaded. */
  readonly actor: string;
  /**
   * The key's establishments (`uais: null` = academy-wide). A scoped key may not upload a
   * complete; its records outside these establishments are rejected (OUT_OF_SCOPE).
   */
  readonly scope: { readonly uais: readonly string[] | null };
}

export interface PlanDecision {
  readonly importId: number;
  readonly uai: string;
  readonly decision: 'approve' | 'discard';
  readonly actor: string;
}

/** The import engine (packages/ingest), as the API sees it. */
export interface ImportService {
  /** Plans (and unless dry-run applies) a delivery; resolves to the engine's report (JSON). */
  submit(input: ImportSubmission): Promise<unknown>;
  /** Applies or discards an establishment plan held by the safety threshold; resolves to a report. */
  decide(input: PlanDecision): Promise<unknown>;
}

export interface IdentifierPreviewInput {
  readonly namespace: string;
  readonly givenName: string;
  readonly sn: string;
}

export interface IdentifierPreview {
  readonly namespace: string;
  /** The login a new person with these names would get now. */
  readonly value: string;
  /** The form before homonym numbering (`p.nom`, `pnom`). */
  readonly base: string;
  /** How many values were already handed out for this base. */
  readonly homonyms: number;
}

/** The identifier allocator (packages/identifiers), as the API sees it. */
export interface IdentifierService {
  preview(input: IdentifierPreviewInput): Promise<IdentifierPreview>;
}
