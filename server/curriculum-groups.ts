/**
 * Assembling GRPO groups from per-sample reports. Engines call the env once per sample (verl's
 * agent loop shares a `uid` across a group; TRL returns one completion per input), so the server
 * collects a group's samples until the group size is reached, and a lease bounds how long a lost
 * sample can hold a group open: at expiry the group is scored with what arrived (missing samples
 * count as infrastructure failures, null quality).
 */
import type { Message, Trace } from '../core/types.js';
import type { EpisodeStart } from '../curriculum/episode-start.js';
import type { OpenAITool } from '../envs/bfcl/openai-tools.js';
import { HttpError } from './errors.js';

export interface Sample {
  quality: number | null;
  trace: Trace | null;
}

/** A start handed out by `next`, waiting for its rollouts. Plain JSON (saved as it is). */
export interface OpenGroup {
  id: string;
  key?: string;
  episode: EpisodeStart;
  observation: Message[];
  tools?: OpenAITool[];
  leaseExpiresAt: number;
  /** Fixed by the first per-sample report. */
  groupSize?: number;
  /** Reported samples by sample id, in arrival order. */
  samples: [string, Sample][];
}

/** What is kept of a finished group, so late or retried reports get a clear answer. */
export interface ClosedGroup {
  id: string;
  key?: string;
  groupSize: number;
  received: number;
  score: number | null;
  expired: boolean;
  sampleIds: string[];
}

/** The item `next` returns for a group. */
export function startItem(g: OpenGroup): Record<string, unknown> {
  return {
    group: g.id,
    ...(g.key === undefined ? {} : { groupKey: g.key }),
    start: g.episode.start,
    observation: g.observation,
    ...(g.tools ? { tools: g.tools } : {}),
    source: g.episode.source,
    leaseExpiresAt: g.leaseExpiresAt,
  };
}

/**
 * Adds one sample to an open group. Returns true when the group is now complete. A sample id seen
 * before is a retry and changes nothing.
 */
export function addSample(g: OpenGroup, sampleId: string, sample: Sample, groupSize: number): boolean {
  if (g.groupSize === undefined) g.groupSize = groupSize;
  else if (g.groupSize !== groupSize) {
    throw new HttpError(409, 'group_size', `group "${g.id}": this report says groupSize ${groupSize}, earlier reports said ${g.groupSize}; every sample of a group must give the same size.`);
  }
  if (!g.samples.some(([id]) => id === sampleId)) g.samples.push([sampleId, sample]);
  return g.samples.length >= g.groupSize;
}

/** The group's qualities and traces in arrival order, padded with nulls up to the group size (lost samples). */
export function groupOutcome(g: OpenGroup): { qualities: (number | null)[]; traces: (Trace | null)[] } {
  const size = Math.max(g.groupSize ?? g.samples.length, g.samples.length);
  const qualities: (number | null)[] = g.samples.map(([, s]) => s.quality);
  const traces: (Trace | null)[] = g.samples.map(([, s]) => s.trace);
  while (qualities.length < size) {
    qualities.push(null);
    traces.push(null);
  }
  return { qualities, traces };
}

/** The answer to a report on a group that is already closed: the same status for a retried sample, 410 for a new one. */
export function closedReply(c: ClosedGroup, sampleId: string | undefined): { complete: true; received: number; groupSize: number; score: number | null } {
  if (sampleId !== undefined && !c.sampleIds.includes(sampleId)) {
    const why = c.expired ? 'its lease expired and it was scored with the samples that had arrived' : 'it already received all its samples';
    throw new HttpError(410, 'group_closed', `group "${c.id}" is closed (${why}); this sample is not counted. Draw a new start with next.`);
  }
  if (sampleId === undefined) {
    throw new HttpError(409, 'group_closed', `group "${c.id}" was already reported (${c.received} of ${c.groupSize} samples); a group is reported once.`);
  }
  return { complete: true, received: c.received, groupSize: c.groupSize, score: c.score };
}
