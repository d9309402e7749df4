/** The prefix of the annotations package writes into an image (model name, version, runtime, lineage). */
export const ANNOTATION_PREFIX = 'dev.model-deploy';
