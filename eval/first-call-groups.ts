/**
 * The samples of one eval task start with the same question (the base task, asked with the same
 * seed), so it is asked once for all of them: one request for `samples` completions
 * (`PolicyClient.completeMany`: an OpenAI request with `n`, which vLLM and `exitgym serve-model`
 * answer as one group sharing the prompt's prefill; one batch for the local policy), and sample j
 * takes the j-th. A resumed run asks for all of them again and uses those it still needs, so its
 * answers are those of an uninterrupted run.
 */
import { ProviderError } from '../core/errors.js';
import { canonicalJson } from '../core/hash.js';
import { Rng } from '../core/rng.js';
import type { Completion, CompletionRequest, PolicyClient } from '../rollout/types.js';

interface Group {
  /** The request the group was asked with (canonical JSON). */
  request: string;
  answers: Promise<Completion[]>;
  /** Samples that took their answer. */
  taken: Set<number>;
}

export class FirstCallGroups {
  private readonly groups = new Map<string, Group>();

  constructor(
    private readonly client: PolicyClient,
    private readonly samples: number,
  ) {}

  /** The client sample `sample` of `taskId` asks its first question through. */
  clientFor(taskId: string, sample: number): PolicyClient {
    return { id: this.client.id, complete: (request) => this.take(taskId, sample, request) };
  }

  private many(request: CompletionRequest): Promise<Completion[]> {
    if (this.client.completeMany) return this.client.completeMany(request, this.samples);
    // A client that cannot ask for n: one request per sample, sample j seeded by fork(j).
    const root = Rng.fromSeed(request.seed ?? 0);
    return Promise.all(Array.from({ length: this.samples }, (_, j) => this.client.complete({ ...request, seed: root.fork(j).int(2_000_000_000) })));
  }

  private async take(taskId: string, sample: number, request: CompletionRequest): Promise<Completion> {
    const key = canonicalJson(request);
    let group = this.groups.get(taskId);
    if (group && group.request !== key) {
      // This sample's first question differs from the others' (an env whose prompt depends on
      // more than the task): nothing to share, so it is asked on its own, as sample j.
      return this.client.complete({ ...request, seed: Rng.fromSeed(request.seed ?? 0).fork(sample).int(2_000_000_000) });
    }
    if (!group) {
      group = { request: key, answers: this.many(request), taken: new Set() };
      this.groups.set(taskId, group);
    }
    group.taken.add(sample);
    if (group.taken.size === this.samples) this.groups.delete(taskId);
    const answers = await group.answers;
    const answer = answers[sample];
    if (!answer) throw new ProviderError(`${this.client.id} returned ${answers.length} completions for ${this.samples} samples of one question.`, { failure: 'garbage' });
    return answer;
  }
}
