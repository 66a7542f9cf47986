// Mask obligations as a decision carries them, and what a masker reports back for the audit record.

export const DETECTOR_NAMES = [
  'email', 'payment_card', 'us_ssn', 'iban', 'aws_access_key', 'jwt', 'private_key', 'bearer_token',
] as const;
export type DetectorName = (typeof DETECTOR_NAMES)[number];

export interface ColumnTarget {
  kind: 'column';
  /** Canonical table name, schema-qualified or not: "public.people", "people", "\"People\"". */
  table: string;
  /** Column name; "*" masks every column of the table. */
  column: string;
}
export interface JsonPathTarget {
  kind: 'jsonpath';
  /** A JSONPath (jsonpath-plus syntax) starting at "$". */
  path: string;
}
export interface DetectorTarget {
  kind: 'detector';
  detector: DetectorName | 'all';
}
export type MaskTarget = ColumnTarget | JsonPathTarget | DetectorTarget;

export interface RedactStrategy { kind: 'redact'; replacement?: string }
export interface PartialStrategy { kind: 'partial'; keepLast: number }
/** Keyed HMAC-SHA256; `key` names one of the keys the caller supplies (default "default"). */
export interface HashStrategy { kind: 'hash'; key?: string }
export interface NullStrategy { kind: 'null' }
export type MaskStrategy = RedactStrategy | PartialStrategy | HashStrategy | NullStrategy;

export interface MaskSpec {
  target: MaskTarget;
  strategy: MaskStrategy;
}

/** HMAC keys by id. Key material never appears in reports, errors or output. */
export type HashKeys = Readonly<Record<string, string | Uint8Array>>;

export interface MaskOptions {
  hashKeys?: HashKeys;
}

/** One output column's lineage, as the SQL action document gives it (SqlLineage is assignable). */
export interface ColumnLineage {
  name: string;
  source: { table: string; column: string } | 'unknown';
  candidates?: ReadonlyArray<{ table: string; column: string }>;
}

export type FailClosedReason = 'candidates' | 'star' | 'name';

export interface FailClosedColumn {
  /** Output column position and name. */
  index: number;
  column: string;
  /** candidates: lineage unknown but a candidate is masked; star: inside a `*` expansion, matched
   *  by name; name: lineage unknown without candidates, matched by name. */
  reason: FailClosedReason;
  targets: string[];
}

/** What a masker did, without any value. Target labels: "column:people.ssn", "jsonpath:$.a",
 *  "detector:email" (detectors are reported by the detector that fired, never "all"). */
export interface MaskReport {
  /** Values (cells, JSON nodes, text spans) masked, per target label. */
  counts: Record<string, number>;
  /** SQL output columns masked although their lineage did not name a masked column directly. */
  failClosed: FailClosedColumn[];
  /** Targets that do not apply to this kind of content (e.g. a column target on free text). */
  inapplicable: string[];
}
