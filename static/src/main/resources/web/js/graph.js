// The enqueue_batch body InvokeAI's web UI sends from its Generate tab for an SD1.5 model (invokeai-api-shapes.md
// §5.3), or for an SDXL model as its buildSDXLGraph makes it (sdxl_model_loader, sdxl_compel_prompt with the
// prompts also as style prompts, no clip_skip): node ids "<prefix>:<10-character nanoid>", every builder node
// intermediate and cached unless said otherwise, prompts and seeds through batch.data (one session per seed),
// origin and destination "generate". With an initial image, the image-to-image variant: i2l feeds
// denoise_latents, which starts at 1 − strength (an img_resize goes first when the image is not the requested size).
// With a mask too, inpainting as the canvas does it with "output the whole image": create_gradient_mask feeds
// denoise_latents.denoise_mask, and the decoded image is laid over the initial one (invokeai_img_blend) through
// expand_mask_with_fade, so that what the mask keeps (white) comes back unchanged. p.maskImage: an ImageDTO the
// initial image's size, or null.

// nanoid's URL-safe alphabet; 64 symbols, so a byte masked to 6 bits picks one uniformly.
const ALPHABET = 'useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict';

/** InvokeAI's seed bound (numpy's): seeds are 0 ≤ s < 4294967295 and wrap there. */
export const SEED_LIMIT = 4294967295;

export function nanoid(size = 10) {
  return Array.from(crypto.getRandomValues(new Uint8Array(size)), byte => ALPHABET[byte & 63]).join('');
}

export function randomSeed() {
  return crypto.getRandomValues(new Uint32Array(1))[0] % SEED_LIMIT;
}

/** One seed per image: start, start + 1, … wrapping at SEED_LIMIT, as the web UI does. */
export function seeds(start, count) {
  return Array.from({ length: count }, (_, i) => (start + i) % SEED_LIMIT);
}

/** InvokeAI's ModelIdentifierField of a model config. */
export function modelIdentifier(config) {
  return { key: config.key, hash: config.hash, name: config.name, base: config.base, type: config.type };
}

class GraphBuilder {
  constructor(prefix) {
    this.graph = { id: `${prefix}:${nanoid()}`, nodes: {}, edges: [] };
  }

  node(prefix, type, fields) {
    const id = `${prefix}:${nanoid()}`;
    this.graph.nodes[id] = { type, id, is_intermediate: true, use_cache: true, ...fields };
    return id;
  }

  edge(source, output, destination, input) {
    this.graph.edges.push({ source: { node_id: source, field: output }, destination: { node_id: destination, field: input } });
  }
}

/**
 * The request body for POST api/v1/queue/default/enqueue_batch. p: model (a model config), prompt,
 * negativePrompt, scheduler, steps, cfgScale, width, height, seed (the first), iterations, boardId (or
 * null), initImage (an ImageDTO, or null), strength and loras ([{model, weight}], may be empty).
 */
