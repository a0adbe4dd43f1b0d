/**
 * The schedule-insertion corpus: realistic training scripts (test/codegen/corpus/<dir>), each
 * written after a public original in that project's own structure, and what inserting a
 * schedule into it must give. See corpus-harness.ts for how an entry is judged.
 */
import type { ScheduleSpec } from '../../src/core/schedules/index';

/** The spec's `totalSteps`: a placeholder the planner must replace by the file's own length. */
export const PLACEHOLDER_STEPS = 1000;

export interface CorpusRun {
  /** The script started (under the recorder), relative to the entry's folder. */
  script: string;
  args: string[];
  /** Python scripts run once in the copied folder before anything else (data preparation). */
  prepare?: string[];
  /** Folders the script expects to exist (the original repository has them). */
  dirs?: string[];
}

export interface ScheduledOptimizer {
  /** Position of the optimizer in creation order (the recorder numbers them from 0). */
  index: number;
  /** Its name in the script, for the table. */
  label: string;
}

export interface CorpusEntry {
  name: string;
  /** The public original the script follows. */
  follows: string;
  /** What the entry exercises, for the table. */
  pattern: string;
  /** Folder under test/codegen/corpus/. */
  dir: string;
  /** The file `lrscope snippet --into` transforms, relative to the folder. */
  into: string;
  /** Label → spec. Each is applied to a fresh copy of the folder. */
  specs: Record<string, ScheduleSpec>;
  /** Run with real torch under the recorder; absent for static-only entries. */
  run?: CorpusRun;
  /** Why the entry is static-only. */
  staticOnly?: string;
  /** Optimizers that must follow the spec, every step, over the steps the run takes. */
  scheduled: ScheduledOptimizer[];
  /**
   * Exit 2 is an acceptable outcome when stderr contains every one of these words
   * (case-insensitive): the planner refused and said what to change.
   */
  refusal?: { words: string[] };
  /** Only a refusal is right: there is nothing the schedule could be attached to. */
  mustRefuse?: boolean;
  /** static_check.py checks of the written file (static-only entries). */
  checks?: string[];
  /** A length the planner cannot read: exit 0 must come with a `warning:` line holding each of these words. */
  warns?: string[];
}

function onecycle(maxLr: number): ScheduleSpec {
  return { policy: 'onecycle', flavor: 'pytorch', maxLr, totalSteps: PLACEHOLDER_STEPS };
}

function cyclic(baseLr: number, maxLr: number, stepSizeUp: number): ScheduleSpec {
  return { policy: 'cyclic', mode: 'triangular', baseLr, maxLr, stepSizeUp };
}

const noPlaceholder = `no-added:${PLACEHOLDER_STEPS}`;

