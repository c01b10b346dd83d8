/**
 * The self-iteration prompts, exact text from the paper's Appendix B. A domain with its own
 * template (MLE-bench) builds its prompt itself.
 */
import type { IterationMode } from '../core/start-state.js';

/** What a self-iteration prompt is built from. */
export interface IterationPromptInput {
  /** The original request (the task text, or the user turn being iterated). */
  instruction: string;
  /** The latest iterate's response, as text. */
  previousResponse: string;
}

export function improvePrompt({ instruction, previousResponse }: IterationPromptInput): string {
  return `Improve your current response to this request:\n\n## Request:\n${instruction}\n\n## Current response:\n${previousResponse}`;
}

export function divergePrompt({ instruction, previousResponse }: IterationPromptInput): string {
  return (
    'Consider your current response to this request, and provide another response that takes an approach that ' +
    'SIGNIFICANTLY DIFFERS from the approach of the current response.\n\n' +
    `## Request:\n${instruction}\n\n## Current response:\n${previousResponse}\n\n` +
    '## Your new response format:\n' +
    '- First, provide a brief summary of the approach in the current response above.\n' +
    '- Next, state a meaningfully different approach that can be taken instead.\n' +
    '- Finally, provide your new response using this different approach.'
  );
}

/** The prompt for an improve or diverge step. */
export function iterationPrompt(mode: IterationMode, input: IterationPromptInput): string {
  return mode === 'improve' ? improvePrompt(input) : divergePrompt(input);
}