export function generateBatch(p) {
  const model = modelIdentifier(p.model);
  const sdxl = p.model.base === 'sdxl';
  const g = new GraphBuilder(sdxl ? 'sdxl_graph' : 'sd1_graph');
  const seed = g.node('seed', 'integer', {});
  const positive = g.node('positive_prompt', 'string', {});
  const negative = g.node('negative_prompt', 'string', {});
  const loader = sdxl
    ? g.node('sdxl_model_loader', 'sdxl_model_loader', { model })
    : g.node('sd1_model_loader', 'main_model_loader', { model });
  const clipSkip = sdxl ? null : g.node('clip_skip', 'clip_skip', { skipped_layers: 0 });
  const posCond = g.node('pos_cond', sdxl ? 'sdxl_compel_prompt' : 'compel', {});
  const negCond = g.node('neg_cond', sdxl ? 'sdxl_compel_prompt' : 'compel', {});
  const posCollect = g.node('pos_cond_collect', 'collect', {});
  const negCollect = g.node('neg_cond_collect', 'collect', {});
  const noise = g.node('noise', 'noise', { use_cpu: true, width: p.width, height: p.height });
  const denoise = g.node('denoise_latents', 'denoise_latents', {
    cfg_scale: p.cfgScale, cfg_rescale_multiplier: 0, scheduler: p.scheduler, steps: p.steps,
    denoising_start: p.initImage ? round(1 - p.strength) : 0, denoising_end: 1,
  });
  const inpaint = Boolean(p.initImage && p.maskImage);
  const saved = { is_intermediate: false, use_cache: false, ...(p.boardId ? { board: { board_id: p.boardId } } : {}) };
  const decode = inpaint ? g.node('l2i', 'l2i', { fp32: false }) : g.node('canvas_output', 'l2i', { fp32: false, ...saved });
  const output = inpaint ? g.node('canvas_output', 'invokeai_img_blend', saved) : decode;
  const metadata = g.node('core_metadata', 'core_metadata', {
    generation_mode: (sdxl ? 'sdxl_' : '') + (inpaint ? 'inpaint' : p.initImage ? 'img2img' : 'txt2img'),
    cfg_scale: p.cfgScale, cfg_rescale_multiplier: 0, model, steps: p.steps, rand_device: 'cpu',
    scheduler: p.scheduler, ...(sdxl ? {} : { clip_skip: 0 }), width: p.width, height: p.height,
    ...(p.initImage ? { strength: p.strength, init_image: p.initImage.image_name } : {}),
  });

  g.edge(loader, 'unet', denoise, 'unet');
  if (sdxl) {
    for (const cond of [posCond, negCond]) {
      g.edge(loader, 'clip', cond, 'clip');
      g.edge(loader, 'clip2', cond, 'clip2');
    }
    g.edge(positive, 'value', posCond, 'style');
    g.edge(negative, 'value', negCond, 'style');
  } else {
    g.edge(loader, 'clip', clipSkip, 'clip');
    g.edge(clipSkip, 'clip', posCond, 'clip');
    g.edge(clipSkip, 'clip', negCond, 'clip');
  }
  g.edge(positive, 'value', posCond, 'prompt');
  g.edge(negative, 'value', negCond, 'prompt');
  g.edge(posCond, 'conditioning', posCollect, 'item');
  g.edge(negCond, 'conditioning', negCollect, 'item');
  g.edge(posCollect, 'collection', denoise, 'positive_conditioning');
  g.edge(negCollect, 'collection', denoise, 'negative_conditioning');
  g.edge(seed, 'value', noise, 'seed');
  g.edge(noise, 'noise', denoise, 'noise');
  g.edge(denoise, 'latents', decode, 'latents');
  g.edge(loader, 'vae', decode, 'vae');
  g.edge(seed, 'value', metadata, 'seed');
  g.edge(positive, 'value', metadata, 'positive_prompt');
  g.edge(negative, 'value', metadata, 'negative_prompt');
  g.edge(metadata, 'metadata', output, 'metadata');

  if (p.loras && p.loras.length > 0) addLoras(g, p.loras, { sdxl, loader, clipSkip, denoise, conds: [posCond, negCond], metadata });

  if (p.initImage) {
    const image = { image_name: p.initImage.image_name };
    const sameSize = p.initImage.width === p.width && p.initImage.height === p.height;
    const i2l = g.node('i2l', 'i2l', { fp32: false, ...(sameSize ? { image } : {}) });
    const resize = sameSize ? null : g.node('initial_image_resize_in', 'img_resize', { image, width: p.width, height: p.height });
    if (resize) g.edge(resize, 'image', i2l, 'image');
    g.edge(loader, 'vae', i2l, 'vae');
    g.edge(i2l, 'latents', denoise, 'latents');
    if (inpaint) {
      const mask = { image_name: p.maskImage.image_name };
      const maskResize = sameSize ? null : g.node('mask_resize_in', 'img_resize', { image: mask, width: p.width, height: p.height });
      const gradient = g.node('create_gradient_mask', 'create_gradient_mask', {
        coherence_mode: 'Gaussian Blur', minimum_denoise: 0, edge_radius: 16, fp32: false,
        ...(sameSize ? { image, mask } : {}),
      });
      if (resize) {
        g.edge(resize, 'image', gradient, 'image');
        g.edge(maskResize, 'image', gradient, 'mask');
        g.edge(resize, 'image', output, 'layer_base');
      } else {
        g.graph.nodes[output].layer_base = image;
      }
      g.edge(loader, 'vae', gradient, 'vae');
      g.edge(loader, 'unet', gradient, 'unet');
      g.edge(gradient, 'denoise_mask', denoise, 'denoise_mask');
      const fade = g.node('expand_mask_with_fade', 'expand_mask_with_fade', { fade_size_px: 16 });
      g.edge(gradient, 'expanded_mask_area', fade, 'mask');
      g.edge(decode, 'image', output, 'layer_upper');
      g.edge(fade, 'image', output, 'mask');
    }
  }

  return {
    batch: {
      graph: g.graph,
      data: [
        [{ node_path: seed, field_name: 'value', items: seeds(p.seed, p.iterations) }],
        [{ node_path: positive, field_name: 'value', items: [p.prompt] },
          { node_path: negative, field_name: 'value', items: [p.negativePrompt] }],
      ],
      runs: 1,
      origin: 'generate',
      destination: 'generate',
    },
    prepend: false,
  };
}

/**
 * LoRAs as the web UI's addLoRAs/addSDXLLoRAs add them: a lora_selector per LoRA into a collect, into a
 * (sdxl_)lora_collection_loader that the UNet and CLIP(s) now pass through; the metadata lists them.
 */
function addLoras(g, loras, n) {
  const collector = g.node('lora_collector', 'collect', {});
  const loader = g.node(n.sdxl ? 'sdxl_lora_collection_loader' : 'lora_collection_loader',
    n.sdxl ? 'sdxl_lora_collection_loader' : 'lora_collection_loader', {});
  g.edge(collector, 'collection', loader, 'loras');
  const rerouted = n.sdxl ? ['clip', 'clip2'] : ['clip'];
  g.graph.edges = g.graph.edges.filter(edge => !(edge.destination.node_id === n.denoise && edge.destination.field === 'unet')
    && !(n.conds.includes(edge.destination.node_id) && rerouted.includes(edge.destination.field)));
  g.edge(n.loader, 'unet', loader, 'unet');
  g.edge(loader, 'unet', n.denoise, 'unet');
  for (const field of rerouted) {
    g.edge(n.sdxl ? n.loader : n.clipSkip, field, loader, field);
    for (const cond of n.conds) g.edge(loader, field, cond, field);
  }
  for (const lora of loras) {
    const selector = g.node('lora_selector', 'lora_selector', { lora: modelIdentifier(lora.model), weight: lora.weight });
    g.edge(selector, 'lora', collector, 'item');
  }
  g.graph.nodes[n.metadata].loras = loras.map(lora => ({ model: modelIdentifier(lora.model), weight: lora.weight }));
}

// 1 − 0.7 is 0.30000000000000004 in binary; send what a person would write.
function round(value) {
  return Math.round(value * 1000) / 1000;
}
