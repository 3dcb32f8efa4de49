// The public surface of the release review (to be exported from lib/index.ts).
export { ChangeSeverity, ChangeType, DiffOptions, FieldChange, Finding, ObjectChange, ReviewReport, ReviewSummary, RuleInfo } from './types';
export { ReleaseReview } from './release-review';
export { TopologyEdge, TopologyGraph, TopologyNode } from './topology-graph';
