// How to get started: the call that loads this file in the library that reads it, and the Hugging Face
// front matter that names that library. The Hub tells Keras 3 (`keras`) from legacy Keras 2 / tf.keras
// (`tf-keras`); TF.js models are `tfjs`.
import type { Report } from '../model/types.js';

export type LibraryName = 'keras' | 'tf-keras' | 'tfjs';

/** Keras 3 wrote the file (its `keras_version` is 3.x, or it is a `.keras` archive). */
function isKeras3(report: Report): boolean {
  return report.format === 'keras-v3' || /^3\./.test(report.kerasVersion ?? '');
}

export function libraryName(report: Report): LibraryName {
  if (report.format.startsWith('tfjs')) return 'tfjs';
  return isKeras3(report) ? 'keras' : 'tf-keras';
}

/** A Python or JavaScript string literal for a file name (quotes and backslashes escaped, one line). */
function literal(s: string): string {
  return JSON.stringify(s.replace(/[\r\n]/g, ' ')).replace(/`/g, '\\u0060');
}

/** The language and the code that loads the model from `name` (a path or URL relative to the card). */
export function loadSnippet(report: Report, name: string): { lang: 'python' | 'js'; code: string } {
  const n = literal(name);
  switch (report.format) {
    case 'tfjs-layers':
      return { lang: 'js', code: `import * as tf from '@tensorflow/tfjs';\n\nconst model = await tf.loadLayersModel(${n});` };
    case 'tfjs-graph':
      return { lang: 'js', code: `import * as tf from '@tensorflow/tfjs';\n\nconst model = await tf.loadGraphModel(${n});` };
    case 'keras-h5-weights':
      return {
        lang: 'python',
        code: `# The file holds weights only: build the same architecture first, then\nmodel.load_weights(${n})`,
      };
    case 'keras-json':
      return isKeras3(report)
        ? { lang: 'python', code: `import keras\n\nwith open(${n}) as f:\n    model = keras.models.model_from_json(f.read())` }
        : {
            lang: 'python',
            code: `import tensorflow as tf\n\nwith open(${n}) as f:\n    model = tf.keras.models.model_from_json(f.read())`,
          };
    default:
      return isKeras3(report)
        ? { lang: 'python', code: `import keras\n\nmodel = keras.saving.load_model(${n})` }
        : { lang: 'python', code: `import tensorflow as tf\n\nmodel = tf.keras.models.load_model(${n})` };
  }
}
