// The engine layer: policy input and decision contracts, and the Engine that decides.
export { Engine, EngineInitError, DEFAULT_ENTRYPOINT, type EngineOptions, type ReloadEvent, type Who } from './engine.ts';
export { denied, checkInput, ENGINE_RULE } from './decision.ts';
export {
  DECISION_SCHEMA, DECISION_VERSION, INPUT_SCHEMA, INPUT_VERSION,
  type Decision, type Diagnostics, type PolicyInput, type Identity, type Connection, type Context,
  type Reason, type ApprovalObligation, type RecordLevel, type EngineError, type EngineErrorCode, type Approval,
} from './schema.ts';
export type { CompileWhere, PolicySource } from '../policy/load.ts';
export type { EvaluatorMode } from '../policy/evaluator.ts';
