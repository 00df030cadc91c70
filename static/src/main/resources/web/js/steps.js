// "Step N of M" for a queue item's progress. InvokeAI's invocation_progress event carries the share of
// denoising done (percentage), not the step; M is the number of steps the person asked for (the graph's
// denoise_latents steps, over the part of the schedule it runs: image to image starts part-way), and N
// that share of it. The Generate page knows M for what it queued; anything else is read from the item once.

import { api } from './api.js';

const totals = new Map(); // item id → Promise of M (null when the item has no denoising step count)

/** M for a graph InvokeAI's way: denoise_latents.steps × (denoising_end − denoising_start). */
export function stepsOf(graph) {
  const denoise = Object.values((graph && graph.nodes) || {}).find(node => node.type === 'denoise_latents');
  if (!denoise || !Number.isFinite(Number(denoise.steps))) return null;
  const start = Number(denoise.denoising_start ?? 0);
  const end = Number(denoise.denoising_end ?? 1);
  return Math.max(1, Math.round(Number(denoise.steps) * (end - start)));
}

/** Records M for an item this page queued (its graph is at hand). */
export function knowSteps(itemId, graph) {
  totals.set(itemId, Promise.resolve(stepsOf(graph)));
}

/** M for any item one may read, fetched once. */
export function totalSteps(itemId) {
  if (!totals.has(itemId)) {
    totals.set(itemId, api(`api/v1/queue/default/i/${itemId}`)
      .then(item => stepsOf(item.session && item.session.graph))
      .catch(() => null));
  }
  return totals.get(itemId);
}

/** "Step N of M" for a share done (a number, 0..1), or a plain percentage when M is unknown. */
export function stepText(percentage, total) {
  if (!total) return `${Math.round(percentage * 100)} %`;
  const step = Math.min(total, Math.max(1, Math.round(percentage * total)));
  return `Step ${step} of ${total}`;
}