export const CORPUS: CorpusEntry[] = [
  {
    name: 'plain_module',
    follows: '(plain script)',
    pattern: 'optimizer + loop in one scope, no scheduler',
    dir: 'plain_module',
    into: 'train.py',
    specs: { onecycle: onecycle(0.1), cyclic: cyclic(0.01, 0.1, 5) },
    run: { script: 'train.py', args: [] },
    scheduled: [{ index: 0, label: 'optimizer' }],
  },
  {
    name: 'plain_function',
    follows: '(plain script)',
    pattern: 'optimizer + loop in main(), args.epochs, Adam',
    dir: 'plain_function',
    into: 'train.py',
    specs: { onecycle: onecycle(0.01) },
    run: { script: 'train.py', args: ['--epochs', '3'] },
    scheduled: [{ index: 0, label: 'optimizer' }],
  },
  {
    name: 'plain_accumulation',
    follows: '(plain script)',
    pattern: 'gradient accumulation: step under (i + 1) % accum_steps == 0',
    dir: 'plain_accumulation',
    into: 'train.py',
    specs: { onecycle: onecycle(0.1) },
    run: { script: 'train.py', args: [] },
    scheduled: [{ index: 0, label: 'optimizer' }],
  },
  {
    name: 'mnist',
    follows: 'pytorch/examples mnist/main.py',
    pattern: 'StepLR per epoch in main(), step in train(), Adadelta',
    dir: 'mnist',
    into: 'main.py',
    specs: { onecycle: onecycle(1.0), cyclic: cyclic(0.1, 1.0, 4) },
    run: { script: 'main.py', args: ['--epochs', '2', '--batch-size', '32'] },
    scheduled: [{ index: 0, label: 'optimizer' }],
  },
  {
    name: 'imagenet',
    follows: 'pytorch/examples imagenet/main.py',
    pattern: 'StepLR per epoch, range(args.start_epoch, args.epochs), step in train()',
    dir: 'imagenet',
    into: 'main.py',
    specs: { onecycle: onecycle(0.1) },
    run: { script: 'main.py', args: ['--dummy', '-b', '16', '--epochs', '2', '-j', '0'] },
    scheduled: [{ index: 0, label: 'optimizer' }],
  },
  {
    name: 'vae',
    follows: 'pytorch/examples vae/main.py',
    pattern: 'module-level Adam, step in train(epoch), loop under __main__',
    dir: 'vae',
    into: 'main.py',
    specs: { onecycle: onecycle(1e-3) },
    run: { script: 'main.py', args: ['--epochs', '2', '--batch-size', '32'], dirs: ['results'] },
    scheduled: [{ index: 0, label: 'optimizer' }],
  },
  {
    name: 'word_language_model',
    follows: 'pytorch/examples word_language_model/main.py',
    pattern: 'AdamW only with --use-optimizer; hand-written lr /= 4.0; batches from range(0, size, bptt)',
    dir: 'word_language_model',
    into: 'main.py',
    specs: { onecycle: onecycle(2e-3) },
    run: {
      script: 'main.py',
      args: ['--use-optimizer', '--lr', '0.002', '--epochs', '3', '--emsize', '16', '--nhid', '16', '--bptt', '16', '--batch_size', '8'],
    },
    scheduled: [{ index: 0, label: 'optimizer' }],
    refusal: { words: ['optimizer'] },
  },
  {
    name: 'word_language_model_manual',
    follows: 'pytorch/examples word_language_model/main.py',
    pattern: 'default run: no optimizer, p.data.add_(p.grad, alpha=-lr)',
    dir: 'word_language_model',
    into: 'main.py',
    specs: { onecycle: onecycle(20) },
    run: { script: 'main.py', args: ['--epochs', '2', '--emsize', '16', '--nhid', '16', '--bptt', '16', '--batch_size', '8'] },
    scheduled: [],
    mustRefuse: true,
    refusal: { words: ['optimizer'] },
  },
  {
    name: 'dcgan',
    follows: 'pytorch/examples dcgan/main.py',
    pattern: 'two optimizers (optimizerD, optimizerG), module level',
    dir: 'dcgan',
    into: 'main.py',
    specs: { onecycle: onecycle(2e-4), cyclic: cyclic(2e-5, 2e-4, 4) },
    run: {
      script: 'main.py',
      args: ['--dataset', 'fake', '--batchSize', '32', '--ngf', '8', '--ndf', '8', '--nz', '16', '--niter', '2', '--workers', '0', '--manualSeed', '1', '--outf', 'out'],
    },
    scheduled: [
      { index: 0, label: 'optimizerD' },
      { index: 1, label: 'optimizerG' },
    ],
  },
  {
    name: 'mnist_hogwild',
    follows: 'pytorch/examples mnist_hogwild/train.py',
    pattern: 'optimizer + epoch loop in train(), step in train_epoch()',
    dir: 'mnist_hogwild',
    into: 'train.py',
    specs: { onecycle: onecycle(0.01) },
    staticOnly: 'the steps run in torch.multiprocessing (spawn) children, which the recorder does not see',
    scheduled: [],
    refusal: { words: [] },
    checks: ['parses', 'changed', noPlaceholder],
  },
  {
    name: 'super_resolution',
    follows: 'pytorch/examples super_resolution/main.py',
    pattern: 'module-level Adam and loader, step in train(epoch), opt.nEpochs',
    dir: 'super_resolution',
    into: 'main.py',
    specs: { onecycle: onecycle(0.01) },
    run: { script: 'main.py', args: ['--upscale_factor', '2', '--batchSize', '8', '--nEpochs', '2', '--threads', '0'] },
    scheduled: [{ index: 0, label: 'optimizer' }],
  },
  {
    name: 'ddp_tutorial',
    follows: 'pytorch/examples distributed/ddp-tutorial-series/single_gpu.py',
    pattern: 'Trainer class: self.optimizer.step() in _run_batch, train(max_epochs)',
    dir: 'ddp_tutorial',
    into: 'single_gpu.py',
    specs: { onecycle: onecycle(0.01), cyclic: cyclic(1e-3, 1e-2, 8) },
    run: { script: 'single_gpu.py', args: ['2', '1', '--batch_size', '128'] },
    scheduled: [{ index: 0, label: 'self.optimizer' }],
  },
  {
    name: 'accelerate_nlp',
    follows: 'huggingface/accelerate examples/nlp_example.py',
    pattern: 'get_linear_schedule_with_warmup per batch, accelerator.prepare/backward',
    dir: 'accelerate_nlp',
    into: 'nlp_example.py',
    specs: { onecycle: onecycle(2e-5) },
    run: { script: 'nlp_example.py', args: ['--cpu'] },
    scheduled: [{ index: 0, label: 'optimizer' }],
  },
  {
    name: 'accelerate_grad_accum',
    follows: 'huggingface/accelerate examples/by_feature/gradient_accumulation.py',
    pattern: 'accelerator.accumulate(model): steps take effect every k-th batch',
    dir: 'accelerate_grad_accum',
    into: 'gradient_accumulation.py',
    specs: { onecycle: onecycle(2e-5) },
    run: { script: 'gradient_accumulation.py', args: ['--cpu', '--gradient_accumulation_steps', '2'] },
    scheduled: [{ index: 0, label: 'optimizer' }],
  },
  {
    name: 'accelerate_cv',
    follows: 'huggingface/accelerate examples/cv_example.py',
    pattern: 'existing OneCycleLR per batch (epochs, steps_per_epoch)',
    dir: 'accelerate_cv',
    into: 'cv_example.py',
    specs: { onecycle: onecycle(3e-2) },
    run: { script: 'cv_example.py', args: ['--data_dir', 'images', '--cpu'] },
    scheduled: [{ index: 0, label: 'optimizer' }],
  },
  {
    name: 'nanogpt',
    follows: 'karpathy/nanoGPT train.py',
    pattern: 'configure_optimizers(), get_lr(it) into param_groups, micro-steps, scaler.step, while/max_iters',
    dir: 'nanogpt',
    into: 'train.py',
    specs: { onecycle: onecycle(1e-3), cyclic: cyclic(1e-4, 1e-3, 5) },
    run: {
      script: 'train.py',
      args: ['config/train_shakespeare_char.py', '--device=cpu', '--compile=False'],
      prepare: ['data/shakespeare_char/prepare.py'],
    },
    scheduled: [{ index: 0, label: 'optimizer' }],
  },
  {
    name: 'mingpt',
    follows: 'karpathy/minGPT mingpt/trainer.py',
    pattern: 'Trainer.run(): self.optimizer from configure_optimizers, config.max_iters',
    dir: 'mingpt',
    into: 'mingpt/trainer.py',
    specs: { onecycle: onecycle(5e-4) },
    run: { script: 'train_chars.py', args: [] },
    scheduled: [{ index: 0, label: 'self.optimizer' }],
  },
  {
    name: 'amp_gradscaler',
    follows: 'PyTorch AMP recipe (ConvNeXt-style loop)',
    pattern: 'scaler.step(optimizer) in train_one_epoch(), CosineAnnealingLR per epoch',
    dir: 'amp_gradscaler',
    into: 'train.py',
    specs: { onecycle: onecycle(4e-3) },
    run: { script: 'train.py', args: ['--epochs', '3', '--batch-size', '64', '--num-samples', '256'] },
    scheduled: [{ index: 0, label: 'optimizer' }],
  },
  {
    name: 'timm_style',
    follows: 'huggingface/pytorch-image-models train.py (create_scheduler)',
    pattern: 'create_scheduler(args, optimizer), step(epoch), step_update(num_updates)',
    dir: 'timm_style',
    into: 'train.py',
    specs: { onecycle: onecycle(0.05) },
    run: { script: 'train.py', args: ['--epochs', '4', '--warmup-epochs', '1', '--cooldown-epochs', '1', '-b', '64'] },
    scheduled: [{ index: 0, label: 'optimizer' }],
  },
  {
    name: 'fabric',
    follows: 'Lightning-AI examples/fabric/image_classifier/train_fabric.py',
    pattern: 'Fabric setup, StepLR per epoch, step in the same function',
    dir: 'fabric',
    into: 'train_fabric.py',
    specs: { onecycle: onecycle(1.0) },
    run: { script: 'train_fabric.py', args: ['--epochs', '2', '--batch-size', '32'] },
    scheduled: [{ index: 0, label: 'optimizer' }],
  },
  {
    name: 'keras_fit',
    follows: 'keras.io examples/vision/mnist_convnet.py',
    pattern: 'model.compile(optimizer="adam"), model.fit(epochs=, batch_size=)',
    dir: 'keras_fit',
    into: 'mnist_convnet.py',
    specs: { onecycle: onecycle(1e-3) },
    staticOnly: 'Keras is not installable here',
    scheduled: [],
    checks: ['parses', 'changed', 'keras-optimizer-object', noPlaceholder, 'no-added:torch'],
  },
  {
    name: 'flax_optax',
    follows: 'google/flax examples/mnist train.py',
    pattern: 'optax.sgd in create_train_state; tensorflow imported only for tfds',
    dir: 'flax_optax',
    into: 'train.py',
    specs: { onecycle: { policy: 'onecycle', flavor: 'optax-cosine', peakValue: 0.1, transitionSteps: PLACEHOLDER_STEPS } },
    staticOnly: 'JAX/flax are not installable here',
    scheduled: [],
    // the steps are counted in train_epoch from the data, far from create_train_state: the spec's length
    // is written, and the warning says to set it
    checks: ['parses', 'changed', 'optax-schedule', 'no-added:keras', 'no-added:torch'],
    warns: ['steps'],
  },
  {
    name: 'fastai_v1',
    follows: 'fastai 1.x vision quick start',
    pattern: 'from fastai.vision import *; learn.fit(4, 1e-2)',
    dir: 'fastai_v1',
    into: 'train.py',
    specs: { onecycle: { policy: 'onecycle', flavor: 'fastai', lrMax: 1e-2, totalSteps: PLACEHOLDER_STEPS } },
    staticOnly: 'fastai is not installable here',
    scheduled: [],
    checks: ['parses', 'changed', 'fastai-fit-one-cycle', noPlaceholder, 'no-added:torch'],
  },
  {
    name: 'fastai_v2',
    follows: 'fastai v2 quick start (fastai2 package)',
    pattern: 'from fastai2.vision.all import *; learn.fit_one_cycle(4, 3e-3)',
    dir: 'fastai_v2',
    into: 'train.py',
    specs: { onecycle: { policy: 'onecycle', flavor: 'fastai', lrMax: 1e-2, totalSteps: PLACEHOLDER_STEPS } },
    staticOnly: 'fastai is not installable here',
    scheduled: [],
    checks: ['parses', 'changed', 'fastai-fit-one-cycle', noPlaceholder, 'no-added:torch'],
  },
];
