/** MLE-bench grading in TypeScript: metrics, validation, medals, normalised quality. */
export { gradeSubmission, parseAnswers, type GradeReport, type GradeOptions } from './grade.js';
export { medalFor, type Medal, type MedalFlags } from './medals.js';
export { rocAuc, multiclassLogLoss, rmsle, roundScore, FLOAT64_EPS, MetricError } from './metrics.js';
export { parseTable, toNumber, type Table } from './table.js';
export { scoreSubmission, type GradeErrorKind, type ScoreOutcome } from './validate.js';
