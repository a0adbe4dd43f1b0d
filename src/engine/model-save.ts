/**
 * Saves a LayersModel to a folder in the standard tfjs layout (`model.json` + `weights.bin`,
 * loadable with `tf.loadLayersModel('file://…/model.json')` under tfjs-node), without needing
 * tfjs-node's `file://` handler, which pure tfjs lacks.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import type { Tf } from './tf-handle';

/** Writes `model.json` and `weights.bin` into `folder` (created) and returns the model.json path. */
export async function saveModelToFolder(tf: Tf, model: LayersModel, folder: string): Promise<string> {
  await mkdir(folder, { recursive: true });
  const modelJson = join(folder, 'model.json');
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFile(join(folder, 'weights.bin'), new Uint8Array(weights));
      await writeFile(modelJson, JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return modelJson;
}
