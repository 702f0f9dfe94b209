// What an admin may ask of a fine-tune, checked before anything is queued. Pure: tested by tables.
import { z } from "zod";
import { WORDS } from "../../game/words";

export const FINETUNE_LIMITS = { minSteps: 1, maxSteps: 5000, minLearningRate: 1e-6, maxLearningRate: 1e-2 } as const;
/** Lower than pretraining's 5e-4: a fine-tune nudges the weights, it must not unlearn them. */
export const DEFAULT_FINETUNE = { steps: 200, learningRate: 1e-4 } as const;

const KNOWN = new Set(WORDS.map((w) => w.word));

export const FinetuneRequest = z.object({
  steps: z.number().int("steps must be a whole number").min(FINETUNE_LIMITS.minSteps).max(FINETUNE_LIMITS.maxSteps).default(DEFAULT_FINETUNE.steps),
  learningRate: z.number().min(FINETUNE_LIMITS.minLearningRate).max(FINETUNE_LIMITS.maxLearningRate).default(DEFAULT_FINETUNE.learningRate),
  /** Empty or absent: every category with doodles. */
  categories: z.array(z.string().max(64)).max(KNOWN.size).default([]),
}).strict();

export type FinetuneParams = z.output<typeof FinetuneRequest>;

export type Parsed = { ok: true; params: FinetuneParams } | { ok: false; error: string };

/** Parses a trigger's JSON body; errors are sentences an admin can act on. */
export function parseFinetuneRequest(body: unknown): Parsed {
  const parsed = FinetuneRequest.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join(".") || "request";
    const bounds: Record<string, string> = {
      steps: `a whole number from ${FINETUNE_LIMITS.minSteps} to ${FINETUNE_LIMITS.maxSteps}`,
      learningRate: `a number from ${FINETUNE_LIMITS.minLearningRate} to ${FINETUNE_LIMITS.maxLearningRate}`,
    };
    const want = bounds[String(issue.path[0])];
    return { ok: false, error: want ? `${field} must be ${want}.` : `${field}: ${issue.message}.` };
  }
  const unknown = parsed.data.categories.filter((c) => !KNOWN.has(c));
  if (unknown.length) return { ok: false, error: `Unknown categor${unknown.length > 1 ? "ies" : "y"}: ${unknown.slice(0, 5).join(", ")}.` };
  return { ok: true, params: { ...parsed.data, categories: [...new Set(parsed.data.categories)].sort() } };
}
