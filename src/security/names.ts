// Name lists the security scanners judge by: which packages are Keras' own, which Python modules carry
// process, file, network or code-loading power, which Keras APIs are not modeling APIs.

/** Packages whose objects a stock Keras install provides (a `module` starting with one of these is Keras' own). */
export const KERAS_PACKAGES = new Set(['keras', 'keras_hub', 'keras_cv', 'keras_nlp', 'tensorflow', 'tf_keras', 'tensorflowjs']);

/**
 * Top-level Python modules that can run programs, touch files, open connections or load code. A config naming
 * one of these makes Keras import and call into it when the model is loaded (CVE-2025-1550 class).
 */
export const DANGEROUS_MODULES = new Set([
  'os',
  'nt',
  'posix',
  'subprocess',
  'builtins',
  '__builtin__',
  'sys',
  'shutil',
  'socket',
  'importlib',
  'pickle',
  'cPickle',
  '_pickle',
  'marshal',
  'runpy',
  'pty',
  'ctypes',
  'code',
  'codeop',
  'imp',
  'pydoc',
  'webbrowser',
  'http',
  'httplib',
  'urllib',
  'urllib2',
  'urllib3',
  'requests',
  'aiohttp',
  'ftplib',
  'smtplib',
  'telnetlib',
  'asyncio',
  'multiprocessing',
  'threading',
  'signal',
  'tempfile',
  'glob',
  'pathlib',
  'io',
  'fileinput',
  'zipfile',
  'tarfile',
  'dill',
  'cloudpickle',
  'joblib',
  'operator',
  'functools',
  'types',
  'inspect',
  'gc',
  'platform',
  'shelve',
  'dbm',
  'sqlite3',
  'ssl',
  'select',
  'mmap',
  'resource',
  'commands',
  'popen2',
  'numpy.f2py',
  'distutils',
  'setuptools',
  'pip',
]);

/**
 * Keras / TensorFlow functions that are not modeling building blocks: they read or fetch files, load other
 * models, or switch off Keras' own safety checks. Named in a config, they run at load time.
 */
export const NON_MODELING_FUNCTIONS = new Set([
  'get_file',
  'load_model',
  'load_weights',
  'save_model',
  'save_weights',
  'model_from_json',
  'model_from_yaml',
  'model_from_config',
  'enable_unsafe_deserialization',
  'set_floatx',
  'read_file',
  'write_file',
  'py_function',
  'numpy_function',
  'py_func',
  'load_op_library',
  'load_library',
  'GFile',
  'copy',
  'rename',
  'remove',
  'rmtree',
  'makedirs',
  'mkdir',
  'exec',
  'eval',
  'system',
  'popen',
]);

/** Keras / TF sub-packages that hold no modeling objects (file utilities, config switches, saving, export). */
const NON_MODELING_MODULE =
  /^(?:keras|tf_keras|tensorflow(?:\.keras)?)(?:\.src)?\.(?:utils|config|saving|export|callbacks|backend\.config|io|gfile|distribute|dtensor|debugging|summary|profiler|sysconfig|python\.(?:ops\.script_ops|platform|lib\.io))(?:\.|$)/;

/** The top-level package of a dotted module name. */
export function topPackage(module: string): string {
  return module.split('.')[0] ?? module;
}

export function isKerasModule(module: string): boolean {
  return KERAS_PACKAGES.has(topPackage(module));
}

export function isDangerousModule(module: string): boolean {
  const top = topPackage(module);
  return DANGEROUS_MODULES.has(top) || DANGEROUS_MODULES.has(module) || module.startsWith('numpy.f2py');
}

/** A Keras-package module that is not a modeling API (or names a non-modeling function). */
export function isNonModelingApi(module: string, fnName: string | null): boolean {
  if (!isKerasModule(module)) return false;
  if (fnName !== null && NON_MODELING_FUNCTIONS.has(fnName)) return true;
  // Classes in keras.utils (FeatureSpace) are fine; functions from those packages are not.
  return fnName !== null && NON_MODELING_MODULE.test(module);
}

// Losses, metrics and optimizers Keras resolves by name without custom code (names compared without
// underscores, lowercased).
const KNOWN_TRAINING_NAMES = [
  // losses
  'mse',
  'mae',
  'mape',
  'msle',
  'meansquarederror',
  'meanabsoluteerror',
  'meanabsolutepercentageerror',
  'meansquaredlogarithmicerror',
  'cosinesimilarity',
  'cosineproximity',
  'huber',
  'huberloss',
  'logcosh',
  'binarycrossentropy',
  'binaryfocalcrossentropy',
  'categoricalcrossentropy',
  'categoricalfocalcrossentropy',
  'sparsecategoricalcrossentropy',
  'kld',
  'kldivergence',
  'kullbackleiblerdivergence',
  'poisson',
  'hinge',
  'squaredhinge',
  'categoricalhinge',
  'tversky',
  'dice',
  'ctc',
  'circle',
  'lossfunctionwrapper',
  'loss',
  'categoricalgeneralizedcrossentropy',
  // metrics
  'accuracy',
  'acc',
  'binaryaccuracy',
  'categoricalaccuracy',
  'sparsecategoricalaccuracy',
  'topkcategoricalaccuracy',
  'sparsetopkcategoricalaccuracy',
  'crossentropy',
  'ce',
  'auc',
  'precision',
  'recall',
  'meaniou',
  'iou',
  'binaryiou',
  'onehotiou',
  'onehotmeaniou',
  'truepositives',
  'truenegatives',
  'falsepositives',
  'falsenegatives',
  'precisionatrecall',
  'recallatprecision',
  'sensitivityatspecificity',
  'specificityatsensitivity',
  'mean',
  'sum',
  'meanmetricwrapper',
  'meantensor',
  'rootmeansquarederror',
  'rmse',
  'r2score',
  'f1score',
  'fbetascore',
  'logcosherror',
  'pearsoncorrelation',
  'concordancecorrelation',
  'concordancecorrelationcoefficient',
  // optimizers
  'sgd',
  'adam',
  'adamw',
  'adamax',
  'adagrad',
  'adadelta',
  'adafactor',
  'nadam',
  'rmsprop',
  'ftrl',
  'lion',
  'lamb',
  'muon',
  'lossscaleoptimizer',
  'lossscaleoptimizerv3',
  'tfoptimizer',
  'optimizer',
  // learning-rate schedules
  'exponentialdecay',
  'piecewiseconstantdecay',
  'polynomialdecay',
  'inversetimedecay',
  'cosinedecay',
  'cosinedecayrestarts',
];
const KNOWN_TRAINING = new Set(KNOWN_TRAINING_NAMES);

export function isKnownTrainingName(name: string): boolean {
  return KNOWN_TRAINING.has(name.replace(/_/g, '').toLowerCase());
}
